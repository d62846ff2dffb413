package charrnn.model;

/**
 * The arithmetic of the forward and backward passes, over plain {@code double[]} storage (the
 * data arrays of EJML matrices) with offsets, so that one time step's block of rows of an
 * activation matrix can be addressed without copying. Two implementations compute the same
 * values up to rounding: {@link PlainKernels}, plain Java, and {@code VectorKernels}, the JDK's
 * Vector API, used when the {@code jdk.incubator.vector} module is present
 * ({@code java --add-modules jdk.incubator.vector ...}).
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

    /** The fastest implementation this JVM can run. */
    static Kernels best() {
        return KernelChoice.BEST;
    }

    /** True when the JVM runs without {@code jdk.incubator.vector}, so only the plain kernels can run. */
    static boolean vectorModuleMissing() {
        return KernelChoice.vectorModuleMissing();
    }

    /** The plain-Java implementation. */
    static Kernels plain() {
        return PlainKernels.INSTANCE;
    }
}
