package charrnn.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ExactMath}'s float32 exp, e^x − 1, tanh and σ on {@link FloatVector}s: the same
 * formula, operation for operation, lane by lane, so every lane holds the bits the scalar
 * function gives, at every vector width. Loaded only when {@code jdk.incubator.vector} is in
 * the boot layer, like {@link VectorKernels}, and under its rules: no lane-wise EXP or TANH
 * (whose results may depend on the JIT tier, the JDK or the CPU), only float +, −, ×, ÷, fma,
 * min, max, abs and changes of bits, which IEEE 754 rounds exactly.
 *
 * <p>A vector whose lanes were reinterpreted ({@code reinterpretAsInts}, {@code
 * reinterpretAsFloats}) is never the receiver of a call: it comes out of the reinterpretation
 * as a vector of unknown class, and C2 compiled from C1's limited profile left such calls
 * virtual, on the Vector API's Java fallbacks (44 MB allocated per update of an LSTM of 256
 * units, in two runs of three). Its bits go into a vector of known class instead, by an
 * operation that keeps them ({@link #bits}: 0 | v; {@link #exactly}: 1 · v), or it is passed
 * as an argument ({@code −1 + 2^n} rather than {@code 2^n − 1}, the same sum). See also
 * {@link VectorKernels}' rule on vectors carried around a loop.
 *
 * <p>And no method is more than 35 bytes of bytecode (HotSpot's MaxInlineSize; VectorFunctionSizeTest
 * checks): C2 inlines a larger one only where its profile calls the call site hot, and where it
 * judged one cold (exp's 40 bytes in softmaxLoss, compiled from a thin profile) the call stayed,
 * passing its vectors as objects, on the fallbacks: 14,400 bytes per update of README's command
 * on two processors in about one run of fifteen. So the functions are cut into steps.
 */
final class VectorMathF {
    /** Ints in vectors of the preferred float species' shape. */
    private static final VectorSpecies<Integer> INTS =
            VectorSpecies.of(int.class, FloatVector.SPECIES_PREFERRED.vectorShape());

    private VectorMathF() {
    }

    /** The bits of v's lanes, in an int vector of known class: 0 | v. */
    private static IntVector bits(FloatVector v) {
        return IntVector.zero(ints(v)).or(v.reinterpretAsInts());
    }

    /** Ints in vectors of v's shape. */
    private static VectorSpecies<Integer> ints(FloatVector v) {
        return v.shape() == INTS.vectorShape() ? INTS : VectorSpecies.of(int.class, v.shape());
    }

    /** v, lane for lane and bit for bit, in a vector of like's (known) class: 1 · v. */
    private static FloatVector exactly(FloatVector like, FloatVector v) {
        return like.broadcast(1f).mul(v);
    }

    /** {@link ExactMath}'s e^r − 1 for |r| ≤ ln2/2: r + r²·(1/2 + r/6 + ... + r^5/7!). */
    private static FloatVector expm1Small(FloatVector r) {
        return r.mul(series(r)).fma(r, r);
    }

    /** 1/2 + r/6 + ... + r^5/7!, Horner's rule from the last coefficient. */
    private static FloatVector series(FloatVector r) {
        FloatVector p = r.broadcast(ExactMath.INV_FACT_F[0]);
        for (int i = 1; i < ExactMath.INV_FACT_F.length; i++) {
            p = horner(r, p, i);
        }
        return p;
    }

    /** One step of {@link #series}: r·p + c_i. */
    private static FloatVector horner(FloatVector r, FloatVector p, int i) {
        return r.fma(p, r.broadcast(ExactMath.INV_FACT_F[i]));
    }

    /** 2^n for the integer n held in the low bits of t = n + ROUNDER_F. */
    private static FloatVector twoTo(FloatVector t) {
        return bits(t).sub(ExactMath.ROUNDER_F_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** x − n·ln2 for n held in t = n + ROUNDER_F: two-part ln 2, each part one fma. */
    private static FloatVector reduce(FloatVector x, FloatVector t) {
        final FloatVector n = t.sub(ExactMath.ROUNDER_F);
        return n.fma(x.broadcast(-ExactMath.LN2_LO_F), n.fma(x.broadcast(-ExactMath.LN2_HI_F), x));
    }

    /** {@link ExactMath#exp(float)}: e^x, x clamped to [−87, 88]. */
    static FloatVector exp(FloatVector x) {
        return expClamped(x.max(ExactMath.EXP_MIN_F).min(ExactMath.EXP_MAX_F));
    }

    /** e^x for x within the clamp: x = n·ln2 + r, |r| ≤ ln2/2, e^x = 2^n·(e^r − 1) + 2^n, rounded once. */
    private static FloatVector expClamped(FloatVector x) {
        final FloatVector t = x.fma(ExactMath.LOG2E_F, ExactMath.ROUNDER_F);
        final FloatVector twoN = twoTo(t);
        return expm1Small(reduce(x, t)).fma(twoN, twoN);
    }

    /** {@link ExactMath#expm1(float)}: e^x − 1 for x ≥ 0, 2^n·(e^r − 1) + (2^n − 1). */
    static FloatVector expm1(FloatVector x) {
        return expm1Clamped(x.min(ExactMath.EXP_MAX_F));
    }

    /** e^x − 1 for x within the clamp. */
    private static FloatVector expm1Clamped(FloatVector x) {
        final FloatVector t = x.fma(ExactMath.LOG2E_F, ExactMath.ROUNDER_F);
        final FloatVector twoN = twoTo(t);
        return expm1Small(reduce(x, t)).fma(twoN, lessOne(x, twoN));
    }

    /** v − 1, as −1 + v (the same sum, with v an argument: see the class comment). */
    private static FloatVector lessOne(FloatVector like, FloatVector v) {
        return like.broadcast(-1f).add(v);
    }

    /** {@link ExactMath#tanh(float)}: sign(x) · u/(u + 2), u = e^{2|x|} − 1, the sign copied bit for bit. */
    static FloatVector tanh(FloatVector x) {
        return withSignOf(x, ratio(expm1(x.abs().mul(2f))));
    }

    /** u/(u + 2). */
    private static FloatVector ratio(FloatVector u) {
        return u.div(u.add(2f));
    }

    /** t ≥ 0 with x's sign bit, in a vector of x's (known) class. */
    private static FloatVector withSignOf(FloatVector x, FloatVector t) {
        return exactly(x, bits(x).and(ExactMath.SIGN_BIT_F).or(t.reinterpretAsInts()).reinterpretAsFloats());
    }

    /** {@link ExactMath#sigmoid(float)}: σ(x) = 1/(e^{−x} + 1). */
    static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(exp(x.neg()).add(1f));
    }
}
