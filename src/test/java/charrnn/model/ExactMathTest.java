package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * ExactMath against StrictMath (fdlibm, an independent implementation): within a few ulps over
 * the range the model uses, and the edge cases exact.
 */
class ExactMathTest {
    private static final int SAMPLES = 200_000;
    /** exp: the polynomial is good to 1e-17, the result rounded once more. */
    private static final double EXP_ULPS = 1;
    /** tanh = u/(u + 2), a quotient of two rounded values: up to 4 ulps near |x| = 0.24, 1 typically. */
    private static final double TANH_ULPS = 4;
    /** σ against 1/(1 + e^{−x}), itself rounded three times. */
    private static final double SIGMOID_ULPS = 3;

    /** |a − b| in units of b's last place. */
    private static double ulps(double a, double b) {
        return Math.abs(a - b) / Math.ulp(b);
    }

    /** x over [−range, range], denser near 0, from a fixed seed. */
    private static double[] arguments(double range) {
        Rng rng = new Rng(7);
        double[] x = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            double u = 2 * rng.nextDouble() - 1;
            x[i] = i % 2 == 0 ? u * range : u * u * u * Math.min(range, 3);
        }
        return x;
    }

    @Test
    void expIsWithinAnUlpOfFdlibm() {
        double worst = 0;
        for (double x : arguments(700)) {
            worst = Math.max(worst, ulps(ExactMath.exp(x), StrictMath.exp(x)));
        }
        assertTrue(worst <= EXP_ULPS, "worst error " + worst + " ulp");
        assertEquals(1.0, ExactMath.exp(0.0), 0.0);
        assertEquals(1.0, ExactMath.exp(-0.0), 0.0);
        assertEquals(Math.E, ExactMath.exp(1.0), Math.ulp(Math.E));
        assertTrue(Double.isNaN(ExactMath.exp(Double.NaN)));
        assertEquals(StrictMath.exp(-700), ExactMath.exp(Double.NEGATIVE_INFINITY), Math.ulp(StrictMath.exp(-700)),
                "clamped at −700");
    }

    @Test
    void tanhIsWithinFourUlpsOfFdlibmAndKeepsItsSign() {
        double worst = 0;
        for (double x : arguments(25)) {
            worst = Math.max(worst, ulps(ExactMath.tanh(x), StrictMath.tanh(x)));
        }
        assertTrue(worst <= TANH_ULPS, "worst error " + worst + " ulp");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ExactMath.tanh(-0.0)));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(ExactMath.tanh(0.0)));
        assertEquals(1.0, ExactMath.tanh(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(-1.0, ExactMath.tanh(-1e300), 0.0);
        assertEquals(1e-300, ExactMath.tanh(1e-300), 0.0);
        assertTrue(Double.isNaN(ExactMath.tanh(Double.NaN)));
    }

    @Test
    void sigmoidIsWithinThreeUlpsOfItsDefinition() {
        double worst = 0;
        for (double x : arguments(40)) {
            double expected = 1 / (1 + StrictMath.exp(-x));
            worst = Math.max(worst, ulps(ExactMath.sigmoid(x), expected));
        }
        assertTrue(worst <= SIGMOID_ULPS, "worst error " + worst + " ulp");
        assertEquals(0.5, ExactMath.sigmoid(0), 0.0);
    }

    @Test
    void logIsFdlibms() {
        for (double x : new double[] {1e-300, 0.5, 1, 2, Math.E, 54, 1e300}) {
            assertEquals(Double.doubleToRawLongBits(StrictMath.log(x)), Double.doubleToRawLongBits(ExactMath.log(x)));
        }
    }
}
