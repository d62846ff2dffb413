package charrnn.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link ExactMath}'s float32 exp, e^x − 1, tanh and σ on {@link FloatVector}s: the same
 * formula, operation for operation, lane by lane, so every lane holds the bits the scalar
 * function gives, at every vector width. Loaded only when {@code jdk.incubator.vector} is in
 * the boot layer, like {@link VectorKernels}, and under its rules: no lane-wise EXP or TANH
 * (whose results may depend on the JIT tier, the JDK or the CPU), only float +, −, ×, ÷, fma,
 * min, max, abs and changes of bits, which IEEE 754 rounds exactly.
 */
final class VectorMathF {
    private VectorMathF() {
    }

    /** {@link ExactMath}'s e^r − 1 for |r| ≤ ln2/2: r + r²·(1/2 + r/6 + ... + r^5/7!). */
    private static FloatVector expm1Small(FloatVector r) {
        final float[] c = ExactMath.INV_FACT_F;
        FloatVector p = r.broadcast(c[0]);
        for (int i = 1; i < c.length; i++) {
            p = r.fma(p, r.broadcast(c[i]));
        }
        return r.mul(p).fma(r, r);
    }

    /** 2^n for the integer n held in the low bits of t = n + ROUNDER_F. */
    private static FloatVector twoTo(FloatVector t) {
        return t.reinterpretAsInts().sub(ExactMath.ROUNDER_F_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
    }

    /** x − n·ln2 for n held in t = n + ROUNDER_F: two-part ln 2, each part one fma. */
    private static FloatVector reduce(FloatVector x, FloatVector t) {
        final FloatVector n = t.sub(ExactMath.ROUNDER_F);
        return n.fma(x.broadcast(-ExactMath.LN2_LO_F), n.fma(x.broadcast(-ExactMath.LN2_HI_F), x));
    }

    /** {@link ExactMath#exp(float)}: e^x, x clamped to [−87, 88]. */
    static FloatVector exp(FloatVector x) {
        x = x.max(ExactMath.EXP_MIN_F).min(ExactMath.EXP_MAX_F);
        // x = n·ln2 + r, |r| ≤ ln2/2: e^x = 2^n·(e^r − 1) + 2^n, rounded once
        final FloatVector t = x.fma(ExactMath.LOG2E_F, ExactMath.ROUNDER_F);
        final FloatVector twoN = twoTo(t);
        return expm1Small(reduce(x, t)).fma(twoN, twoN);
    }

    /** {@link ExactMath#expm1(float)}: e^x − 1 for x ≥ 0, 2^n·(e^r − 1) + (2^n − 1). */
    static FloatVector expm1(FloatVector x) {
        x = x.min(ExactMath.EXP_MAX_F);
        final FloatVector t = x.fma(ExactMath.LOG2E_F, ExactMath.ROUNDER_F);
        final FloatVector twoN = twoTo(t);
        return expm1Small(reduce(x, t)).fma(twoN, twoN.sub(1f));
    }

    /** {@link ExactMath#tanh(float)}: sign(x) · u/(u + 2), u = e^{2|x|} − 1, the sign copied bit for bit. */
    static FloatVector tanh(FloatVector x) {
        final FloatVector u = expm1(x.abs().mul(2f));
        final FloatVector t = u.div(u.add(2f));
        final IntVector sign = x.reinterpretAsInts().and(ExactMath.SIGN_BIT_F);
        return t.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    /** {@link ExactMath#sigmoid(float)}: σ(x) = 1/(e^{−x} + 1). */
    static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(exp(x.neg()).add(1f));
    }
}
