package charrnn.model;

/** {@link Kernels} in plain Java: the reference the vectorised kernels are tested against. */
final class PlainKernels implements Kernels {
    static final PlainKernels INSTANCE = new PlainKernels();

    private PlainKernels() {
    }

    @Override
    public void combine(double[] s, int sOff, int sStride, int K, double[] m, int mOff, int mStride,
                        double[] c, int cOff, int N, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(c, cOff, cOff + N, 0.0);
        }
        for (int k = 0; k < K; k++) {
            final double sk = s[sOff + k * sStride];
            if (sk == 0.0) {
                continue;
            }
            final int mk = mOff + k * mStride;
            for (int j = 0; j < N; j++) {
                c[cOff + j] += sk * m[mk + j];
            }
        }
    }

    @Override
    public void addTanh(double[] x, int off, double[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            x[off + i] = Math.tanh(x[off + i] + b[bOff + i]);
        }
    }

    @Override
    public double softmax(double[] y, int off, double[] b, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            y[off + j] += b[j];
            max = Math.max(max, y[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double e = Math.exp(y[off + j] - max);
            y[off + j] = e;
            sum += e;
        }
        final double inv = 1.0 / sum;
        for (int j = 0; j < n; j++) {
            y[off + j] *= inv;
        }
        return Math.log(sum) + max;
    }

    @Override
    public void tanhBackward(double[] d, int dOff, double[] h, int hOff, double[] e, int eOff, int n) {
        for (int i = 0; i < n; i++) {
            final double hi = h[hOff + i];
            d[dOff + i] = (1.0 - hi * hi) * (d[dOff + i] + e[eOff + i]);
        }
    }

    @Override
    public void scale(double[] x, int off, int n, double a) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= a;
        }
    }

    @Override
    public void add(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    @Override
    public boolean adagrad(double[] theta, double[] g, double[] m, int n, double bound, double lr, double eps) {
        return adagrad(theta, g, m, 0, n, bound, lr, eps);
    }

    /** {@link #adagrad} on entries [from, to): the vectorised kernel's tail too. */
    static boolean adagrad(double[] theta, double[] g, double[] m, int from, int to, double bound, double lr,
                           double eps) {
        boolean finite = true;
        for (int i = from; i < to; i++) {
            double gi = g[i];
            finite &= Double.isFinite(gi);
            if (bound > 0) {
                gi = gi > bound ? bound : (gi < -bound ? -bound : gi);
                g[i] = gi;
            }
            m[i] += gi * gi;
            theta[i] -= lr * gi / Math.sqrt(m[i] + eps);
        }
        return finite;
    }

    @Override
    public String describe() {
        return "plain Java";
    }
}
