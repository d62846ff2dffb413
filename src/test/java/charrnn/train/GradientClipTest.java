package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.Params;
import org.junit.jupiter.api.Test;

/** The global-norm clip, on gradients whose norm is known. */
class GradientClipTest {
    /** A gradient of H=1, V=2 (7 entries in 5 matrices) with 3 and 4 in two matrices, 0 elsewhere. */
    private static Params threeFour() {
        Params g = new Params(1, 2, 1, 1);
        g.Wxh[0].data[1] = 3;
        g.Why.data[0] = -4;
        return g;
    }

    @Test
    void aNormAboveTheBoundIsScaledToIt() {
        Params g = threeFour();
        assertEquals(5.0, GradientClip.clip(g, 0, 1.0), 0);
        double c = 1.0 / (5 + GradientClip.EPSILON);
        assertEquals(3 * c, g.Wxh[0].data[1], 1e-15);
        assertEquals(-4 * c, g.Why.data[0], 1e-15);
        assertEquals(0.0, g.Wxh[0].data[0], 0);
        double norm = Math.hypot(g.Wxh[0].data[1], g.Why.data[0]);
        assertTrue(norm < 1 && norm > 1 - 1e-6, "the clipped norm: " + norm);
    }

    @Test
    void aNormWithinTheBoundIsLeftAlone() {
        Params g = threeFour();
        assertEquals(5.0, GradientClip.clip(g, 0, 5.5), 0);
        assertArrayEquals(threeFour().Why.data, g.Why.data, 0);
        assertArrayEquals(threeFour().Wxh[0].data, g.Wxh[0].data, 0);
    }

    @Test
    void entriesAreClippedFirstAndTheNormIsTheClippedGradients() {
        Params g = threeFour();
        // [3, −4] clipped into [−3.5, 3.5] is [3, −3.5], of norm √21.25
        double norm = Math.sqrt(9 + 12.25);
        assertEquals(norm, GradientClip.clip(g, 3.5, 2.0), 1e-15);
        double c = 2.0 / (norm + GradientClip.EPSILON);
        assertEquals(3 * c, g.Wxh[0].data[1], 1e-15);
        assertEquals(-3.5 * c, g.Why.data[0], 1e-15);
    }

    @Test
    void aNonFiniteEntryIsReportedAndNothingIsScaled() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            Params g = threeFour();
            g.by.data[1] = bad;
            assertTrue(Double.isNaN(GradientClip.clip(g, 5, 1.0)), "entry " + bad);
            assertEquals(3.0, g.Wxh[0].data[1], 0);
        }
    }
}
