package charrnn.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Small pieces of the page that the page tests in charrnn.cli do not isolate. */
class PageTest {
    private static String direction(String text) {
        return Page.direction(text.codePoints().toArray());
    }

    @Test
    void theBaseDirectionIsThatOfTheFirstStrongCharacter() {
        assertEquals("rtl", direction("  \"مرحبا\" hello"));
        assertEquals("rtl", direction("12 שלום abc"));
        assertEquals("ltr", direction("(12) hello مرحبا"));
        assertEquals("ltr", direction("12 ... !"));
    }

    @Test
    void surpriseBinsCountTheEdgesReached() {
        assertEquals(0, Page.bin(0.0, Page.SURPRISE_BINS));
        assertEquals(1, Page.bin(0.5, Page.SURPRISE_BINS));
        assertEquals(2, Page.bin(1.99, Page.SURPRISE_BINS));
        assertEquals(8, Page.bin(8.0, Page.SURPRISE_BINS));
        assertEquals(8, Page.bin(Double.POSITIVE_INFINITY, Page.SURPRISE_BINS));
    }
}
