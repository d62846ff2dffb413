package charrnn.model;

import charrnn.config.Precision;

/**
 * {@link Ops} in float32, plain Java: the reference the float32 vector kernels are tested
 * against, and bit for bit the same arithmetic (see {@link Ops} for the order), each formula
 * {@link PlainKernels}' own in float, with {@code Math.fma(float, float, float)} where a
 * multiply and an add fuse and {@link ExactMath}'s float32 exp, tanh and σ.
 */
final class PlainFloats implements Ops<float[]> {
    static final PlainFloats INSTANCE = new PlainFloats();

    private PlainFloats() {
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    public float[] alloc(int n) {
        return new float[n];
    }

    /** Row-major: the plain products read b a row at a time already. */
    @Override
    public Panels<float[]> panels(int K, int N) {
        return new Panels<>(new float[K * N], K, N);
    }

    @Override
    public long panelsSize(int K, int N) {
        return (long) K * N;
    }

    @Override
    public void loadPanels(double[] src, int rows, int cols, boolean transpose, Panels<float[]> dst, int from, int to) {
        Products.checkPanels(transpose ? cols : rows, transpose ? rows : cols, dst);
        Products.checkRows(rows, from, to);
        if (transpose) {
            transpose(src, rows, cols, dst.data(), 0, from, to);
        } else {
            load(src, from * cols, dst.data(), from * cols, (to - from) * cols);
        }
    }

    @Override
    public void multTransA(Mat<float[]> a, Panels<float[]> b, Mat<float[]> c) {
        final int K = Products.checkTransA(a, b, c);
        product(a.data(), a.off(), 1, a.cols(), K, b.data(), 0, b.cols(), c, false);
    }

    @Override
    public void pack(Mat<float[]> src, Panels<float[]> dst) {
        Products.checkPanels(src.rows(), src.cols(), dst);
        System.arraycopy(src.data(), src.off(), dst.data(), 0, src.size());
    }

    @Override
    public void mult(Mat<float[]> a, Panels<float[]> b, Mat<float[]> c) {
        final int K = Products.check(a, b, c);
        product(a.data(), a.off(), a.cols(), 1, K, b.data(), 0, b.cols(), c, false);
    }

    @Override
    public void product(Mat<float[]> a, boolean transA, Mat<float[]> b, Mat<float[]> c, boolean accumulate) {
        final int K = Products.check(a, transA, b, c);
        product(a.data(), a.off(), transA ? 1 : a.cols(), transA ? a.cols() : 1, K, b.data(), b.off(), b.cols(), c,
                accumulate);
    }

    /**
     * c (+)= s·m, row i of s read from {@code sOff + i·sRowStep} with step {@code sStride}
     * along k, m's row k at {@code mOff + k·ldm}.
     */
    private static void product(float[] s, int sOff, int sRowStep, int sStride, int K, float[] m, int mOff, int ldm,
                                Mat<float[]> c, boolean accumulate) {
        final float[] cd = c.data();
        final int N = c.cols();
        for (int i = 0; i < c.rows(); i++) {
            final int si = sOff + i * sRowStep;
            final int ci = c.at(i);
            if (!accumulate) {
                java.util.Arrays.fill(cd, ci, ci + N, 0f);
            }
            // c_ij = fma(s_ik, m_kj, c_ij) for k = 0, 1, ...: every k, zeros too (0·m may change a −0)
            for (int k = 0; k < K; k++) {
                final float sk = s[si + k * sStride];
                final int mk = mOff + k * ldm;
                for (int j = 0; j < N; j++) {
                    cd[ci + j] = Math.fma(sk, m[mk + j], cd[ci + j]);
                }
            }
        }
    }

    @Override
    public void gruForward(float[] ax, float[] gh, float[] gates, int go, float[] h, int prev, int next, int H) {
        for (int i = 0; i < H; i++) {
            final float z = ExactMath.sigmoid(ax[go + i] + gh[go + i]);
            final float r = ExactMath.sigmoid(ax[go + H + i] + gh[go + H + i]);
            final float n = ExactMath.tanh(Math.fma(r, gh[go + 2 * H + i], ax[go + 2 * H + i]));
            gates[go + i] = z;
            gates[go + H + i] = r;
            gates[go + 2 * H + i] = n;
            h[next + i] = Math.fma(z, h[prev + i], (1 - z) * n);
        }
    }

    @Override
    public void gruBackward(float[] dhs, int dOff, float[] dn, float[] dz, int nOff, float[] gates, float[] gh,
                            int go, float[] h, int prev, float[] dx, float[] dhh, int H) {
        gruBackward(dhs, dOff, dn, dz, nOff, gates, gh, go, h, prev, dx, dhh, H, 0);
    }

    /** {@link #gruBackward} for units [from, H). */
    static void gruBackward(float[] dhs, int dOff, float[] dn, float[] dz, int nOff, float[] gates, float[] gh,
                            int go, float[] h, int prev, float[] dx, float[] dhh, int H, int from) {
        for (int i = from; i < H; i++) {
            final float dh = dhs[dOff + i] + dn[nOff + i];
            final float z = gates[go + i];
            final float r = gates[go + H + i];
            final float n = gates[go + 2 * H + i];
            final float dnHat = dh * (1 - z) * Math.fma(-n, n, 1f);
            final float dzHat = dh * (h[prev + i] - n) * z * (1 - z);
            final float drHat = dnHat * gh[go + 2 * H + i] * r * (1 - r);
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
    public void lstmForward(float[] a, float[] gates, int go, float[] c, float[] h, int prev, int next, int H) {
        for (int i = 0; i < H; i++) {
            final float ig = ExactMath.sigmoid(a[go + i]);
            final float fg = ExactMath.sigmoid(a[go + H + i]);
            final float gg = ExactMath.tanh(a[go + 2 * H + i]);
            final float og = ExactMath.sigmoid(a[go + 3 * H + i]);
            final float cn = Math.fma(fg, c[prev + i], ig * gg);
            gates[go + i] = ig;
            gates[go + H + i] = fg;
            gates[go + 2 * H + i] = gg;
            gates[go + 3 * H + i] = og;
            c[next + i] = cn;
            h[next + i] = og * ExactMath.tanh(cn);
        }
    }

    @Override
    public void lstmBackward(float[] dhs, int dOff, float[] dn, float[] dc, int nOff, float[] gates, int go,
                             float[] c, int prev, int next, float[] da, int H) {
        for (int i = 0; i < H; i++) {
            final float dh = dhs[dOff + i] + dn[nOff + i];
            final float ig = gates[go + i];
            final float fg = gates[go + H + i];
            final float gg = gates[go + 2 * H + i];
            final float og = gates[go + 3 * H + i];
            final float tc = ExactMath.tanh(c[next + i]);
            final float dcell = Math.fma(dh * og, Math.fma(-tc, tc, 1f), dc[nOff + i]);
            da[go + i] = dcell * gg * ig * (1 - ig);
            da[go + H + i] = dcell * c[prev + i] * fg * (1 - fg);
            da[go + 2 * H + i] = dcell * ig * Math.fma(-gg, gg, 1f);
            da[go + 3 * H + i] = dh * tc * og * (1 - og);
            dc[nOff + i] = dcell * fg;
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = ExactMath.tanh(x[xOff + i]);
        }
    }

    @Override
    public double softmaxLoss(float[] y, int off, float[] b, int n, int target) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            y[off + j] += b[j];
            max = Math.max(max, y[off + j]);
        }
        final float yTarget = y[off + target];
        double sum = 0;     // in float64, index by index
        for (int j = 0; j < n; j++) {
            final float e = ExactMath.exp(y[off + j] - max);
            y[off + j] = e;
            sum += e;
        }
        final float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) {
            y[off + j] *= inv;
        }
        return ExactMath.log(sum) + max - yTarget;
    }

