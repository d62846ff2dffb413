package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * ExactMath's float32 functions against StrictMath (fdlibm, computed in double and rounded to
 * float: the correctly rounded result, but for double roundings too rare to matter), over
 * every 1009th float of [−90, 90] (an odd stride, so mantissas of every ending occur: about
 * 2.2 million arguments, denser near 0 as floats are), and the edge cases exact.
 */
class ExactMathFloatTest {
    /** The sweep's stride through float bit patterns. */
    private static final int STRIDE = 1009;
    private static final float RANGE = 90f;
    /** exp: the fma 2^n·(e^r − 1) + 2^n rounds once; r carries half an ulp of itself. */
    private static final long EXP_ULPS = 1;
    /** e^x − 1, x ≥ 0: as exp, its 2^n − 1 exact. */
    private static final long EXPM1_ULPS = 2;
    /** tanh = u/(u + 2): u, u + 2 and the quotient each rounded. */
    private static final long TANH_ULPS = 2;
    /** σ = 1/(e^{−x} + 1), three roundings; worst just below σ = 0.5, where the ulp halves. */
    private static final long SIGMOID_ULPS = 2;

    /** Floats apart between a and b, counted along the bit patterns; both of one sign. */
    private static long ulps(float a, float b) {
        if (a == b) {
            return 0;
        }
        int ia = Float.floatToRawIntBits(a);
        int ib = Float.floatToRawIntBits(b);
        return (ia ^ ib) < 0 ? Long.MAX_VALUE : Math.abs((long) ia - ib);
    }

    /** The worst error of f against the rounded reference over the sweep's x in [lo, hi]. */
    private static void within(float lo, float hi, long bound, FloatOp f, DoubleUnaryOperator reference, String name) {
        long worst = 0;
        float worstAt = Float.NaN;
        int top = Float.floatToRawIntBits(RANGE);
        for (int sign : new int[] {0, Integer.MIN_VALUE}) {
            for (int b = 0; b <= top; b += STRIDE) {
                float x = Float.intBitsToFloat(b | sign);
                if (x < lo || x > hi) {
                    continue;
                }
                long e = ulps(f.apply(x), (float) reference.applyAsDouble(x));
                if (e > worst) {
                    worst = e;
                    worstAt = x;
                }
            }
        }
        assertTrue(worst <= bound, name + ": " + worst + " ulps at x = " + worstAt);
    }

    private interface FloatOp {
        float apply(float x);
    }

