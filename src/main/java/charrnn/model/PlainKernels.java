package charrnn.model;

import charrnn.config.Precision;

/**
 * {@link Kernels}, float64, in plain Java: the reference the vectorised kernels are tested against, and
 * bit for bit the same arithmetic (see {@link Ops} for the order). Each element-wise formula
 * here is the vector kernels' own, operation for operation, with {@code Math.fma} where they
 * fuse a multiply and an add, and {@link ExactMath} for exp and tanh.
 */
final class PlainKernels implements Kernels {
    static final PlainKernels INSTANCE = new PlainKernels("plain Java");

    private final String description;

    private PlainKernels(String description) {
        this.description = description;
    }

    /** The plain kernels, described as chosen for {@code reason}. */
    static PlainKernels because(String reason) {
        return new PlainKernels("plain Java (" + reason + ")");
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT64;
    }

    @Override
    public double[] alloc(int n) {
        return new double[n];
    }

    @Override
    public Ops<float[]> floats() {
        return PlainFloats.INSTANCE;
    }

    /** Row-major: the plain products read b a row at a time already. */
    @Override
    public Panels<double[]> panels(int K, int N) {
        return new Panels<>(new double[K * N], K, N);
    }

    @Override
    public long panelsSize(int K, int N) {
        return (long) K * N;
    }

    @Override
    public void loadPanels(double[] src, int rows, int cols, boolean transpose, Panels<double[]> dst, int from, int to) {
        Products.checkPanels(transpose ? cols : rows, transpose ? rows : cols, dst);
        Products.checkRows(rows, from, to);
        if (transpose) {
            transpose(src, rows, cols, dst.data(), 0, from, to);
        } else {
            load(src, from * cols, dst.data(), from * cols, (to - from) * cols);
        }
    }

    @Override
    public void multTransA(Mat<double[]> a, Panels<double[]> b, Mat<double[]> c) {
        final int K = Products.checkTransA(a, b, c);
        product(a.data(), a.off(), 1, a.cols(), K, b.data(), 0, b.cols(), c, false);
    }

    @Override
    public void pack(Mat<double[]> src, Panels<double[]> dst) {
        Products.checkPanels(src.rows(), src.cols(), dst);
        System.arraycopy(src.data(), src.off(), dst.data(), 0, src.size());
    }

    @Override
    public void mult(Mat<double[]> a, Panels<double[]> b, Mat<double[]> c) {
        final int K = Products.check(a, b, c);
        product(a.data(), a.off(), a.cols(), 1, K, b.data(), 0, b.cols(), c, false);
    }

    @Override
    public void product(Mat<double[]> a, boolean transA, Mat<double[]> b, Mat<double[]> c, boolean accumulate) {
        final int K = Products.check(a, transA, b, c);
        product(a.data(), a.off(), transA ? 1 : a.cols(), transA ? a.cols() : 1, K, b.data(), b.off(), b.cols(), c,
                accumulate);
    }

    /**
     * c (+)= s·m, row i of s read from {@code sOff + i·sRowStep} with step {@code sStride}
     * along k, m's row k at {@code mOff + k·ldm}.
     */
    private static void product(double[] s, int sOff, int sRowStep, int sStride, int K, double[] m, int mOff, int ldm,
                                Mat<double[]> c, boolean accumulate) {
        final double[] cd = c.data();
        final int N = c.cols();
        for (int i = 0; i < c.rows(); i++) {
            final int si = sOff + i * sRowStep;
            final int ci = c.at(i);
            if (!accumulate) {
                java.util.Arrays.fill(cd, ci, ci + N, 0.0);
            }
            // c_ij = fma(s_ik, m_kj, c_ij) for k = 0, 1, ...: every k, zeros too (0·m may change a −0)
            for (int k = 0; k < K; k++) {
                final double sk = s[si + k * sStride];
                final int mk = mOff + k * ldm;
                for (int j = 0; j < N; j++) {
                    cd[ci + j] = Math.fma(sk, m[mk + j], cd[ci + j]);
                }
            }
        }
    }

