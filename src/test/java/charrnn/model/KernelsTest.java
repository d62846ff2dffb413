package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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

    @ParameterizedTest
    @MethodSource("kernels")
    void combineRowsIsARowOfAProduct(Kernels k) {
        Rng rng = new Rng(1);
        for (int K : SIZES) {
            for (int N : SIZES) {
                DMatrixRMaj A = random(3, K + 2, rng);     // row 1, columns 2.. used: an offset row
                DMatrixRMaj M = random(K, N, rng);
                DMatrixRMaj a = CommonOps_DDRM.extract(A, 1, 2, 2, K + 2);
                DMatrixRMaj expected = new DMatrixRMaj(1, N);
                CommonOps_DDRM.mult(a, M, expected);
                double[] c = new double[N + 5];
                k.combine(A.data, (K + 2) + 2, 1, K, M.data, 0, N, c, 5, N, false);
                for (int j = 0; j < N; j++) {
                    assertEquals(expected.data[j], c[5 + j], ROUNDING * Math.max(1, Math.abs(expected.data[j])), "K=" + K + " N=" + N);
                }
                for (int j = 0; j < 5; j++) {
                    assertEquals(0.0, c[j], 0.0, "wrote before the output row");
                }
                double[] before = c.clone();
                k.combine(A.data, (K + 2) + 2, 1, K, M.data, 0, N, c, 5, N, true);
                for (int j = 0; j < N; j++) {
                    assertEquals(2 * before[5 + j], c[5 + j], ROUNDING * Math.max(1, Math.abs(before[5 + j])));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void combineStridedIsARowOfATransposedProduct(Kernels k) {
        Rng rng = new Rng(2);
        for (int rows : new int[] {1, 5, 25}) {
            for (int N : SIZES) {
                int M = 7;
                DMatrixRMaj A = random(rows, M, rng);
                DMatrixRMaj Bm = random(rows + 1, N, rng);       // rows 1.. used
                DMatrixRMaj C = random(M, N, rng);
                DMatrixRMaj expected = C.copy();
                CommonOps_DDRM.multAddTransA(A, CommonOps_DDRM.extract(Bm, 1, rows + 1, 0, N), expected);
                for (int i = 0; i < M; i++) {
                    k.combine(A.data, i, M, rows, Bm.data, N, N, C.data, i * N, N, true);
                }
                for (int e = 0; e < C.getNumElements(); e++) {
                    assertEquals(expected.data[e], C.data[e], ROUNDING * Math.max(1, Math.abs(expected.data[e])));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void combineRowsDoesEveryRowAsCombineDoes(Kernels k) {
        Rng rng = new Rng(5);
        for (int rows : new int[] {1, 3, 4, 5, 9}) {
            for (int N : SIZES) {
                int K = 11;
                DMatrixRMaj A = random(rows, K, rng);
                DMatrixRMaj M = random(K, N, rng);
                DMatrixRMaj C = random(rows, N, rng);
                DMatrixRMaj expected = C.copy();
                for (boolean accumulate : new boolean[] {false, true}) {
                    for (int q = 0; q < rows; q++) {
                        Kernels.plain().combine(A.data, q * K, 1, K, M.data, 0, N, expected.data, q * N, N, accumulate);
                    }
                    k.combineRows(rows, A.data, 0, K, 1, K, M.data, 0, N, C.data, 0, N, N, accumulate);
                    for (int e = 0; e < C.getNumElements(); e++) {
                        assertEquals(expected.data[e], C.data[e], ROUNDING * Math.max(1, Math.abs(expected.data[e])),
                                "rows=" + rows + " N=" + N);
                    }
                }
                // the transposed form: columns of A2 (rows×K2 read down a column) against the rows of B2
                int K2 = 6;
                DMatrixRMaj A2 = random(K2, rows, rng);
                DMatrixRMaj B2 = random(K2, N, rng);
                DMatrixRMaj C2 = random(rows, N, rng);
                DMatrixRMaj expected2 = C2.copy();
                CommonOps_DDRM.multAddTransA(A2, B2, expected2);
                k.combineRows(rows, A2.data, 0, 1, rows, K2, B2.data, 0, N, C2.data, 0, N, N, true);
                for (int e = 0; e < C2.getNumElements(); e++) {
                    assertEquals(expected2.data[e], C2.data[e], ROUNDING * Math.max(1, Math.abs(expected2.data[e])));
                }
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

    @ParameterizedTest
    @MethodSource("kernels")
    void tanhHoldsItsRelativePrecisionAndItsEdgeCases(Kernels k) {
        double[] x = {0.0, -0.0, 1e-300, -1e-10, 3e-5, 0.1, -0.3465, 0.3466, 0.35, -0.7, 1.5, -5, 20, -20, 400,
            -1e308, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE, 18.5, -19.1,
            0.0625, -2.5e-8};
        double[] t = x.clone();
        double[] noBias = new double[x.length];
        java.util.Arrays.fill(noBias, -0.0);        // x + (−0) is x, for x = −0 too
        k.addTanh(t, 0, noBias, 0, x.length);
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
            k.addTanh(t, 2, b, 1, n);     // the bias read from an offset, as a row of a matrix
            for (int i = 0; i < n; i++) {
                assertEquals(Math.tanh(x[2 + i] + b[1 + i]), t[2 + i], 1e-15);
            }
            assertEquals(x[0], t[0]);

            double[] y = x.clone();
            double lse = k.softmax(y, 2, b, n);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x[2 + j] + b[j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[2 + j] + b[j] - max);
            }
            assertEquals(max + Math.log(sum), lse, 1e-13);
            double total = 0;
            for (int j = 0; j < n; j++) {
                assertEquals(Math.exp(x[2 + j] + b[j] - lse), y[2 + j], 1e-14);
                total += y[2 + j];
            }
            assertEquals(1.0, total, 1e-13);

            double[] d = x.clone();
            double[] h = new double[n];
            double[] e = new double[n + 1];
            for (int i = 0; i < n; i++) {
                h[i] = Math.tanh(rng.nextGaussian());
                e[1 + i] = rng.nextGaussian();
            }
            k.tanhBackward(d, 2, h, 0, e, 1, n);
            for (int i = 0; i < n; i++) {
                assertEquals((1 - h[i] * h[i]) * (x[2 + i] + e[1 + i]), d[2 + i], 1e-14);
            }

            double[] s = x.clone();
            k.scale(s, 1, n, -0.5);
            double[] a = x.clone();
            k.add(b, 0, a, 2, n);
            for (int i = 0; i < n; i++) {
                assertEquals(-0.5 * x[1 + i], s[1 + i], 0.0);
                assertEquals(x[2 + i] + b[i], a[2 + i], 0.0);
            }
        }
    }

    @Test
    void clippedAdagradAgreesBetweenImplementations() {
        Rng rng = new Rng(4);
        for (int n : SIZES) {
            for (double bound : new double[] {0, 5}) {
                double[] theta = new double[n];
                double[] g = new double[n];
                double[] m = new double[n];
                for (int i = 0; i < n; i++) {
                    theta[i] = rng.nextGaussian();
                    g[i] = 10 * rng.nextGaussian();
                    m[i] = Math.abs(rng.nextGaussian());
                }
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
}
