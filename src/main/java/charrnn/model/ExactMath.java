package charrnn.model;

/**
 * exp, tanh, σ and ln with the same bits on every machine and JDK. {@code Math.exp} and
 * {@code Math.tanh} may differ by an ulp between JDKs, CPUs and JIT tiers (the JDK chooses
 * among intrinsics); these are built from operations that IEEE 754 rounds exactly (+, −, ×, ÷,
 * {@code Math.fma}, and setting an exponent's bits). {@code VectorKernels} computes them with
 * the same formula, operation for operation, lane by lane, so scalar and vector code agree
 * bit for bit. ln, needed once per softmax row, is {@code StrictMath.log}, whose results the
 * Java specification fixes (fdlibm's) on every platform.
 *
 * <p>exp, e^x − 1, tanh and σ come in float32 too, for the float32 engine: the same
 * construction in float operations only, a shorter polynomial, and clamps where float's
 * exponent ends; {@code VectorMathF} is their lane-by-lane twin. Against StrictMath rounded
 * to float, over all 2.2 billion floats of [−90, 90]: exp within 1 ulp on [−87, 88] (99.2%
 * exact), e^x − 1 within 2 on [0, 88], tanh within 2 (92.5% exact), σ within 2 on [−87, 90]
 * (92.5% exact); beyond 90 tanh and σ are ±1 and 1, as rounding the true values gives.
 */
public final class ExactMath {
    static final double LOG2E = 1.4426950408889634;
    static final double LN2_HI = 0.6931471803691238;       // ln 2, high 32 bits
    static final double LN2_LO = 1.9082149292705877e-10;   // ln 2 − LN2_HI
    static final double ROUNDER = 0x1.8p52;                 // adding it rounds to an integer
    static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    static final double EXP_LIMIT = 700;
    static final long SIGN_BIT = Long.MIN_VALUE;
    /** 1/k! for k = 13 down to 2: Taylor series of e^r, |r| ≤ ln2/2, error below 1e-17. */
    static final double[] INV_FACT = {
        1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
        1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5};

    private ExactMath() {
    }

    /** e^r − 1 for |r| ≤ ln2/2: r + r²·(1/2 + r/6 + ... + r^11/13!), Horner with fma, no cancellation. */
    private static double expm1Small(double r) {
        double p = INV_FACT[0];
        for (int i = 1; i < INV_FACT.length; i++) {
            p = Math.fma(p, r, INV_FACT[i]);
        }
        return Math.fma(p * r, r, r);
    }

