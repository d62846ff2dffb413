package charrnn.model;

import charrnn.config.Precision;

/**
 * A family of kernels: the float64 {@link Ops}, its float32 sibling ({@link #floats()}), and
 * the optimiser's step, which is always float64. Two families compute the same values bit for
 * bit: {@link PlainKernels}, plain Java, and {@code VectorKernels}, the JDK's Vector API at any
 * vector width, used when the {@code jdk.incubator.vector} module is present (the launcher adds
 * it) and the CPU's vectors hold at least two doubles.
 */
public interface Kernels extends Ops<double[]> {

    /** The same family's float32 arithmetic. */
    Ops<float[]> floats();

    /** The arithmetic in {@code precision}. */
    default Ops<?> ops(Precision precision) {
        return precision == Precision.FLOAT64 ? this : floats();
    }

    /**
     * One clipped Adagrad step on n entries, in one pass:
     * g ← min(max(g, −bound), bound) (bound 0: no clipping); m += g²; θ −= lr·g/√(m + ε).
     *
     * @return false if any gradient entry was NaN or infinite (θ and m are then garbage)
     */
    default boolean adagrad(double[] theta, double[] g, double[] m, int n, double bound, double lr, double eps) {
        return adagrad(theta, g, m, 0, n, bound, lr, eps);
    }

    /** {@link #adagrad(double[], double[], double[], int, double, double, double)} on entries [from, to) only. */
    boolean adagrad(double[] theta, double[] g, double[] m, int from, int to, double bound, double lr, double eps);

    /**
     * Whether this family runs slowly until the JIT has compiled it, so that it pays to
     * {@link Warmup} it on a spare core (the Vector API's: see there).
     */
    default boolean compiledLate() {
        return false;
    }

    /**
     * The fastest family this JVM can run: the Vector API's when its module is present and the
     * CPU's vectors hold 2 doubles or more (with one, plain Java is faster).
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

    /** The plain-Java family. */
    static Kernels plain() {
        return PlainKernels.INSTANCE;
    }
}
