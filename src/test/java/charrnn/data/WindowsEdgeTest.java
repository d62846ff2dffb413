package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The walk's edges: spans, the last window, the reset positions of a span not at 0, the stores. */
class WindowsEdgeTest {
    private static EncodedText counting(int n) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 200;
        }
        return EncodedText.of(x, 200);
    }

    /** Walks k windows of one stream; for each, its first input and whether it reset. */
    private static String walk(Windows w, int T, int k) {
        StringBuilder s = new StringBuilder();
        int[] x = new int[T];
        boolean[] reset = new boolean[1];
        for (int i = 0; i < k; i++) {
            w.next(x, new int[T], reset);
            s.append(x[0]).append(reset[0] ? "R " : " ");
        }
        return s.toString().trim();
    }

    @Test
    void aSpanMustLieInTheTextAndHoldOneWindow() {
        EncodedText t = counting(20);
        assertThrows(IllegalArgumentException.class, () -> new Windows(t, -1, 10, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new Windows(t, 0, 21, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new Windows(t, 12, 11, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new Windows(t, 5, 8, 3, 1), "3 characters, 4 needed");
        new Windows(t, 16, 20, 3, 1);
        new Windows(t, 0, 20, 19, 1);
        assertEquals("a window needs 4 characters, the span has 0", // an empty span lies in the text
                assertThrows(IllegalArgumentException.class, () -> new Windows(t, 7, 7, 3, 1)).getMessage());
        assertEquals("span [-1, 10) is outside the text",
                assertThrows(IllegalArgumentException.class, () -> new Windows(t, -1, 10, 3, 1)).getMessage());
        assertEquals("a window needs 4 characters, the span has 3",
                assertThrows(IllegalArgumentException.class, () -> new Windows(t, 5, 8, 3, 1)).getMessage());
    }

    @Test
    void aSpanAwayFromTheStartWalksAndResetsWithinItself() {
        // span [10, 24), T = 3: windows start at 10, 13, 16, 19; 22 + 4 > 24 wraps to 10
        Windows w = new Windows(counting(30), 10, 24, 3, 1, 2);
        assertEquals("10R 13 16R 19 10R 13 16R", walk(w, 3, 7));
        // without periodic resets, only at the wrap; the last window may end on the span's last character
        // span [7, 40), T = 2, R = 4: windows k = 0, 4, 8 of the span reset, wherever the span starts
        assertEquals("7R 9 11 13 15R 17 19 21 23R 25", walk(new Windows(counting(50), 7, 40, 2, 1, 4), 2, 10));
        Windows plain = new Windows(counting(30), 10, 23, 3, 1);
        assertEquals("10 13 16 19 10R 13", walk(plain, 3, 6));
    }

    @Test
    void streamsStartAtEvenFractionsOfASpanNotAtZero() {
        Windows w = new Windows(counting(100), 20, 80, 2, 3);
        int[] x = new int[6];
        w.next(x, new int[6], new boolean[3]);
        assertArrayEquals(new int[] {20, 40, 60, 21, 41, 61}, x);
        assertArrayEquals(new int[] {22, 42, 62}, w.positions());
    }

    @Test
    void positionsAreRestoredOnlyInsideTheSpanAndOnlyForEveryStream() {
        Windows w = new Windows(counting(50), 10, 40, 4, 2);
        assertThrows(IllegalArgumentException.class, () -> w.setPositions(new int[] {10}));
        assertThrows(IllegalArgumentException.class, () -> w.setPositions(new int[] {10, 9}));
        assertThrows(IllegalArgumentException.class, () -> w.setPositions(new int[] {40, 10}));
        w.setPositions(new int[] {10, 39});
        assertArrayEquals(new int[] {10, 39}, w.positions());
        int[] x = new int[8];
        boolean[] reset = new boolean[2];
        w.next(x, new int[8], reset);
        assertArrayEquals(new int[] {10, 10, 11, 11, 12, 12, 13, 13}, x, "39 cannot hold a window: it wraps");
        assertArrayEquals(new boolean[] {false, true}, reset);
    }

    @Test
    void eachStoreHoldsItsIndicesAndSaysItsWidth() {
        EncodedText bytes = EncodedText.allocate(3, 256);
        EncodedText chars = EncodedText.allocate(3, 257);
        EncodedText wide = EncodedText.allocate(3, 65_536);
        EncodedText ints = EncodedText.allocate(3, 65_537);
        assertInstanceOf(EncodedText.Bytes.class, bytes);
        assertInstanceOf(EncodedText.Chars.class, chars);
        assertInstanceOf(EncodedText.Chars.class, wide);
        assertInstanceOf(EncodedText.Ints.class, ints);
        assertEquals(1, bytes.bytesPerChar());
        assertEquals(2, chars.bytesPerChar());
        assertEquals(4, ints.bytesPerChar());
        int[] top = {255, 256, 65_535, 65_536};
        EncodedText[] stores = {bytes, chars, wide, ints};
        for (int k = 0; k < 4; k++) {
            stores[k].set(2, top[k]);
            assertEquals(3, stores[k].length());
            assertEquals(top[k], stores[k].at(2));
            assertEquals(0, stores[k].at(0));
        }
        EncodedText.Bytes part = new EncodedText.Bytes(new byte[] {1, 2, 3, 4}, 2);
        assertEquals(2, part.length());
        assertThrows(IllegalArgumentException.class, () -> new EncodedText.Bytes(new byte[2], 3));
        assertThrows(IllegalArgumentException.class, () -> new EncodedText.Bytes(new byte[2], -1));
        assertEquals(2, new EncodedText.Bytes(new byte[2], 2).length());
        assertEquals(0, new EncodedText.Bytes(new byte[2], 0).length());
    }
}
