package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel at every vector width the Vector API offers (64 to 512 bits, whatever this
 * CPU's own), against the plain kernels, bit for bit, in both formats: the arithmetic order of
 * {@link Ops} depends neither on the width nor on the register blocking. Shapes cover the 4-row
 * and 1-row micro-kernels, whole groups of four vectors, single vectors, the overlapping last
 * vector, repeated positions and scalar tails at every width; data include exact zeros of both
 * signs (a skipped 0·m would change a −0) and values over the whole range of exp and tanh.
 *
 * <p>Runs in a JVM of its own (the pom's {@code vector-widths} execution): the widths the CPU
 * does not run natively, once used, slow the CPU's own kernels in the same JVM.
 */
@Tag("vector-widths")
class VectorWidthsTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 33, 40};
    private static final int[] WIDE = {47, 64, 65, 100, 130};

    /** A storage format: its plain and vector kernels, and how to make, copy and compare its arrays. */
    record Format<A>(String name, Ops<A> plain, Ops<A> vector, Function<double[], A> of,
                             Function<A, long[]> bits, Function<A, A> copy) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Format<double[]> float64(int bits) {
        return new Format<>("float64", Kernels.plain(), Kernels.vector(bits), a -> a, VectorWidthsTest::bits,
                double[]::clone);
    }

    static Format<float[]> float32(int bits) {
        return new Format<>("float32", Kernels.plain().floats(), Kernels.vector(bits).floats(),
                VectorWidthsTest::rounded, VectorWidthsTest::bits, float[]::clone);
    }

    static Stream<Arguments> formats() {
        List<Arguments> all = new ArrayList<>();
        for (int bits : new int[] {64, 128, 256, 512}) {
            all.add(Arguments.of(bits, float64(bits)));
            all.add(Arguments.of(bits, float32(bits)));
        }
        return all.stream();
    }

    /** Gaussians of spread sigma, with exact zeros, −0 and a few large values sprinkled in. */
    private static double[] data(int n, double sigma, Rng rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            a[i] = u < 0.08 ? 0.0 : u < 0.14 ? -0.0 : u < 0.18 ? 40 * rng.nextGaussian() : sigma * rng.nextGaussian();
        }
        return a;
    }

    private static float[] rounded(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static long[] bits(double[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Double.doubleToLongBits(a[i]);
        }
        return b;
    }

    private static long[] bits(float[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToIntBits(a[i]);
        }
        return b;
    }

    /** A kernel call on arrays a.get(0), a.get(1), ...; returns its scalar result, or 0. */
    private interface KernelOp<A> {
        double run(Ops<A> k, List<A> a);
    }

    /** The arrays of the format, made from these doubles. */
    private static <A> List<A> arrays(Format<A> f, double[]... data) {
        List<A> list = new ArrayList<>();
        for (double[] d : data) {
            list.add(f.of().apply(d));
        }
        return list;
    }

    private static <A> List<A> copy(Format<A> f, List<A> arrays) {
        List<A> c = new ArrayList<>();
        for (A a : arrays) {
            c.add(f.copy().apply(a));
        }
        return c;
    }

    /** Runs {@code op} on copies of the same arrays with both kernels and requires the same bits in all of them. */
    private static <A> void same(Format<A> f, List<A> arrays, KernelOp<A> op, String what) {
        List<A> a = copy(f, arrays);
        List<A> b = copy(f, arrays);
        double ra = op.run(f.plain(), a);
        double rb = op.run(f.vector(), b);
        assertEquals(Double.doubleToLongBits(ra), Double.doubleToLongBits(rb),
                f + " " + what + ": result " + ra + " vs " + rb);
        for (int i = 0; i < a.size(); i++) {
            long[] x = f.bits().apply(a.get(i));
            long[] y = f.bits().apply(b.get(i));
            if (!Arrays.equals(x, y)) {
                int j = Arrays.mismatch(x, y);
                throw new AssertionError(f + " " + what + ": array " + i + " differs at " + j + " ("
                        + f.vector().describe() + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0} bits, {1}")
    @MethodSource("formats")
    <A> void productsAreTheSameAtEveryWidth(int bits, Format<A> f) {
        Rng rng = new Rng(bits);
        int[] widths = java.util.stream.IntStream.concat(Arrays.stream(SIZES), Arrays.stream(WIDE)).toArray();
        for (int K : new int[] {1, 2, 3, 5, 9, 17}) {
            for (int N : widths) {
                for (int rows : new int[] {1, 3, 4, 5, 9}) {
                    // A (rows×K, from row 1 of its array) · B (K×N) into C (rows×N, from row 2)
                    List<A> arrays = arrays(f, data((rows + 1) * K, 1, rng), data(K * N, 1, rng),
                            data((rows + 2) * N, 1, rng));
                    final int k = K;
                    final int n = N;
                    final int r = rows;
                    for (boolean acc : new boolean[] {false, true}) {
                        same(f, arrays, (ops, a) -> {
                            ops.product(new Mat<>(a.get(0), k, r, k), false, new Mat<>(a.get(1), 0, k, n),
                                    new Mat<>(a.get(2), 2 * n, r, n), acc);
                            return 0;
                        }, "A·B rows=" + rows + " K=" + K + " N=" + N + " acc=" + acc);
                        // Aᵀ·B: A is K×rows
                        same(f, arrays, (ops, a) -> {
                            ops.product(new Mat<>(a.get(0), 1, k, r), true, new Mat<>(a.get(1), 0, k, n),
                                    new Mat<>(a.get(2), n, r, n), acc);
                            return 0;
                        }, "Aᵀ·B rows=" + rows + " K=" + K + " N=" + N + " acc=" + acc);
                    }
                }
            }
        }
    }

    /** Weights packed into panels by each implementation give the products of the plain kernels. */
    @ParameterizedTest(name = "{0} bits, {1}")
    @MethodSource("formats")
    <A> void productsWithPackedWeightsAreTheSameAtEveryWidth(int bits, Format<A> f) {
        Rng rng = new Rng(50 + bits);
        int[] widths = java.util.stream.IntStream.concat(Arrays.stream(SIZES), Arrays.stream(WIDE)).toArray();
        for (int K : new int[] {1, 3, 17, 150}) {      // 150: rows packed in tiles of 64, the last one short
            for (int N : widths) {
                for (boolean transpose : new boolean[] {false, true}) {
                    double[] w = data(K * N, 1, rng);
                    int rows = transpose ? N : K;
                    int cols = transpose ? K : N;
                    // one row (two slabs at a time), a few, and 8 + 4 + 1 (a single slab's blocks of rows)
                    for (int M : new int[] {1, 2, 3, 4, 6, 13}) {
                        List<A> arrays = arrays(f, data((M + 1) * K, 1, rng), data((M + 2) * N, 1, rng));
                        final int k = K;
                        final int n = N;
                        final int m = M;
                        same(f, arrays, (ops, a) -> {
                            Panels<A> b = ops.panels(k, n);
                            ops.loadPanels(w, rows, cols, transpose, b);
                            ops.mult(new Mat<>(a.get(0), k, m, k), b, new Mat<>(a.get(1), n, m, n));
                            return 0;
                        }, "A·panels M=" + M + " K=" + K + " N=" + N + " transposed=" + transpose);
                    }
                }
            }
        }
    }

    /** Panels loaded a stretch of source rows at a time, last first, hold what a whole load puts there. */
    @ParameterizedTest(name = "{0} bits, {1}")
    @MethodSource("formats")
    <A> void panelsLoadedRowsAtATimeAreThePanelsLoadedWhole(int bits, Format<A> f) {
        Rng rng = new Rng(90 + bits);
        int[] widths = java.util.stream.IntStream.concat(Arrays.stream(SIZES), Arrays.stream(WIDE)).toArray();
        for (int K : new int[] {1, 3, 17, 150}) {
            for (int N : widths) {
                for (boolean transpose : new boolean[] {false, true}) {
                    double[] w = data(K * N, 1, rng);
                    int rows = transpose ? N : K;
                    int cols = transpose ? K : N;
                    for (Ops<A> ops : List.of(f.plain(), f.vector())) {
                        Panels<A> whole = ops.panels(K, N);
                        ops.loadPanels(w, rows, cols, transpose, whole);
                        for (int stretch : new int[] {1, 7, 16, 70}) {
                            Panels<A> b = ops.panels(K, N);
                            for (int to = rows; to > 0; to -= stretch) {
                                ops.loadPanels(w, rows, cols, transpose, b, Math.max(0, to - stretch), to);
                            }
                            assertEquals(Arrays.toString(f.bits().apply(whole.data())),
                                    Arrays.toString(f.bits().apply(b.data())), f + " " + ops.describe() + " K=" + K
                                            + " N=" + N + " transposed=" + transpose + " in stretches of " + stretch);
                        }
                    }
                }
            }
        }
    }

    /**
     * Between float64 and the format, number by number: load rounds, storeAdd adds in float64,
     * storeFirst is storeAdd onto +0 (so −0 becomes +0), the same bits at every width and offset.
     */
    @ParameterizedTest(name = "{0} bits, {1}")
    @MethodSource("formats")
    <A> void conversionsToAndFromFloat64AreTheSameAtEveryWidth(int bits, Format<A> f) {
        Rng rng = new Rng(95 + bits);
        int[] widths = java.util.stream.IntStream.concat(Arrays.stream(SIZES), Arrays.stream(WIDE)).toArray();
        for (int n : widths) {
            for (int off : new int[] {0, 3}) {
                double[] src = data(n + 5, 1, rng);
                double[] acc = data(n + 5, 1, rng);
                A x = f.of().apply(data(n + 5, 1, rng));
                List<long[]> results = new ArrayList<>();
                for (Ops<A> ops : List.of(f.plain(), f.vector())) {
                    A loaded = f.copy().apply(x);
                    ops.load(src, off, loaded, 2, n);
                    double[] added = acc.clone();
                    ops.storeAdd(x, 1, added, off, n);
                    double[] first = acc.clone();
                    ops.storeFirst(x, 1, first, off, n);
                    double[] zeroed = acc.clone();
                    Arrays.fill(zeroed, off, off + n, 0.0);
                    ops.storeAdd(x, 1, zeroed, off, n);
                    assertEquals(Arrays.toString(bits(zeroed)), Arrays.toString(bits(first)),
                            f + " " + ops.describe() + " n=" + n + ": storeFirst is storeAdd onto +0");
                    results.add(f.bits().apply(loaded));
                    results.add(bits(added));
                    results.add(bits(first));
                }
                for (int r = 0; r < 3; r++) {
                    assertEquals(Arrays.toString(results.get(r)), Arrays.toString(results.get(r + 3)),
                            f + " n=" + n + " off=" + off + ": " + List.of("load", "storeAdd", "storeFirst").get(r));
                }
            }
        }
    }

    /** Weight gradients with the right-hand factor packed from a view give the plain kernels' products. */
    @ParameterizedTest(name = "{0} bits, {1}")
    @MethodSource("formats")
    <A> void weightGradientsWithPackedFactorsAreTheSameAtEveryWidth(int bits, Format<A> f) {
        Rng rng = new Rng(70 + bits);
        int[] widths = java.util.stream.IntStream.concat(Arrays.stream(SIZES), Arrays.stream(WIDE)).toArray();
        for (int K : new int[] {1, 3, 17, 150}) {
            for (int N : widths) {
                for (int M : new int[] {1, 2, 3, 4, 6, 65}) {
                    List<A> arrays = arrays(f, data((K + 1) * M, 1, rng), data((K + 2) * N, 1, rng),
                            data((M + 1) * N, 1, rng));
                    final int k = K;
                    final int n = N;
                    final int m = M;
                    same(f, arrays, (ops, a) -> {
                        Panels<A> b = ops.panels(k, n);
                        ops.pack(new Mat<>(a.get(1), 2 * n, k, n), b);
                        ops.multTransA(new Mat<>(a.get(0), m, k, m), b, new Mat<>(a.get(2), n, m, n));
                        return 0;
                    }, "aᵀ·packed M=" + M + " K=" + K + " N=" + N);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits, {1}")
    @MethodSource("formats")
    <A> void elementWiseStepsAreTheSameAtEveryWidth(int bits, Format<A> f) {
        Rng rng = new Rng(100 + bits);
        for (int n : SIZES) {
            final int N = n;
            for (double sigma : new double[] {0.3, 3, 30}) {
                List<A> a = arrays(f, data(n + 3, sigma, rng), data(n + 2, sigma, rng), data(n + 1, sigma, rng));
                same(f, a, (k, x) -> {
                    k.tanh(x.get(1), 2, x.get(0), 3, N);
                    return 0;
                }, "tanh n=" + n);
                same(f, a, (k, x) -> k.softmaxLoss(x.get(0), 3, x.get(1), N, N / 3), "softmaxLoss n=" + n);
                same(f, a, (k, x) -> {
                    k.softmaxBackward(x.get(0), 3, N, N - 1, 0.37);
                    return 0;
                }, "softmaxBackward n=" + n);
                same(f, a, (k, x) -> {
                    k.tanhBackward(x.get(0), 1, x.get(1), 2, x.get(2), 1, N);
                    return 0;
                }, "tanhBackward n=" + n);
                same(f, a, (k, x) -> {
                    k.mul(x.get(2), 1, x.get(0), 3, N);
                    k.add(x.get(1), 2, x.get(0), 3, N);
                    return 0;
                }, "mul, add n=" + n);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("formats")
    void adagradIsTheSameAtEveryWidth(int bits, Format<?> ignored) {
        Kernels v = Kernels.vector(bits);
        Kernels p = Kernels.plain();
        Format<double[]> f = new Format<>("float64", p, v, a -> a, VectorWidthsTest::bits, double[]::clone);
        Rng rng = new Rng(150 + bits);
        for (int n : SIZES) {
            final int N = n;
            for (double bound : new double[] {0, 5}) {
                double[] m = data(n, 1, rng);
                for (int i = 0; i < n; i++) {
                    m[i] = Math.abs(m[i]);
                }
                List<double[]> a = arrays(f, data(n, 1, rng), data(n, 10, rng), m);
                same(f, a, (k, x) -> ((Kernels) k).adagrad(x.get(0), x.get(1), x.get(2), N, bound, 0.1, 1e-8) ? 1 : 0,
                        "adagrad n=" + n + " bound=" + bound);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits, {1}")
    @MethodSource("formats")
    <A> void gatedCellsAreTheSameAtEveryWidth(int bits, Format<A> f) {
        Rng rng = new Rng(200 + bits);
        for (int H : SIZES) {
            final int h = H;
            for (double sigma : new double[] {0.5, 4}) {
                // GRU: ax, gh, gates (3H at offset go = 3H, a second row), h (prev at 1, next at 1 + H)
                int go = 3 * H;
                List<A> gru = arrays(f, data(6 * H, sigma, rng), data(6 * H, sigma, rng), new double[6 * H],
                        data(2 * H + 1, 1, rng));
                same(f, gru, (k, x) -> {
                    k.gruForward(x.get(0), x.get(1), x.get(2), go, x.get(3), 1, 1 + h, h);
                    return 0;
                }, "gruForward H=" + H);
                // backward from gates that forward produced
                List<A> fwd = copy(f, gru);
                f.plain().gruForward(fwd.get(0), fwd.get(1), fwd.get(2), go, fwd.get(3), 1, 1 + h, h);
                List<A> gruB = arrays(f, data(H + 2, 1, rng), data(H + 1, 1, rng), data(H + 1, 1, rng));
                gruB.addAll(List.of(fwd.get(2), fwd.get(1), fwd.get(3)));
                gruB.addAll(arrays(f, new double[6 * H], new double[6 * H]));
                same(f, gruB, (k, x) -> {
                    k.gruBackward(x.get(0), 2, x.get(1), x.get(2), 1, x.get(3), x.get(4), go, x.get(5), 1, x.get(6),
                            x.get(7), h);
                    return 0;
                }, "gruBackward H=" + H);

                // LSTM: a (4H at go = 4H), gates, c and h (prev at 1, next at 1 + H)
                int go4 = 4 * H;
                List<A> lstm = arrays(f, data(8 * H, sigma, rng), new double[8 * H], data(2 * H + 1, sigma, rng),
                        data(2 * H + 1, 1, rng));
                same(f, lstm, (k, x) -> {
                    k.lstmForward(x.get(0), x.get(1), go4, x.get(2), x.get(3), 1, 1 + h, h);
                    return 0;
                }, "lstmForward H=" + H);
                List<A> f4 = copy(f, lstm);
                f.plain().lstmForward(f4.get(0), f4.get(1), go4, f4.get(2), f4.get(3), 1, 1 + h, h);
                List<A> lstmB = arrays(f, data(H + 2, 1, rng), data(H + 1, 1, rng), data(H + 1, 1, rng));
                lstmB.addAll(List.of(f4.get(1), f4.get(2)));
                lstmB.addAll(arrays(f, new double[8 * H]));
                same(f, lstmB, (k, x) -> {
                    k.lstmBackward(x.get(0), 2, x.get(1), x.get(2), 1, x.get(3), go4, x.get(4), 1, 1 + h, x.get(5), h);
                    return 0;
                }, "lstmBackward H=" + H);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("formats")
    void theKernelsRunAtTheWidthAskedFor(int bits, Format<?> ignored) {
        assertEquals("Vector API, " + bits / 64 + (bits == 64 ? " double" : " doubles") + " per vector",
                Kernels.vector(bits).describe());
        assertEquals("Vector API, float32, " + bits / 32 + " floats per vector", Kernels.vector(bits).floats().describe());
    }
}