    /** 2^n for the integer n held in the low bits of t = n + ROUNDER. */
    private static double twoTo(double t) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(t) - (ROUNDER_BITS - 1023L)) << 52);
    }

    /** e^x, x clamped to ±700 (far beyond what a softmax or tanh here can use). */
    public static double exp(double x) {
        x = Math.min(Math.max(x, -EXP_LIMIT), EXP_LIMIT);
        // x = n·ln2 + r, |r| ≤ ln2/2
        final double t = Math.fma(x, LOG2E, ROUNDER);
        final double n = t - ROUNDER;
        final double r = Math.fma(n, -LN2_HI, x) - n * LN2_LO;
        return (expm1Small(r) + 1.0) * twoTo(t);
    }

    /**
     * e^x − 1 for x ≥ 0 (clamped to 700): with x = n·ln2 + r, it is 2^n·(e^r − 1) + (2^n − 1),
     * where 2^n − 1 is exact, so small x lose nothing to cancellation (n = 0 leaves e^r − 1).
     */
    static double expm1(double x) {
        x = Math.min(x, EXP_LIMIT);
        final double t = Math.fma(x, LOG2E, ROUNDER);
        final double n = t - ROUNDER;
        final double r = Math.fma(n, -LN2_HI, x) - n * LN2_LO;
        final double twoN = twoTo(t);
        return Math.fma(expm1Small(r), twoN, twoN - 1.0);
    }

    /**
     * tanh x = sign(x) · u/(u + 2) with u = e^{2|x|} − 1, without cancellation; the sign is
     * copied bit for bit (tanh −0 = −0, a NaN stays NaN).
     */
    public static double tanh(double x) {
        final double u = expm1(Math.abs(x) * 2.0);
        final double t = u / (u + 2.0);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(t) | (Double.doubleToRawLongBits(x) & SIGN_BIT));
    }

    /** σ(x) = 1/(e^{−x} + 1). */
    public static double sigmoid(double x) {
        return 1.0 / (exp(-x) + 1.0);
    }

    // ---- float32: the same formulas in float arithmetic only, for the float32 engine -------
    //
    // Every operation below is a float +, −, ×, ÷, Math.fma(float, float, float), min, max, abs
    // or a change of bits, so VectorMathF repeats it on FloatVector lane by lane with the same
    // bits; no double enters, not even as an intermediate.

    static final float LOG2E_F = 1.442695f;
    /** ln 2 to 16 bits (0x3f317200): n·LN2_HI_F is exact for |n| ≤ 127, and so is x − n·LN2_HI_F. */
    static final float LN2_HI_F = 0.693145751953125f;
    static final float LN2_LO_F = 1.4286068e-6f;            // ln 2 − LN2_HI_F, rounded to float
    static final float ROUNDER_F = 0x1.8p23f;                // adding it rounds to an integer
    static final int ROUNDER_F_BITS = Float.floatToRawIntBits(ROUNDER_F);
    /** e^88 ≈ 1.65e38 is below Float.MAX_VALUE; beyond it n = 128 has no float exponent. */
    static final float EXP_MAX_F = 88f;
    /** e^−87 ≈ 1.65e−38 is still a normal float (2^−126 ≈ 1.18e−38); below it 2^n is no longer one. */
    static final float EXP_MIN_F = -87f;
    static final int SIGN_BIT_F = Integer.MIN_VALUE;
    /** 1/k! for k = 7 down to 2: Taylor series of e^r, |r| ≤ ln2/2, truncation error below 6e−9. */
    static final float[] INV_FACT_F = {
        1f / 5040f, 1f / 720f, 1f / 120f, 1f / 24f, 1f / 6f, 0.5f};

    /** e^r − 1 for |r| ≤ ln2/2 in float: r + r²·(1/2 + r/6 + ... + r^5/7!), Horner with fma. */
    private static float expm1Small(float r) {
        float p = INV_FACT_F[0];
        for (int i = 1; i < INV_FACT_F.length; i++) {
            p = Math.fma(p, r, INV_FACT_F[i]);
        }
        return Math.fma(p * r, r, r);
    }

    /** 2^n for the integer n held in the low bits of t = n + ROUNDER_F. */
    private static float twoTo(float t) {
        return Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUNDER_F_BITS - 127)) << 23);
    }

    /** x − n·ln2, for n = round(x·log2 e) held in t = n + ROUNDER_F: exact but for the last fma's rounding. */
    private static float reduce(float x, float t) {
        final float n = t - ROUNDER_F;
        return Math.fma(n, -LN2_LO_F, Math.fma(n, -LN2_HI_F, x));
    }

    /**
     * e^x in float, x clamped to [−87, 88], where e^x is a normal float (below −87 it returns
     * e^−87 ≈ 1.65e−38 rather than a subnormal or 0, above 88 e^88 rather than ∞).
     */
    public static float exp(float x) {
        x = Math.min(Math.max(x, EXP_MIN_F), EXP_MAX_F);
        // x = n·ln2 + r, |r| ≤ ln2/2: e^x = 2^n·(e^r − 1) + 2^n, rounded once
        final float t = Math.fma(x, LOG2E_F, ROUNDER_F);
        final float twoN = twoTo(t);
        return Math.fma(expm1Small(reduce(x, t)), twoN, twoN);
    }

    /** e^x − 1 for x ≥ 0 in float (clamped to 88): 2^n·(e^r − 1) + (2^n − 1), as {@link #expm1(double)}. */
    static float expm1(float x) {
        x = Math.min(x, EXP_MAX_F);
        final float t = Math.fma(x, LOG2E_F, ROUNDER_F);
        final float twoN = twoTo(t);
        return Math.fma(expm1Small(reduce(x, t)), twoN, twoN - 1f);
    }

    /** tanh x in float: sign(x) · u/(u + 2), u = e^{2|x|} − 1, the sign copied bit for bit. */
    public static float tanh(float x) {
        final float u = expm1(Math.abs(x) * 2f);
        final float t = u / (u + 2f);
        return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(x) & SIGN_BIT_F));
    }

    /** σ(x) = 1/(e^{−x} + 1) in float. */
    public static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    /** ln x, fdlibm's result on every platform. */
    public static double log(double x) {
        return StrictMath.log(x);
    }
}