    @Override
    public void gruForward(double[] ax, double[] gh, double[] gates, int go, double[] h, int prev, int next, int H) {
        for (int i = 0; i < H; i++) {
            final double z = ExactMath.sigmoid(ax[go + i] + gh[go + i]);
            final double r = ExactMath.sigmoid(ax[go + H + i] + gh[go + H + i]);
            final double n = ExactMath.tanh(Math.fma(r, gh[go + 2 * H + i], ax[go + 2 * H + i]));
            gates[go + i] = z;
            gates[go + H + i] = r;
            gates[go + 2 * H + i] = n;
            h[next + i] = Math.fma(z, h[prev + i], (1 - z) * n);
        }
    }

    @Override
    public void gruBackward(double[] dhs, int dOff, double[] dn, double[] dz, int nOff, double[] gates, double[] gh,
                            int go, double[] h, int prev, double[] dx, double[] dhh, int H) {
        gruBackward(dhs, dOff, dn, dz, nOff, gates, gh, go, h, prev, dx, dhh, H, 0);
    }

    /** {@link #gruBackward} for units [from, H). */
    static void gruBackward(double[] dhs, int dOff, double[] dn, double[] dz, int nOff, double[] gates, double[] gh,
                            int go, double[] h, int prev, double[] dx, double[] dhh, int H, int from) {
        for (int i = from; i < H; i++) {
            final double dh = dhs[dOff + i] + dn[nOff + i];
            final double z = gates[go + i];
            final double r = gates[go + H + i];
            final double n = gates[go + 2 * H + i];
            final double dnHat = dh * (1 - z) * Math.fma(-n, n, 1);
            final double dzHat = dh * (h[prev + i] - n) * z * (1 - z);
            final double drHat = dnHat * gh[go + 2 * H + i] * r * (1 - r);
            dx[go + i] = dzHat;
            dx[go + H + i] = drHat;
            dx[go + 2 * H + i] = dnHat;
            dhh[go + i] = dzHat;
            dhh[go + H + i] = drHat;
            dhh[go + 2 * H + i] = dnHat * r;
            dz[nOff + i] = z * dh;
        }
    }

    @Override
    public void lstmForward(double[] a, double[] gates, int go, double[] c, double[] h, int prev, int next, int H) {
        for (int i = 0; i < H; i++) {
            final double ig = ExactMath.sigmoid(a[go + i]);
            final double fg = ExactMath.sigmoid(a[go + H + i]);
            final double gg = ExactMath.tanh(a[go + 2 * H + i]);
            final double og = ExactMath.sigmoid(a[go + 3 * H + i]);
            final double cn = Math.fma(fg, c[prev + i], ig * gg);
            gates[go + i] = ig;
            gates[go + H + i] = fg;
            gates[go + 2 * H + i] = gg;
            gates[go + 3 * H + i] = og;
            c[next + i] = cn;
            h[next + i] = og * ExactMath.tanh(cn);
        }
    }

