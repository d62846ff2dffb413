package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link VectorMathF} against {@link ExactMath}'s float functions, bit for bit, at every vector
 * width the Vector API offers (2, 4, 8 and 16 floats), over a sweep of float bit patterns in
 * [−100, 100], and the special values (±0, subnormals, the clamps, ±∞, NaN) in every lane.
 *
 * <p>Runs in the pom's {@code vector-widths} execution, a JVM of its own, as
 * {@link VectorWidthsTest} does.
 */
@Tag("vector-widths")
class VectorMathFTest {
    /** The sweep's stride through float bit patterns: odd, so mantissas of every ending occur. */
    private static final int STRIDE = 20011;
    private static final float RANGE = 100f;
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        -Float.MIN_NORMAL, 1e-30f, -1e-30f, 0.5f, -0.5f, 1f, -1f, 0.34657359f, -0.34657359f, 9.1f, -9.1f, 17f, -17f,
        ExactMath.EXP_MIN_F, ExactMath.EXP_MAX_F, -ExactMath.EXP_MAX_F, -88.72f, 88.72f, 89f, -89f, 100f, -100f, 1e30f,
        -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffc00001)};

    static Stream<Integer> widths() {
        return Stream.of(64, 128, 256, 512);
    }

    /** Every STRIDE-th float of [−RANGE, RANGE] of each sign. */
    private static float[] sweep() {
        int top = Float.floatToRawIntBits(RANGE);
        float[] x = new float[2 * (top / STRIDE + 1)];
        int i = 0;
        for (int b = 0; b <= top; b += STRIDE) {
            x[i++] = Float.intBitsToFloat(b);
            x[i++] = Float.intBitsToFloat(b | Integer.MIN_VALUE);
        }
        return x;
    }

    private interface ScalarOp {
        float apply(float x);
    }

    private interface VectorOp {
        FloatVector apply(FloatVector x);
    }

    /**
     * Runs {@code vector} on the sweep, and on the special values from each offset 0 .. lanes − 1
     * so that each is seen in every lane, and requires in every lane the bits {@code scalar}
     * gives (a NaN of any payload matches a NaN).
     */
    private static void same(VectorSpecies<Float> sp, boolean nonNegative, ScalarOp scalar, VectorOp vector,
            String name) {
        float[] special = SPECIAL.clone();
        float[] x = sweep();
        if (nonNegative) {  // e^x − 1 is defined for x ≥ 0 only
            for (float[] a : new float[][] {special, x}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = Math.abs(a[i]);
                }
            }
        }
        float[] repeated = new float[special.length * 2 + sp.length()];
        for (int i = 0; i < repeated.length; i++) {
            repeated[i] = special[i % special.length];
        }
        same(sp, x, 1, scalar, vector, name);
        same(sp, repeated, sp.length(), scalar, vector, name);
    }

    /** Runs {@code vector} on whole vectors of x from each offset 0 .. offsets − 1, lane by lane against {@code scalar}. */
    private static void same(VectorSpecies<Float> sp, float[] x, int offsets, ScalarOp scalar, VectorOp vector,
            String name) {
        int lanes = sp.length();
        float[] y = new float[x.length];
        for (int start = 0; start < offsets; start++) {
            for (int i = start; i + lanes <= x.length; i += lanes) {
                vector.apply(FloatVector.fromArray(sp, x, i)).intoArray(y, i);
            }
            for (int i = start; i < x.length - (x.length - start) % lanes; i++) {
                float expected = scalar.apply(x[i]);
                if (Float.floatToIntBits(expected) != Float.floatToIntBits(y[i])) {
                    throw new AssertionError(name + " at " + sp.vectorBitSize() + " bits, x = " + x[i] + ": "
                            + expected + " (scalar) vs " + y[i] + " (vector)");
                }
            }
        }
    }

    private static VectorSpecies<Float> species(int bits) {
        VectorSpecies<Float> sp = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        assertEquals(bits / 32, sp.length());
        return sp;
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void expIsTheScalarOneInEveryLane(int bits) {
        same(species(bits), false, ExactMath::exp, VectorMathF::exp, "exp");
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void expm1IsTheScalarOneInEveryLane(int bits) {
        same(species(bits), true, ExactMath::expm1, VectorMathF::expm1, "expm1");
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void tanhIsTheScalarOneInEveryLane(int bits) {
        VectorSpecies<Float> sp = species(bits);
        same(sp, false, ExactMath::tanh, VectorMathF::tanh, "tanh");
        // and −0 stays −0 in a vector too, which floatToIntBits tells from +0
        float[] zeros = new float[sp.length()];
        Arrays.fill(zeros, -0f);
        float[] t = VectorMathF.tanh(FloatVector.fromArray(sp, zeros, 0)).toArray();
        for (float z : t) {
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(z));
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void sigmoidIsTheScalarOneInEveryLane(int bits) {
        same(species(bits), false, ExactMath::sigmoid, VectorMathF::sigmoid, "sigmoid");
    }
}