    private static void sameBits(float expected, float actual, String what) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                what + ": " + expected + " expected, " + actual);
    }

    @Test
    void expIsWithinAnUlpOfTheRoundedResultWhereItIsANormalFloat() {
        within(ExactMath.EXP_MIN_F, ExactMath.EXP_MAX_F, EXP_ULPS, ExactMath::exp, StrictMath::exp, "exp");
    }

    @Test
    void expIsClampedToNormalFloats() {
        sameBits(1f, ExactMath.exp(0f), "exp 0");
        sameBits(1f, ExactMath.exp(-0f), "exp −0");
        assertTrue(ulps((float) Math.E, ExactMath.exp(1f)) <= EXP_ULPS);
        float low = ExactMath.exp(-87f);
        float high = ExactMath.exp(88f);
        assertTrue(low >= Float.MIN_NORMAL && low < 1.7e-38f, "exp −87 = " + low);
        assertTrue(high > 1.6e38f && high < Float.MAX_VALUE, "exp 88 = " + high);
        for (float x : new float[] {-87.5f, -100f, -1e30f, Float.NEGATIVE_INFINITY}) {
            sameBits(low, ExactMath.exp(x), "exp " + x);
        }
        for (float x : new float[] {88.5f, 100f, 1e30f, Float.POSITIVE_INFINITY}) {
            sameBits(high, ExactMath.exp(x), "exp " + x);
        }
        assertTrue(Float.isNaN(ExactMath.exp(Float.NaN)));
    }

    @Test
    void expm1IsWithinTwoUlpsForNonNegativeArguments() {
        within(0f, ExactMath.EXP_MAX_F, EXPM1_ULPS, ExactMath::expm1, StrictMath::expm1, "expm1");
        sameBits(0f, ExactMath.expm1(0f), "expm1 0");
        sameBits(1e-30f, ExactMath.expm1(1e-30f), "expm1 1e−30");
        sameBits(Float.MIN_VALUE, ExactMath.expm1(Float.MIN_VALUE), "expm1 of the least subnormal");
        assertTrue(Float.isNaN(ExactMath.expm1(Float.NaN)));
    }

    @Test
    void tanhIsWithinTwoUlpsEverywhere() {
        within(-RANGE, RANGE, TANH_ULPS, ExactMath::tanh, StrictMath::tanh, "tanh");
    }

    @Test
    void tanhKeepsItsSignAndSaturates() {
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ExactMath.tanh(-0f)));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(ExactMath.tanh(0f)));
        for (float x : new float[] {1e-30f, Float.MIN_VALUE, Float.MIN_NORMAL}) {
            sameBits(x, ExactMath.tanh(x), "tanh " + x);
            sameBits(-x, ExactMath.tanh(-x), "tanh " + -x);
        }
        for (float x : new float[] {9.1f, 50f, 1e30f, Float.MAX_VALUE, Float.POSITIVE_INFINITY}) {
            sameBits(1f, ExactMath.tanh(x), "tanh " + x);
            sameBits(-1f, ExactMath.tanh(-x), "tanh " + -x);
        }
        assertTrue(Float.isNaN(ExactMath.tanh(Float.NaN)));
    }

    @Test
    void sigmoidIsWithinTwoUlpsWhereExpIsNotClamped() {
        within(-ExactMath.EXP_MAX_F, RANGE, SIGMOID_ULPS, ExactMath::sigmoid, x -> 1 / (1 + StrictMath.exp(-x)),
                "sigmoid");
    }

    @Test
    void sigmoidStaysInItsRangeFarOut() {
        sameBits(0.5f, ExactMath.sigmoid(0f), "σ 0");
        sameBits(0.5f, ExactMath.sigmoid(-0f), "σ −0");
        for (float x : new float[] {17f, 50f, 100f, 1e30f, Float.POSITIVE_INFINITY}) {
            sameBits(1f, ExactMath.sigmoid(x), "σ " + x);
        }
        // e^{−x} is clamped at e^88, so σ bottoms out at 1/(e^88 + 1) ≈ 6e−39, not the true 4e−44
        float floor = ExactMath.sigmoid(-88f);
        assertTrue(floor > 0 && floor < 7e-39f, "σ −88 = " + floor);
        for (float x : new float[] {-100f, -1e30f, Float.NEGATIVE_INFINITY}) {
            sameBits(floor, ExactMath.sigmoid(x), "σ " + x);
        }
        assertTrue(Float.isNaN(ExactMath.sigmoid(Float.NaN)));
    }

    @Test
    void theHighPartOfLn2MultipliesWithoutRounding() {
        // 16 significant bits: n·LN2_HI_F is exact for |n| ≤ 127 (the clamp keeps n there)
        int mantissa = Float.floatToRawIntBits(ExactMath.LN2_HI_F) & 0x7fffff;
        assertTrue(Integer.numberOfTrailingZeros(mantissa) >= 8, "ln 2's high part has too many bits");
        assertEquals(Math.log(2), (double) ExactMath.LN2_HI_F + ExactMath.LN2_LO_F, 0x1p-40);
        assertTrue(Math.abs(ExactMath.EXP_MAX_F * ExactMath.LOG2E_F) < 127.5f);
        assertTrue(Math.abs(ExactMath.EXP_MIN_F * ExactMath.LOG2E_F) < 126.5f);
    }
}