    @Override
    public void softmaxBackward(float[] p, int off, int n, int target, double scale) {
        p[off + target] -= 1f;
        final float s = (float) scale;
        for (int j = 0; j < n; j++) {
            p[off + j] *= s;
        }
    }

    @Override
    public void tanhBackward(float[] d, int dOff, float[] z, int zOff, float[] e, int eOff, int n) {
        tanhBackward(d, dOff, z, zOff, e, eOff, n, 0);
    }

    /** {@link #tanhBackward} for i in [from, n): the vector kernels' tail. */
    static void tanhBackward(float[] d, int dOff, float[] z, int zOff, float[] e, int eOff, int n, int from) {
        for (int i = from; i < n; i++) {
            final float u = ExactMath.exp(-2f * Math.abs(z[zOff + i]));
            final float s = 4f * u / ((1f + u) * (1f + u));
            d[dOff + i] = s * (d[dOff + i] + e[eOff + i]);
        }
    }

    @Override
    public void add(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    @Override
    public void zero(float[] x, int off, int n) {
        java.util.Arrays.fill(x, off, off + n, 0f);
    }

    @Override
    public void mul(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] *= x[xOff + i];
        }
    }

    @Override
    public void load(double[] src, int sOff, float[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = (float) src[sOff + i];
        }
    }

    @Override
    public void loadTransposed(double[] src, int rows, int cols, Mat<float[]> dst, int from, int to) {
        Products.checkTransposed(rows, cols, dst);
        Products.checkRows(rows, from, to);
        transpose(src, rows, cols, dst.data(), dst.off(), from, to);
    }

    /**
     * t[o + j·rows + i] = src[i·cols + j] for src's rows i in [from, to), tile by tile, so a
     * tile of each stays in L1.
     */
    private static void transpose(double[] src, int rows, int cols, float[] t, int o, int from, int to) {
        for (int i0 = from; i0 < to; i0 += Products.TILE) {
            final int i1 = Math.min(to, i0 + Products.TILE);
            for (int j0 = 0; j0 < cols; j0 += Products.TILE) {
                final int j1 = Math.min(cols, j0 + Products.TILE);
                int j = j0;
                for (; j + 4 <= j1; j += 4) {          // four numbers of row i of src in order, each i
                    for (int i = i0; i < i1; i++) {
                        final int f = i * cols + j;
                        final int at = o + j * rows + i;
                        t[at] = (float) src[f];
                        t[at + rows] = (float) src[f + 1];
                        t[at + 2 * rows] = (float) src[f + 2];
                        t[at + 3 * rows] = (float) src[f + 3];
                    }
                }
                for (; j < j1; j++) {
                    for (int i = i0; i < i1; i++) {
                        t[o + j * rows + i] = (float) src[i * cols + j];
                    }
                }
            }
        }
    }

    @Override
    public void store(float[] src, int sOff, double[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = src[sOff + i];
        }
    }

    @Override
    public void storeAdd(float[] src, int sOff, double[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    @Override
    public void storeFirst(float[] src, int sOff, double[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = 0.0 + src[sOff + i];
        }
    }

    @Override
    public void storeAddTransposed(Mat<float[]> src, int[] rows, int count, double[] dst, int from, int to) {
        final int n = src.rows();
        final float[] s = src.data();
        for (int r = 0; r < count; r++) {
            final int i = rows[r];
            final int si = src.at(i);
            for (int j = from; j < to; j++) {
                dst[j * n + i] += s[si + j];
            }
        }
    }

    @Override
    public String describe() {
        return "plain Java, float32";
    }
}
