package charrnn.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The named features the unit finder correlates with, on a text whose answers are written out. */
class FeatureTest {
    private static final String TEXT = "Ab (c)\n\"d e\"\tF";

    private static double[] of(Feature f) {
        return f.values(TEXT.codePoints().toArray());
    }

    private static double[] d(int... v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void eachFeatureHasItsValueAfterEveryCharacter() {
        //                                  A  b  ␣  (  c  )  ↵  "  d  ␣  e  "  ⇥  F
        assertArrayEquals(d(1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 7), of(Feature.LINE_POSITION));
        assertArrayEquals(d(0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0), of(Feature.IN_QUOTES));
        assertArrayEquals(d(0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), of(Feature.IN_BRACKETS));
        assertArrayEquals(d(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1), of(Feature.WORD_START));
        assertArrayEquals(d(1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1), of(Feature.IN_WORD));
        assertArrayEquals(d(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), of(Feature.CAPITAL));
        assertArrayEquals(d(0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0), of(Feature.SPACE));
    }
}
