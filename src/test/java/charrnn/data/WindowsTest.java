package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowsTest {
    private static EncodedText counting(int n) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return EncodedText.of(x, n);
    }

    @Test
    void oneStreamWalksConsecutiveWindowsAndWrapsWithAReset() {
        Windows w = new Windows(counting(10), 0, 10, 3, 1);
        int[] x = new int[3];
        int[] y = new int[3];
        boolean[] reset = new boolean[1];
        w.next(x, y, reset);
        assertArrayEquals(new int[] {0, 1, 2}, x);
        assertArrayEquals(new int[] {1, 2, 3}, y);
        assertFalse(reset[0]);
        w.next(x, y, reset);
        assertArrayEquals(new int[] {3, 4, 5}, x);
        w.next(x, y, reset);
        assertArrayEquals(new int[] {6, 7, 8}, x);
        assertArrayEquals(new int[] {7, 8, 9}, y);   // the last window ends on the last character
        assertFalse(reset[0]);
        w.next(x, y, reset);
        assertTrue(reset[0]);
        assertArrayEquals(new int[] {0, 1, 2}, x);
    }

    @Test
    void streamsStartAtEvenFractionsAndInterleaveByTimeStep() {
        Windows w = new Windows(counting(100), 0, 100, 2, 4);
        int[] x = new int[8];
        int[] y = new int[8];
        w.next(x, y, new boolean[4]);
        // entry t·B + b: streams at 0, 25, 50, 75
        assertArrayEquals(new int[] {0, 25, 50, 75, 1, 26, 51, 76}, x);
        assertArrayEquals(new int[] {1, 26, 51, 76, 2, 27, 52, 77}, y);
    }

    @Test
    void aSpanShorterThanOneWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Windows(counting(5), 0, 5, 5, 1));
        new Windows(counting(6), 0, 6, 5, 1);
    }

    @Test
    void positionsRoundTrip() {
        Windows w = new Windows(counting(50), 10, 50, 4, 2);
        w.next(new int[8], new int[8], new boolean[2]);
        int[] saved = w.positions();
        assertEquals(2, saved.length);
        Windows other = new Windows(counting(50), 10, 50, 4, 2);
        other.setPositions(saved);
        int[] a = new int[8];
        int[] b = new int[8];
        w.next(a, new int[8], new boolean[2]);
        other.next(b, new int[8], new boolean[2]);
        assertArrayEquals(a, b);
        assertThrows(IllegalArgumentException.class, () -> other.setPositions(new int[] {0, 20}));
    }
}
