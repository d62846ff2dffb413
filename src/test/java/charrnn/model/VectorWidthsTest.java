package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel at every vector width the Vector API offers (1, 2, 4 and 8 doubles, whatever
 * this CPU's own), against the plain kernels, bit for bit: the arithmetic order of
 * {@link Kernels} does not depend on the width. Shapes cover whole blocks of four rows and two
 * vectors, single vectors, the overlapping last vector and scalar tails at every width; data
 * include exact zeros of both signs (a skipped 0·m would change a −0) and values over the whole
 * range of exp and tanh.
 *
 * <p>Runs in a JVM of its own (the pom's {@code vector-widths} execution): the widths the CPU
 * does not run natively, once used, slow the CPU's own kernels in the same JVM.
 */
@Tag("vector-widths")
class VectorWidthsTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 33, 40};

    static Stream<Integer> widths() {
        return Stream.of(64, 128, 256, 512);
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

    /** Runs {@code op} on copies of the same arrays with both kernels and requires the same bits in all of them. */
    private static void same(Kernels plain, Kernels vector, double[][] arrays, KernelOp op, String what) {
        double[][] a = copy(arrays);
        double[][] b = copy(arrays);
        double ra = op.run(plain, a);
        double rb = op.run(vector, b);
        assertEquals(Double.doubleToLongBits(ra), Double.doubleToLongBits(rb), what + ": result " + ra + " vs " + rb);
        for (int i = 0; i < a.length; i++) {
            long[] x = bits(a[i]);
            long[] y = bits(b[i]);
            if (!Arrays.equals(x, y)) {
                int j = Arrays.mismatch(x, y);
                throw new AssertionError(what + ": array " + i + " differs at " + j + ": " + a[i][j] + " (plain) vs "
                        + b[i][j] + " (" + vector.describe() + ")");
            }
        }
    }

    private static double[][] copy(double[][] arrays) {
        double[][] c = new double[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            c[i] = arrays[i].clone();
        }
        return c;
    }

    private static long[] bits(double[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Double.doubleToLongBits(a[i]);
        }
        return b;
    }

    /** A kernel call on arrays a[0], a[1], ...; returns its scalar result, or 0. */
    private interface KernelOp {
        double run(Kernels k, double[][] a);
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void productsAreTheSameAtEveryWidth(int bits) {
        Kernels v = Kernels.vector(bits);
        Kernels p = Kernels.plain();
        Rng rng = new Rng(bits);
        for (int K : new int[] {1, 2, 3, 5, 9, 17}) {
            for (int N : SIZES) {
                for (int rows : new int[] {1, 3, 4, 5, 9}) {
                    final int k = K;
                    final int n = N;
                    final int r = rows;
                    // A·M, rows of A (offset 2 into the array), into C at offset 1
                    double[][] arrays = {data(rows * K + 2, 1, rng), data(K * N, 1, rng), data(rows * N + 1, 1, rng)};
                    for (boolean acc : new boolean[] {false, true}) {
                        same(p, v, arrays, (kk, a) -> {
                            kk.combineRows(r, a[0], 2, k, 1, k, a[1], 0, n, a[2], 1, n, n, acc);
                            return 0;
                        }, "A·M rows=" + rows + " K=" + K + " N=" + N + " acc=" + acc);
                        // Aᵀ·M: the columns of A (K×rows), stride rows
                        same(p, v, arrays, (kk, a) -> {
                            kk.combineRows(r, a[0], 0, 1, r, k, a[1], 0, n, a[2], 1, n, n, acc);
                            return 0;
                        }, "Aᵀ·M rows=" + rows + " K=" + K + " N=" + N + " acc=" + acc);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void elementWiseStepsAreTheSameAtEveryWidth(int bits) {
        Kernels v = Kernels.vector(bits);
        Kernels p = Kernels.plain();
        Rng rng = new Rng(100 + bits);
        for (int n : SIZES) {
            final int N = n;
            for (double sigma : new double[] {0.3, 3, 30}) {
                double[][] a = {data(n + 3, sigma, rng), data(n + 2, sigma, rng), data(n + 1, sigma, rng)};
                same(p, v, a, (k, x) -> {
                    k.addTanh(x[0], 3, x[1], 2, N);
                    return 0;
                }, "addTanh n=" + n);
                same(p, v, a, (k, x) -> k.softmax(x[0], 3, x[1], N), "softmax n=" + n);
                same(p, v, a, (k, x) -> {
                    k.tanhBackward(x[0], 1, x[1], 2, x[2], 1, N);
                    return 0;
                }, "tanhBackward n=" + n);
                same(p, v, a, (k, x) -> {
                    k.scale(x[0], 3, N, 0.37);
                    k.add(x[1], 2, x[0], 3, N);
                    return 0;
                }, "scale, add n=" + n);
            }
            for (double bound : new double[] {0, 5}) {
                double[] m = data(n, 1, rng);
                for (int i = 0; i < n; i++) {
                    m[i] = Math.abs(m[i]);
                }
                double[][] a = {data(n, 1, rng), data(n, 10, rng), m};
                same(p, v, a, (k, x) -> k.adagrad(x[0], x[1], x[2], N, bound, 0.1, 1e-8) ? 1 : 0,
                        "adagrad n=" + n + " bound=" + bound);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void gatedCellsAreTheSameAtEveryWidth(int bits) {
        Kernels v = Kernels.vector(bits);
        Kernels p = Kernels.plain();
        Rng rng = new Rng(200 + bits);
        for (int H : SIZES) {
            final int h = H;
            for (double sigma : new double[] {0.5, 4}) {
                // GRU: ax, gh, gates (3H at offset go = 3H, a second row), h (prev at 1, next at 1 + H)
                int go = 3 * H;
                double[][] gru = {data(6 * H, sigma, rng), data(6 * H, sigma, rng), new double[6 * H],
                    data(2 * H + 1, 1, rng)};
                same(p, v, gru, (k, x) -> {
                    k.gruForward(x[0], x[1], x[2], go, x[3], 1, 1 + h, h);
                    return 0;
                }, "gruForward H=" + H);
                // backward from gates that forward produced
                double[][] fwd = copy(gru);
                p.gruForward(fwd[0], fwd[1], fwd[2], go, fwd[3], 1, 1 + h, h);
                double[][] gruB = {data(H + 2, 1, rng), data(H + 1, 1, rng), data(H + 1, 1, rng), fwd[2], fwd[1],
                    fwd[3], new double[6 * H], new double[6 * H]};
                same(p, v, gruB, (k, x) -> {
                    k.gruBackward(x[0], 2, x[1], x[2], 1, x[3], x[4], go, x[5], 1, x[6], x[7], h);
                    return 0;
                }, "gruBackward H=" + H);

                // LSTM: a (4H at go = 4H), gates, c and h (prev at 1, next at 1 + H)
                int go4 = 4 * H;
                double[][] lstm = {data(8 * H, sigma, rng), new double[8 * H], data(2 * H + 1, sigma, rng),
                    data(2 * H + 1, 1, rng)};
                same(p, v, lstm, (k, x) -> {
                    k.lstmForward(x[0], x[1], go4, x[2], x[3], 1, 1 + h, h);
                    return 0;
                }, "lstmForward H=" + H);
                double[][] f4 = copy(lstm);
                p.lstmForward(f4[0], f4[1], go4, f4[2], f4[3], 1, 1 + h, h);
                double[][] lstmB = {data(H + 2, 1, rng), data(H + 1, 1, rng), data(H + 1, 1, rng), f4[1], f4[2],
                    new double[8 * H]};
                same(p, v, lstmB, (k, x) -> {
                    k.lstmBackward(x[0], 2, x[1], x[2], 1, x[3], go4, x[4], 1, 1 + h, x[5], h);
                    return 0;
                }, "lstmBackward H=" + H);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @MethodSource("widths")
    void theKernelsRunAtTheWidthAskedFor(int bits) {
        assertEquals("Vector API, " + bits / 64 + (bits == 64 ? " double" : " doubles") + " per vector",
                Kernels.vector(bits).describe());
    }
}
