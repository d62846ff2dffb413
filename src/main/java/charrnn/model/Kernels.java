package charrnn.model;

/**
 * The arithmetic of the forward and backward passes, over plain {@code double[]} storage (the
 * data arrays of EJML matrices) with offsets, so that one time step's block of rows of an
 * activation matrix can be addressed without copying. Two implementations compute the same
 * values bit for bit: {@link PlainKernels}, plain Java, and {@code VectorKernels}, the JDK's
 * Vector API at any vector width, used when the {@code jdk.incubator.vector} module is present
 * ({@code java --add-modules jdk.incubator.vector ...}) and the CPU's vectors hold at least two
 * doubles.
 *
 * <p>The order of the arithmetic is fixed here, not by the hardware, so a seed gives the same
 * bits on every machine and JDK:
 * <ul>
 *   <li>every product element is ONE fused-multiply-add chain over k in increasing order,
 *       {@code acc = c (accumulating) or +0.0; acc = fma(s_k, m_kj, acc)}, zeros included;
 *       vectors run across the outputs j (s_k broadcast, a row of m loaded), never across k,
 *       so the width of a vector does not enter the sum. A blocked GEMM that continues the
 *       chain from c over blocks of k keeps the same order;</li>
 *   <li>every sum that is not a product (the softmax's Σ e^y, a window's loss) runs
 *       sequentially, index by index; maxima are exact in any order;</li>
 *   <li>element-wise steps use one formula on every path, fma in the same places, exp, tanh
 *       and σ from {@link ExactMath} (exact operations only), ln from {@code StrictMath}.</li>
 * </ul>
 */
public interface Kernels {

    /**
     * A linear combination of rows, the one product every matrix multiply here reduces to:
     * <pre>
     *   c[cOff + j]  (+)=  Σ_{k &lt; K}  s[sOff + k·sStride] · m[mOff + k·mStride + j]     for j &lt; N
     * </pre>
     * With s a row of A (stride 1) and m the rows of M, it is row i of A·M; with s a column of
     * A (stride = A's width) and m the rows of B, it is row i of Aᵀ·B.
     *
     * @param accumulate add to c instead of overwriting it
     */
    void combine(double[] s, int sOff, int sStride, int K, double[] m, int mOff, int mStride,
                 double[] c, int cOff, int N, boolean accumulate);

    /**
     * {@link #combine} for {@code rows} output rows at once, row q reading s from
     * {@code sOff + q·sRowStep} and writing c at {@code cOff + q·cRowStep}: every row of m is
     * loaded once for all of them. For A·M (rows of A): sRowStep = A's width, sStride = 1; for
     * Aᵀ·B (columns of A): sRowStep = 1, sStride = A's width.
     */
    default void combineRows(int rows, double[] s, int sOff, int sRowStep, int sStride, int K,
                             double[] m, int mOff, int mStride, double[] c, int cOff, int cRowStep, int N,
                             boolean accumulate) {
        for (int q = 0; q < rows; q++) {
            combine(s, sOff + q * sRowStep, sStride, K, m, mOff, mStride, c, cOff + q * cRowStep, N, accumulate);
        }
    }

    /** x[off + i] = tanh(x[off + i] + b[bOff + i]) for i &lt; n. */
    void addTanh(double[] x, int off, double[] b, int bOff, int n);

    /**
     * Turns scores into probabilities in place, y[off + j] = softmax(y + b)[j] for j &lt; n,
     * and returns ln Σ_j e^{y[off + j] + b[j]}, the log-normaliser (the loss of target j is
     * that minus y[off + j] + b[j]).
     */
    double softmax(double[] y, int off, double[] b, int n);

    /** d[dOff + i] = (1 − h[hOff + i]²) · (d[dOff + i] + e[eOff + i]) for i &lt; n. */
    void tanhBackward(double[] d, int dOff, double[] h, int hOff, double[] e, int eOff, int n);

