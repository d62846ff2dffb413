package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The symbols of a corpus: order, lookup at the edges, decoding, names in messages, equality. */
class VocabularyTest {

    @Test
    void symbolsAreTheDistinctCodePointsInIncreasingOrder() {
        Vocabulary v = Vocabulary.of("banana\uD83D\uDE00 ");
        assertArrayEquals(new int[] {' ', 'a', 'b', 'n', 0x1F600}, v.codePoints());
        assertEquals(5, v.size());
        for (int i = 0; i < v.size(); i++) {
            assertEquals(i, v.indexOf(v.codePoint(i)));
        }
        v.codePoints()[0] = 'z';
        assertEquals(' ', v.codePoint(0), "codePoints() hands out a copy");
    }

    @Test
    void lookupAtAndBeyondTheEdgesOfTheTable() {
        Vocabulary v = new Vocabulary(new int[] {0, 'b', 'd'});
        assertEquals(0, v.indexOf(0));
        assertEquals(2, v.indexOf('d'), "the largest code point is in the table");
        assertEquals(-1, v.indexOf('c'), "a gap");
        assertEquals(-1, v.indexOf('e'), "just past the largest");
        assertEquals(-1, v.indexOf(-1));
        assertEquals(-1, v.indexOf(Integer.MIN_VALUE));
        assertTrue(v.contains(0));
        assertTrue(v.contains('d'));
        assertFalse(v.contains('c'));
        assertFalse(v.contains('e'));
    }

    @Test
    void onlyValidStrictlyIncreasingCodePointsMakeAVocabulary() {
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary(new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary(new int[] {'a', 'a'}));
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary(new int[] {'b', 'a'}));
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary(new int[] {-1, 'a'}));
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary(new int[] {'a', 0x110000}));
        assertEquals(2, new Vocabulary(new int[] {'a', 0x10FFFF}).size());
        assertEquals(1, new Vocabulary(new int[] {'a'}).size());
    }

    @Test
    void decodeTurnsIndicesBackIntoText() {
        Vocabulary v = Vocabulary.of("ab\uD83D\uDE00");
        assertEquals("\uD83D\uDE00ab", v.decode(new int[] {2, 0, 1, 2}, 3));
        assertEquals("", v.decode(new int[] {1}, 0));
    }

    @Test
    void symbolsAreNamedReadablyInMessages() {
        assertEquals("'a' (U+0061)", Vocabulary.describe('a'));
        assertEquals("'\u00e9' (U+00E9)", Vocabulary.describe(0xE9));
        assertEquals("'\uD83D\uDE00' (U+1F600)", Vocabulary.describe(0x1F600));
        assertEquals("U+000A", Vocabulary.describe('\n'), "a control character");
        assertEquals("U+0020", Vocabulary.describe(' '), "white space");
        assertEquals("U+2003", Vocabulary.describe(0x2003), "white space that is not a control character");
        assertEquals("U+0378", Vocabulary.describe(0x378), "unassigned");
    }

    @Test
    void vocabulariesAreEqualWhenTheirSymbolsAre() {
        Vocabulary v = Vocabulary.of("abc");
        assertEquals(v, new Vocabulary(new int[] {'a', 'b', 'c'}));
        assertEquals(v.hashCode(), new Vocabulary(new int[] {'a', 'b', 'c'}).hashCode());
        assertNotEquals(v, Vocabulary.of("abd"));
        assertNotEquals(v.hashCode(), Vocabulary.of("abd").hashCode());
        assertNotEquals(v, Vocabulary.of("ab"));
        assertFalse(v.equals("abc"));
    }
}
