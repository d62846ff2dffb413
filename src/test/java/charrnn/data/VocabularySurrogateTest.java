package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A surrogate code point is half of a UTF-16 pair, never a character: the whole range is refused, its neighbours are not. */
class VocabularySurrogateTest {
    @Test
    void surrogatesFromFirstToLastAreRefused() {
        for (int cp : new int[] {0xD800, 0xDBFF, 0xDC00, 0xDFFF}) {
            assertThrows(IllegalArgumentException.class, () -> new Vocabulary(new int[] {'a', cp}), Integer.toHexString(cp));
        }
        assertEquals(3, new Vocabulary(new int[] {'a', 0xD7FF, 0xE000}).size());
    }
}
