package charrnn.model;

/**
 * exp, tanh, σ and ln with the same bits on every machine and JDK. {@code Math.exp} and
 * {@code Math.tanh} may differ by an ulp between JDKs, CPUs and JIT tiers (the JDK chooses
 * among intrinsics); these are built from operations that IEEE 754 rounds exactly (+, −, ×, ÷,
 * {@code Math.fma}, and setting an exponent's bits). {@code VectorKernels} computes them with
 * the same formula, operation for operation, lane by lane, so scalar and vector code agree
 * bit for bit. ln, needed once per softmax row, is {@code StrictMath.log}, whose results the
 * Java specification fixes (fdlibm's) on every platform.
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

    /** ln x, fdlibm's result on every platform. */
    public static double log(double x) {
        return StrictMath.log(x);
    }
}
