package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both kernel implementations against independent computations: EJML's own products on the
 * extracted blocks, and the Java library's tanh and exp. Sizes cover every path through the
 * vectorised code: whole 4-vector chunks, single vectors, and the last, overlapping vector.
 */
class KernelsTest {
    private static final double ROUNDING = 1e-12;
    private static final int[] SIZES = {1, 3, 7, 8, 9, 31, 32, 33, 65, 100, 130};

    static Stream<Kernels> kernels() {
        return Stream.of(Kernels.plain(), Kernels.best());
    }

    @Test
    void theTestsRunTheVectorisedKernels() {
        assertNotSame(Kernels.plain(), Kernels.best(), "surefire must run with --add-modules jdk.incubator.vector");
        assertTrue(Kernels.best().describe().startsWith("Vector API"));
    }

    private static DMatrixRMaj random(int rows, int cols, Rng rng) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rng.nextGaussian();
        }
        return m;
    }

    /** A view of rows [first, first + rows) of a new matrix of {@code first + rows + 2} rows, filled from m. */
    private static Mat<double[]> inside(DMatrixRMaj m, int first) {
        double[] data = new double[(first + m.numRows + 2) * m.numCols];
        java.util.Arrays.fill(data, 7.0);
        System.arraycopy(m.data, 0, data, first * m.numCols, m.getNumElements());
        return new Mat<>(data, first * m.numCols, m.numRows, m.numCols);
    }

    /** c's view against expected, and every number around the view still 7. */
    private static void assertView(DMatrixRMaj expected, Mat<double[]> c, String what) {
        double[] d = c.data();
        for (int e = 0; e < d.length; e++) {
            int inView = e - c.off();
            if (inView >= 0 && inView < c.size()) {
                double x = expected.data[inView];
                assertEquals(x, d[e], ROUNDING * Math.max(1, Math.abs(x)), what + " element " + inView);
            } else {
                assertEquals(7.0, d[e], 0.0, what + ": wrote outside the result at " + e);
            }
        }
    }

    /**
     * Every product form against EJML's, on views inside larger arrays, at row counts that take
     * the 4-row and the 1-row micro-kernels, widths that take whole groups of four vectors,
     * single vectors, the last overlapping vector and the repeated positions of narrow rows.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void everyProductFormIsEjmlsProduct(Kernels k) {
        Rng rng = new Rng(1);
        for (int M : new int[] {1, 3, 4, 5, 9}) {
            for (int K : new int[] {1, 7, 33}) {
                for (int N : SIZES) {
                    DMatrixRMaj A = random(M, K, rng);
                    DMatrixRMaj At = CommonOps_DDRM.transpose(A, null);
                    DMatrixRMaj Bm = random(K, N, rng);
                    DMatrixRMaj C = random(M, N, rng);
                    String shape = "M=" + M + " K=" + K + " N=" + N;

                    DMatrixRMaj expected = new DMatrixRMaj(M, N);
                    CommonOps_DDRM.mult(A, Bm, expected);
                    Mat<double[]> c = inside(C, 2);
                    k.product(inside(A, 1), false, inside(Bm, 3), c, false);
                    assertView(expected, c, "mult " + shape);

                    expected = C.copy();
                    CommonOps_DDRM.multAdd(A, Bm, expected);
                    c = inside(C, 1);
                    k.product(inside(A, 2), false, inside(Bm, 1), c, true);
                    assertView(expected, c, "multAdd " + shape);

                    expected = new DMatrixRMaj(M, N);
                    CommonOps_DDRM.multTransA(At, Bm, expected);
                    c = inside(C, 3);
                    k.multTransA(inside(At, 1), inside(Bm, 2), c);
                    assertView(expected, c, "multTransA " + shape);

                    expected = C.copy();
                    CommonOps_DDRM.multAddTransA(At, Bm, expected);
                    c = inside(C, 0);
                    k.product(inside(At, 3), true, inside(Bm, 0), c, true);
                    assertView(expected, c, "multAddTransA " + shape);
                }
            }
        }
    }

    /**
     * A weight gradient aᵀ·b with b packed from a view of the compute format (an h of a window,
     * a block of rows of a larger matrix) is EJML's multTransA.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void weightGradientsWithPackedFactorsAreEjmlsProduct(Kernels k) {
        Rng rng = new Rng(44);
        for (int M : new int[] {1, 3, 4, 6, 65}) {
            for (int K : new int[] {1, 7, 150}) {
                for (int N : SIZES) {
                    DMatrixRMaj A = random(K, M, rng);
                    DMatrixRMaj Bm = random(K, N, rng);
                    DMatrixRMaj expected = new DMatrixRMaj(M, N);
                    CommonOps_DDRM.multTransA(A, Bm, expected);
                    Panels<double[]> b = k.panels(K, N);
                    k.pack(inside(Bm, 3), b);
                    Mat<double[]> c = inside(new DMatrixRMaj(M, N), 2);
                    k.multTransA(inside(A, 1), b, c);
                    assertView(expected, c, "packed multTransA M=" + M + " K=" + K + " N=" + N);
                }
            }
        }
    }

    /** Weights loaded into panels, as given or transposed, multiply as EJML's product does. */
    @ParameterizedTest
    @MethodSource("kernels")
    void productsWithPackedWeightsAreEjmlsProduct(Kernels k) {
        Rng rng = new Rng(4);
        for (int M : new int[] {1, 2, 3, 4, 6}) {
            // 150: rows k packed in tiles of 64, the last one short
            for (int K : new int[] {1, 7, 33, 150}) {
                for (int N : SIZES) {
                    DMatrixRMaj A = random(M, K, rng);
                    DMatrixRMaj W = random(K, N, rng);
                    DMatrixRMaj expected = new DMatrixRMaj(M, N);
                    CommonOps_DDRM.mult(A, W, expected);
                    for (boolean transpose : new boolean[] {false, true}) {
                        Panels<double[]> b = k.panels(K, N);
                        DMatrixRMaj source = transpose ? CommonOps_DDRM.transpose(W, null) : W;
                        k.loadPanels(source.data, source.numRows, source.numCols, transpose, b);
                        Mat<double[]> c = inside(new DMatrixRMaj(M, N), 2);
                        k.mult(inside(A, 1), b, c);
                        assertView(expected, c, "M=" + M + " K=" + K + " N=" + N + " transposed=" + transpose);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aProductRefusesShapesThatDoNotFitAndAResultOverlappingAFactor(Kernels k) {
        Mat<double[]> a = new Mat<>(new double[12], 0, 3, 4);
        Mat<double[]> b = new Mat<>(new double[20], 0, 4, 5);
        assertThrows(IllegalArgumentException.class,
                () -> k.product(a, false, b, new Mat<>(new double[12], 0, 3, 4), false));
        assertThrows(IllegalArgumentException.class,
                () -> k.product(a, false, b, new Mat<>(new double[20], 0, 4, 5), false));
        assertThrows(IllegalArgumentException.class, () -> k.multTransA(a, b, new Mat<>(new double[15], 0, 3, 5)));
        double[] shared = new double[40];
        Mat<double[]> x = new Mat<>(shared, 0, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> k.product(x, false, new Mat<>(new double[16], 0, 4, 4),
                new Mat<>(shared, 12, 4, 4), false), "c overlaps a");
        k.product(x, false, new Mat<>(new double[16], 0, 4, 4), new Mat<>(shared, 16, 4, 4), false);  // beside it: fine
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void theTransposingCopiesAreTransposes(Kernels k) {
        Rng rng = new Rng(12);
        for (int[] shape : new int[][] {{1, 1}, {100, 100}, {65, 100}, {17, 33}, {16, 16}, {3, 40}}) {
            DMatrixRMaj a = random(shape[0], shape[1], rng);
            DMatrixRMaj expected = CommonOps_DDRM.transpose(a, null);
            Mat<double[]> t = inside(new DMatrixRMaj(shape[1], shape[0]), 1);
            java.util.Arrays.fill(t.data(), t.off(), t.off() + t.size(), 0.0);
            k.loadTransposed(a.data, shape[0], shape[1], t);
            assertView(expected, t, "loadTransposed");
            for (Ops<float[]> f : new Ops[] {k.floats()}) {
                Mat<float[]> tf = new Mat<>(new float[a.getNumElements()], 0, shape[1], shape[0]);
                f.loadTransposed(a.data, shape[0], shape[1], tf);
                for (int e = 0; e < expected.getNumElements(); e++) {
                    assertEquals((float) expected.data[e], tf.data()[e], 0f, "float32 transpose, rounded");
                }
                double[] back = a.data.clone();
                int[] every = java.util.stream.IntStream.range(0, shape[1]).toArray();
                f.storeAddTransposed(tf, every, every.length, back, 0, shape[0]);
                for (int e = 0; e < back.length; e++) {
                    assertEquals(a.data[e] + (float) a.data[e], back[e], 0.0, "storeAddTransposed adds the transpose");
                }
                // rows [from, to) of the result alone: a piece of the sum of a batch's gradients
                int rows = shape[0];
                int from = rows / 3;
                int to = Math.max(from, rows - rows / 4);
                double[] piece = a.data.clone();
                f.storeAddTransposed(tf, every, every.length, piece, from, to);
                for (int e = 0; e < piece.length; e++) {
                    boolean inside = e >= from * shape[1] && e < to * shape[1];
                    assertEquals(inside ? back[e] : a.data[e], piece[e], 0.0, "storeAddTransposed on rows "
                            + from + ".." + to + ", entry " + e);
                }
            }
        }
    }

    /**
     * A transposed add of some of src's rows (those of the characters a window saw) adds those
     * rows' numbers, within the given range of dst's rows, and leaves every other entry alone.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void aTransposedAddOfListedRowsAddsThoseRowsOnly(Kernels k) {
        Rng rng = new Rng(13);
        int rows = 9;
        int cols = 14;
        double[] src = gaussians(rows * cols, 1, rng);
        double[] start = gaussians(cols * rows, 1, rng);
        int[] listed = {7, 2, 5, 0};
        int count = 3;                  // row 0 is past the count: not added
        int from = 3;
        int to = 11;
        float[] rounded = new float[src.length + 2];
        for (int e = 0; e < src.length; e++) {
            rounded[e + 2] = (float) src[e];
        }
        double[] d64 = start.clone();
        k.storeAddTransposed(new Mat<>(src, 0, rows, cols), listed, count, d64, from, to);
        double[] d32 = start.clone();
        k.floats().storeAddTransposed(new Mat<>(rounded, 2, rows, cols), listed, count, d32, from, to);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                boolean added = j >= from && j < to && (i == 7 || i == 2 || i == 5);
                int e = j * rows + i;
                assertEquals(added ? start[e] + src[i * cols + j] : start[e], d64[e], 0.0, "float64, entry " + e);
                assertEquals(added ? start[e] + (float) src[i * cols + j] : start[e], d32[e], 0.0, "float32, entry " + e);
            }
        }
    }

    private static double[] gaussians(int n, double sigma, Rng rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = sigma * rng.nextGaussian();
        }
        return a;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** The gate kernels against their equations, unit by unit, at offsets inside larger arrays. */
    @ParameterizedTest
    @MethodSource("kernels")
    void gruStepsFollowTheirEquations(Kernels k) {
        Rng rng = new Rng(21);
        for (int H : SIZES) {
            final int go = 5;                                  // the gates' row starts here
            final int prev = 2;
            final int next = prev + H + 3;
            double[] ax = gaussians(go + 3 * H, 2, rng);
            double[] gh = gaussians(go + 3 * H, 2, rng);
            double[] h = gaussians(next + H, 0.7, rng);
            double[] h0 = h.clone();
            double[] gates = new double[go + 3 * H];
            k.gruForward(ax, gh, gates, go, h, prev, next, H);
            for (int i = 0; i < H; i++) {
                double z = sigmoid(ax[go + i] + gh[go + i]);
                double r = sigmoid(ax[go + H + i] + gh[go + H + i]);
                double n = Math.tanh(ax[go + 2 * H + i] + r * gh[go + 2 * H + i]);
                assertEquals(z, gates[go + i], ROUNDING, "z " + i);
                assertEquals(r, gates[go + H + i], ROUNDING, "r " + i);
                assertEquals(n, gates[go + 2 * H + i], ROUNDING, "n " + i);
                assertEquals((1 - z) * n + z * h0[prev + i], h[next + i], ROUNDING, "h " + i);
                assertEquals(h0[prev + i], h[prev + i], 0.0);
            }

            final int dOff = 4;
            final int nOff = 1;
            double[] dhs = gaussians(dOff + H, 1, rng);
            double[] dn = gaussians(nOff + H, 1, rng);
            double[] dz = new double[nOff + H];
            double[] dx = new double[go + 3 * H];
            double[] dhh = new double[go + 3 * H];
            k.gruBackward(dhs, dOff, dn, dz, nOff, gates, gh, go, h, prev, dx, dhh, H);
            for (int i = 0; i < H; i++) {
                double dh = dhs[dOff + i] + dn[nOff + i];
                double z = gates[go + i];
                double r = gates[go + H + i];
                double n = gates[go + 2 * H + i];
                double dnHat = dh * (1 - z) * (1 - n * n);
                double dzHat = dh * (h[prev + i] - n) * z * (1 - z);
                double drHat = dnHat * gh[go + 2 * H + i] * r * (1 - r);
                assertEquals(dzHat, dx[go + i], ROUNDING);
                assertEquals(drHat, dx[go + H + i], ROUNDING);
                assertEquals(dnHat, dx[go + 2 * H + i], ROUNDING);
                assertEquals(dzHat, dhh[go + i], ROUNDING);
                assertEquals(drHat, dhh[go + H + i], ROUNDING);
                assertEquals(dnHat * r, dhh[go + 2 * H + i], ROUNDING);
                assertEquals(z * dh, dz[nOff + i], ROUNDING);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void lstmStepsFollowTheirEquations(Kernels k) {
        Rng rng = new Rng(22);
        for (int H : SIZES) {
            final int go = 3;
            final int prev = 1;
            final int next = prev + H + 2;
            double[] a = gaussians(go + 4 * H, 2, rng);
            double[] c = gaussians(next + H, 1.5, rng);
            double[] c0 = c.clone();
            double[] h = new double[next + H];
            double[] gates = new double[go + 4 * H];
            k.lstmForward(a, gates, go, c, h, prev, next, H);
            for (int i = 0; i < H; i++) {
                double ig = sigmoid(a[go + i]);
                double fg = sigmoid(a[go + H + i]);
                double gg = Math.tanh(a[go + 2 * H + i]);
                double og = sigmoid(a[go + 3 * H + i]);
                double cn = fg * c0[prev + i] + ig * gg;
                assertEquals(ig, gates[go + i], ROUNDING);
                assertEquals(fg, gates[go + H + i], ROUNDING);
                assertEquals(gg, gates[go + 2 * H + i], ROUNDING);
                assertEquals(og, gates[go + 3 * H + i], ROUNDING);
                assertEquals(cn, c[next + i], ROUNDING);
                assertEquals(og * Math.tanh(cn), h[next + i], ROUNDING);
            }

            final int dOff = 2;
            final int nOff = 3;
            double[] dhs = gaussians(dOff + H, 1, rng);
            double[] dn = gaussians(nOff + H, 1, rng);
            double[] dc = gaussians(nOff + H, 1, rng);
            double[] dcBefore = dc.clone();
            double[] da = new double[go + 4 * H];
            k.lstmBackward(dhs, dOff, dn, dc, nOff, gates, go, c, prev, next, da, H);
            for (int i = 0; i < H; i++) {
                double dh = dhs[dOff + i] + dn[nOff + i];
                double ig = gates[go + i];
                double fg = gates[go + H + i];
                double gg = gates[go + 2 * H + i];
                double og = gates[go + 3 * H + i];
                double tc = Math.tanh(c[next + i]);
                double dcell = dh * og * (1 - tc * tc) + dcBefore[nOff + i];
                assertEquals(dcell * gg * ig * (1 - ig), da[go + i], ROUNDING);
                assertEquals(dcell * c[prev + i] * fg * (1 - fg), da[go + H + i], ROUNDING);
                assertEquals(dcell * ig * (1 - gg * gg), da[go + 2 * H + i], ROUNDING);
                assertEquals(dh * tc * og * (1 - og), da[go + 3 * H + i], ROUNDING);
                assertEquals(dcell * fg, dc[nOff + i], ROUNDING);
            }
        }
    }

    /**
     * tanh' from the pre-activation keeps its relative precision where tanh(z) itself has
     * rounded to ±1 (|z| above 9 in float32, 19 in float64), where 1 − h² would give 0.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void tanhDerivativeHoldsItsPrecisionWhereTanhHasSaturated(Kernels k) {
        double[] z = {0, 0.5, -3, 8.5, -9.5, 12, -15, 19.5, -25, 40};
        float[] zf = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            zf[i] = (float) z[i];
        }
        double[] d = new double[z.length];
        float[] df = new float[z.length];
        double[] one = new double[z.length];
        float[] onef = new float[z.length];
        java.util.Arrays.fill(one, 1.0);
        java.util.Arrays.fill(onef, 1f);
        k.tanhBackward(d, 0, z, 0, one, 0, z.length);       // d = tanh'(z)·(0 + 1)
        k.floats().tanhBackward(df, 0, zf, 0, onef, 0, z.length);
        for (int i = 0; i < z.length; i++) {
            double cosh = Math.cosh(z[i]);
            double exact = 1 / (cosh * cosh);
            assertEquals(exact, d[i], 1e-14 * exact, "float64 tanh'(" + z[i] + ")");
            assertEquals(exact, df[i], 1e-6 * exact, "float32 tanh'(" + z[i] + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void tanhHoldsItsRelativePrecisionAndItsEdgeCases(Kernels k) {
        double[] x = {0.0, -0.0, 1e-300, -1e-10, 3e-5, 0.1, -0.3465, 0.3466, 0.35, -0.7, 1.5, -5, 20, -20, 400,
            -1e308, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE, 18.5, -19.1,
            0.0625, -2.5e-8};
        double[] t = new double[x.length];
        k.tanh(x, 0, t, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double e = Math.tanh(x[i]);
            if (Double.isNaN(e) || e == 0 || Double.isInfinite(x[i])) {
                assertEquals(Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(Double.NaN) ? "NaN"
                        : Double.toString(e), Double.isNaN(t[i]) ? "NaN" : Double.toString(t[i]), "tanh(" + x[i] + ")");
            } else {
                assertEquals(e, t[i], 2e-16 * Math.abs(e) + Double.MIN_VALUE, "tanh(" + x[i] + ")");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void elementWiseOperations(Kernels k) {
        Rng rng = new Rng(3);
        for (int n : SIZES) {
            double[] x = new double[n + 2];
            double[] b = new double[n + 1];
            for (int i = 0; i < n + 2; i++) {
                x[i] = 3 * rng.nextGaussian();
            }
            for (int i = 0; i < n + 1; i++) {
                b[i] = rng.nextGaussian();
            }
            double[] t = x.clone();
            k.tanh(b, 1, t, 2, n);        // from an offset into another, as rows of matrices
            for (int i = 0; i < n; i++) {
                assertEquals(Math.tanh(b[1 + i]), t[2 + i], 1e-15);
            }
            assertEquals(x[0], t[0]);
            assertEquals(x[1], t[1]);

            int target = n / 2;
            double[] y = x.clone();
            double loss = k.softmaxLoss(y, 2, b, n, target);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x[2 + j] + b[j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[2 + j] + b[j] - max);
            }
            double lse = max + Math.log(sum);
            assertEquals(lse - (x[2 + target] + b[target]), loss, 1e-13);
            double total = 0;
            for (int j = 0; j < n; j++) {
                assertEquals(Math.exp(x[2 + j] + b[j] - lse), y[2 + j], 1e-14);
                total += y[2 + j];
            }
            assertEquals(1.0, total, 1e-13);
            double[] dy = y.clone();
            k.softmaxBackward(dy, 2, n, target, -0.5);
            for (int j = 0; j < n; j++) {
                assertEquals(-0.5 * (y[2 + j] - (j == target ? 1 : 0)), dy[2 + j], 1e-16);
            }
            assertEquals(y[1], dy[1], 0.0);

            double[] d = x.clone();
            double[] pre = new double[n];
            double[] e = new double[n + 1];
            for (int i = 0; i < n; i++) {
                pre[i] = 4 * rng.nextGaussian();
                e[1 + i] = rng.nextGaussian();
            }
            k.tanhBackward(d, 2, pre, 0, e, 1, n);
            for (int i = 0; i < n; i++) {
                double cosh = Math.cosh(pre[i]);
                double expected = (x[2 + i] + e[1 + i]) / (cosh * cosh);    // tanh' = sech²
                assertEquals(expected, d[2 + i], 1e-14 * Math.max(1, Math.abs(expected)));
            }

            double[] s = x.clone();
            k.mul(b, 0, s, 1, n);
            double[] a = x.clone();
            k.add(b, 0, a, 2, n);
            double[] z = x.clone();
            k.zero(z, 1, n);
            for (int i = 0; i < n; i++) {
                assertEquals(x[1 + i] * b[i], s[1 + i], 0.0);
                assertEquals(x[2 + i] + b[i], a[2 + i], 0.0);
                assertEquals(0.0, z[1 + i], 0.0);
            }
            assertEquals(x[0], z[0], 0.0);
            assertEquals(x[n + 1], z[n + 1], 0.0);
        }
    }

    /** θ ~ N(0,1), g ~ N(0,100) (many beyond a clip of 5), m = |N(0,1)|: n entries each, in that order. */
    private static double[][] adagradState(Rng rng, int n) {
        double[] theta = new double[n];
        double[] g = new double[n];
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            theta[i] = rng.nextGaussian();
            g[i] = 10 * rng.nextGaussian();
            m[i] = Math.abs(rng.nextGaussian());
        }
        return new double[][] {theta, g, m};
    }

    @Test
    void clippedAdagradAgreesBetweenImplementations() {
        Rng rng = new Rng(4);
        for (int n : SIZES) {
            for (double bound : new double[] {0, 5}) {
                double[][] start = adagradState(rng, n);
                double[] theta = start[0];
                double[] g = start[1];
                double[] m = start[2];
                double[] t1 = theta.clone();
                double[] g1 = g.clone();
                double[] m1 = m.clone();
                double[] t2 = theta.clone();
                double[] g2 = g.clone();
                double[] m2 = m.clone();
                assertTrue(Kernels.plain().adagrad(t1, g1, m1, n, bound, 0.1, 1e-8));
                assertTrue(Kernels.best().adagrad(t2, g2, m2, n, bound, 0.1, 1e-8));
                for (int i = 0; i < n; i++) {
                    double clipped = bound > 0 ? Math.max(-bound, Math.min(bound, g[i])) : g[i];
                    assertEquals(clipped, g2[i], 0.0);
                    assertEquals(m[i] + clipped * clipped, m2[i], 1e-15 * m2[i]);
                    assertEquals(t1[i], t2[i], 1e-15);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aNonFiniteEntryAnywhereIsReported(Kernels k) {
        for (int n : SIZES) {
            for (int at = 0; at < n; at++) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    for (double bound : new double[] {0, 5}) {
                        double[] g = new double[n];
                        g[at] = bad;
                        assertFalse(k.adagrad(new double[n], g, new double[n], n, bound, 0.1, 1e-8),
                                "n=" + n + " at " + at + " " + bad);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void adagradOnARangeUpdatesThatRangeAsTheWholeStepDoesAndNothingElse(Kernels k) {
        Rng rng = new Rng(17);
        final int n = 101;
        for (int[] range : new int[][] {{0, 101}, {0, 37}, {37, 101}, {5, 6}, {3, 90}, {50, 50}}) {
            double[][] start = adagradState(rng, n);
            double[] theta = start[0];
            double[] g = start[1];
            double[] m = start[2];
            double[] tAll = theta.clone();
            double[] gAll = g.clone();
            double[] mAll = m.clone();
            assertTrue(Kernels.plain().adagrad(tAll, gAll, mAll, n, 5, 0.1, 1e-8));
            double[] t = theta.clone();
            double[] gr = g.clone();
            double[] mr = m.clone();
            assertTrue(k.adagrad(t, gr, mr, range[0], range[1], 5, 0.1, 1e-8));
            for (int i = 0; i < n; i++) {
                boolean in = i >= range[0] && i < range[1];
                String at = "entry " + i + " of range " + range[0] + ".." + range[1];
                assertEquals(in ? tAll[i] : theta[i], t[i], 0.0, at);
                assertEquals(in ? gAll[i] : g[i], gr[i], 0.0, at);
                assertEquals(in ? mAll[i] : m[i], mr[i], 0.0, at);
            }
            // a bad gradient outside the range is not this call's to report; inside it is
            double[] bad = g.clone();
            if (range[0] > 0) {
                bad[range[0] - 1] = Double.NaN;
                assertTrue(k.adagrad(theta.clone(), bad, m.clone(), range[0], range[1], 5, 0.1, 1e-8), "NaN before");
            }
            if (range[1] > range[0]) {
                bad[range[1] - 1] = Double.NaN;
                assertFalse(k.adagrad(theta.clone(), bad, m.clone(), range[0], range[1], 5, 0.1, 1e-8), "NaN inside");
            }
        }
    }
}