    /**
     * One GRU step of one stream, its H units, gates packed z, r, n (each block H wide, at
     * {@code go} in ax, gh and gates):
     * <pre>
     *   z = σ(ax_z + gh_z)    r = σ(ax_r + gh_r)    n = tanh(ax_n + r⊙gh_n)
     *   h[next] = (1 − z)⊙n + z⊙h[prev]
     * </pre>
     * with ax = Wxh·input + bh and gh = Whh·h_{t-1}; the gates are kept for backward.
     */
    void gruForward(double[] ax, double[] gh, double[] gates, int go, double[] h, int prev, int next, int H);

    /**
     * Backward through one GRU step of one stream (see {@link #gruForward}), from dh =
     * dhs[dOff..] + dn[nOff..]:
     * <pre>
     *   dn̂ = dh⊙(1 − z)⊙(1 − n²)    dẑ = dh⊙(h[prev] − n)⊙z⊙(1 − z)    dr̂ = dn̂⊙gh_n⊙r⊙(1 − r)
     *   dx = [dẑ, dr̂, dn̂]    dhh = [dẑ, dr̂, dn̂⊙r]    dz[nOff..] = z⊙dh
     * </pre>
     */
    void gruBackward(double[] dhs, int dOff, double[] dn, double[] dz, int nOff, double[] gates, double[] gh,
                     int go, double[] h, int prev, double[] dx, double[] dhh, int H);

    /**
     * One LSTM step of one stream, gates packed i, f, g, o (each H wide, at {@code go} in a and
     * gates), a the pre-activations:
     * <pre>
     *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
     *   c[next] = f⊙c[prev] + i⊙g      h[next] = o⊙tanh(c[next])
     * </pre>
     */
    void lstmForward(double[] a, double[] gates, int go, double[] c, double[] h, int prev, int next, int H);

    /**
     * Backward through one LSTM step of one stream (see {@link #lstmForward}), from dh =
     * dhs[dOff..] + dn[nOff..] and dc[nOff..] (∂J/∂c from the step after, replaced by the step
     * before's):
     * <pre>
     *   dc' = dh⊙o⊙(1 − tanh²c) + dc
     *   da = [dc'⊙g⊙i(1−i), dc'⊙c[prev]⊙f(1−f), dc'⊙i⊙(1−g²), dh⊙tanh(c)⊙o(1−o)]
     *   dc = dc'⊙f
     * </pre>
     */
    void lstmBackward(double[] dhs, int dOff, double[] dn, double[] dc, int nOff, double[] gates, int go,
                      double[] c, int prev, int next, double[] da, int H);

    /** x[off + i] *= a for i &lt; n. */
    void scale(double[] x, int off, int n, double a);

    /** y[yOff + i] += x[xOff + i] for i &lt; n. */
    void add(double[] x, int xOff, double[] y, int yOff, int n);

    /**
     * One clipped Adagrad step on n entries, in one pass:
     * g ← min(max(g, −bound), bound) (bound 0: no clipping); m += g²; θ −= lr·g/√(m + ε).
     *
     * @return false if any gradient entry was NaN or infinite (θ and m are then garbage)
     */
    boolean adagrad(double[] theta, double[] g, double[] m, int n, double bound, double lr, double eps);

    /** A name for the output: which implementation, and its vector width. */
    String describe();

    /**
     * The fastest implementation this JVM can run: the Vector API's when its module is present
     * and the CPU's vectors hold 2 doubles or more (with one, plain Java is faster).
     */
    static Kernels best() {
        return KernelChoice.BEST;
    }

    /** True when the JVM runs without {@code jdk.incubator.vector}, so only the plain kernels can run. */
    static boolean vectorModuleMissing() {
        return KernelChoice.vectorModuleMissing();
    }

    /**
     * The Vector API's kernels on vectors of {@code bits} bits (64, 128, 256 or 512) whatever the
     * CPU's own width, for tests: every width gives the same bits as {@link #plain()}. Widths
     * other than the CPU's run much slower, and slow the CPU's own down in the same JVM.
     *
     * @throws UnsupportedOperationException without the {@code jdk.incubator.vector} module
     */
    static Kernels vector(int bits) {
        return KernelChoice.vector(bits);
    }

    /** The plain-Java implementation. */
    static Kernels plain() {
        return PlainKernels.INSTANCE;
    }
}
