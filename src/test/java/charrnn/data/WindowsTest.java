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
    void periodicResetsFollowThePositionSoAResumedWalkResetsAlike() {
        // T = 2, R = 3: a stream's state restarts at every window starting 0, 6, 12, ... into the span
        Windows w = new Windows(counting(40), 0, 40, 2, 1, 3);
        boolean[] reset = new boolean[1];
        StringBuilder pattern = new StringBuilder();
        for (int k = 0; k < 12; k++) {
            w.next(new int[2], new int[2], reset);
            pattern.append(reset[0] ? 'R' : '.');
        }
        // windows start at 0, 2, ..., 36; then 38 + 3 > 40 wraps to 0
        assertEquals("R..R..R..R..", pattern.toString().substring(0, 12));
        Windows resumed = new Windows(counting(40), 0, 40, 2, 1, 3);
        resumed.setPositions(new int[] {12});
        resumed.next(new int[2], new int[2], reset);
        assertTrue(reset[0], "position 12 is a reset position, resumed or not");

        // two streams, starting at 0 and 20 (window 10 of the span): their resets are staggered,
        // stream 0 at its windows 0, 3, 6, ..., stream 1 at span windows 12, 15, ... (its 3rd, 6th, ...)
        Windows two = new Windows(counting(40), 0, 40, 2, 2, 3);
        boolean[] r2 = new boolean[2];
        StringBuilder s0 = new StringBuilder();
        StringBuilder s1 = new StringBuilder();
        for (int k = 0; k < 6; k++) {
            two.next(new int[4], new int[4], r2);
            s0.append(r2[0] ? 'R' : '.');
            s1.append(r2[1] ? 'R' : '.');
        }
        assertEquals("R..R..", s0.toString());
        assertEquals("..R..R", s1.toString());
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