    @Override
    public void lstmBackward(double[] dhs, int dOff, double[] dn, double[] dc, int nOff, double[] gates, int go,
                             double[] c, int prev, int next, double[] da, int H) {
        for (int i = 0; i < H; i++) {
            final double dh = dhs[dOff + i] + dn[nOff + i];
            final double ig = gates[go + i];
            final double fg = gates[go + H + i];
            final double gg = gates[go + 2 * H + i];
            final double og = gates[go + 3 * H + i];
            final double tc = ExactMath.tanh(c[next + i]);
            final double dcell = Math.fma(dh * og, Math.fma(-tc, tc, 1), dc[nOff + i]);
            da[go + i] = dcell * gg * ig * (1 - ig);
            da[go + H + i] = dcell * c[prev + i] * fg * (1 - fg);
            da[go + 2 * H + i] = dcell * ig * Math.fma(-gg, gg, 1);
            da[go + 3 * H + i] = dh * tc * og * (1 - og);
            dc[nOff + i] = dcell * fg;
        }
    }

    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = ExactMath.tanh(x[xOff + i]);
        }
    }

    @Override
    public double softmaxLoss(double[] y, int off, double[] b, int n, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            y[off + j] += b[j];
            max = Math.max(max, y[off + j]);
        }
        final double yTarget = y[off + target];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double e = ExactMath.exp(y[off + j] - max);
            y[off + j] = e;
            sum += e;
        }
        final double inv = 1.0 / sum;
        for (int j = 0; j < n; j++) {
            y[off + j] *= inv;
        }
        return ExactMath.log(sum) + max - yTarget;
    }

    @Override
    public void softmaxBackward(double[] p, int off, int n, int target, double scale) {
        p[off + target] -= 1.0;
        for (int j = 0; j < n; j++) {
            p[off + j] *= scale;
        }
    }

    @Override
    public void tanhBackward(double[] d, int dOff, double[] z, int zOff, double[] e, int eOff, int n) {
        tanhBackward(d, dOff, z, zOff, e, eOff, n, 0);
    }

    /** {@link #tanhBackward} for i in [from, n): the vector kernels' tail. */
    static void tanhBackward(double[] d, int dOff, double[] z, int zOff, double[] e, int eOff, int n, int from) {
        for (int i = from; i < n; i++) {
            final double u = ExactMath.exp(-2 * Math.abs(z[zOff + i]));
            final double s = 4 * u / ((1 + u) * (1 + u));
            d[dOff + i] = s * (d[dOff + i] + e[eOff + i]);
        }
    }

    @Override
    public void add(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    @Override
    public void zero(double[] x, int off, int n) {
        java.util.Arrays.fill(x, off, off + n, 0.0);
    }

    @Override
    public void mul(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] *= x[xOff + i];
        }
    }

    @Override
    public void load(double[] src, int sOff, double[] dst, int dOff, int n) {
        System.arraycopy(src, sOff, dst, dOff, n);
    }

    @Override
    public void loadTransposed(double[] src, int rows, int cols, Mat<double[]> dst, int from, int to) {
        Products.checkTransposed(rows, cols, dst);
        Products.checkRows(rows, from, to);
        transpose(src, rows, cols, dst.data(), dst.off(), from, to);
    }

    /**
     * t[o + j·rows + i] = src[i·cols + j] for src's rows i in [from, to), tile by tile, so a
     * tile of each stays in L1.
     */
    private static void transpose(double[] src, int rows, int cols, double[] t, int o, int from, int to) {
        for (int i0 = from; i0 < to; i0 += Products.TILE) {
            final int i1 = Math.min(to, i0 + Products.TILE);
            for (int j0 = 0; j0 < cols; j0 += Products.TILE) {
                final int j1 = Math.min(cols, j0 + Products.TILE);
                for (int j = j0; j < j1; j++) {
                    for (int i = i0; i < i1; i++) {
                        t[o + j * rows + i] = src[i * cols + j];
                    }
                }
            }
        }
    }

    @Override
    public void store(double[] src, int sOff, double[] dst, int dOff, int n) {
        System.arraycopy(src, sOff, dst, dOff, n);
    }

    @Override
    public void storeAdd(double[] src, int sOff, double[] dst, int dOff, int n) {
        add(src, sOff, dst, dOff, n);
    }

    @Override
    public void storeFirst(double[] src, int sOff, double[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = 0.0 + src[sOff + i];
        }
    }

    @Override
    public void storeAddTransposed(Mat<double[]> src, int[] rows, int count, double[] dst, int from, int to) {
        final int n = src.rows();
        final double[] s = src.data();
        for (int r = 0; r < count; r++) {
            final int i = rows[r];
            final int si = src.at(i);
            for (int j = from; j < to; j++) {
                dst[j * n + i] += s[si + j];
            }
        }
    }

    @Override
    public boolean adagrad(double[] theta, double[] g, double[] m, int from, int to, double bound, double lr,
                           double eps) {
        boolean finite = true;
        for (int i = from; i < to; i++) {
            double gi = g[i];
            finite &= Double.isFinite(gi);
            if (bound > 0) {
                gi = gi > bound ? bound : (gi < -bound ? -bound : gi);
                g[i] = gi;
            }
            m[i] = Math.fma(gi, gi, m[i]);
            theta[i] -= lr * gi / Math.sqrt(m[i] + eps);
        }
        return finite;
    }

    @Override
    public String describe() {
        return description;
    }
}
