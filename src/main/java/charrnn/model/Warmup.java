package charrnn.model;

import charrnn.config.Cell;
import charrnn.config.Precision;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * Gets the JIT to compile the Vector API kernels before a run needs them, on a thread of its
 * own, while the run reads its corpus and builds its model.
 *
 * <p>Until the JIT's optimising compiler has compiled it, Vector API code runs on the API's Java
 * fallbacks, about a hundred times slower than plain Java: the first update of a 2-layer LSTM of
 * 512 units took 2.6 s where later ones take 0.2 s, and the JIT compiles a method only after it
 * has run it thousands of times. This thread runs the passes of a model of the run's cell,
 * depth and vocabulary, but a few units wide and a few steps long, so that those thousands of
 * calls cost milliseconds instead of seconds, then stops. It uses only its own numbers and its
 * own generator: nothing it does reaches the run's results.
 */
public final class Warmup {
    /** Steps and streams of the small model: enough rows for every path of the products. */
    private static final int T = 4;
    private static final int B = 5;
    /** The passes it runs at most, and for how long at most. */
    private static final int MAX_PASSES = 3000;
    /** Passes between two looks at the speed. */
    private static final int BLOCK = 50;
    private static final long MAX_NANOS = 4_000_000_000L;

    private static volatile Thread thread;

    private Warmup() {
    }

    /**
     * Starts warming {@code kernels} for a model of this shape, once per JVM, if they are
     * {@linkplain Kernels#compiledLate() compiled late} and the JVM has a spare processor (on a
     * single one the warm-up would only take turns with the run it is meant to speed up, and
     * the JIT's own work is the same either way). Returns at once.
     *
     * @param V the vocabulary's size, or an estimate (it only decides which paths the output
     *          layer's products take)
     */
    public static synchronized void start(Kernels kernels, Precision precision, Cell cell, int layers, int V,
                                          boolean dropout) {
        if (thread != null || !kernels.compiledLate() || Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        thread = begin(kernels, precision, cell, layers, V, dropout);
    }

    /**
     * Waits until the warm-up has ended, or until {@code stop} says so (looked at every 20 ms);
     * returns at once if none was started. Until then the run's own passes would run on the
     * Vector API's fallbacks, a hundred times slower, on the processors the JIT compiles with:
     * a 2-layer tanh RNN of 512 units at batch 32 took 1.4 s for its first five updates, and
     * 300 updates took 9.1 s from start to end against 8.55 s waiting first.
     */
    public static void await(BooleanSupplier stop) {
        await(thread, stop);
    }

    /** Waits for {@code t} (null: none) to end, or until {@code stop} says so. */
    static void await(Thread t, BooleanSupplier stop) {
        while (t != null && t.isAlive() && !stop.getAsBoolean()) {
            try {
                t.join(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A new warm-up thread, started, whatever the processors and the JVM's earlier warm-ups. */
    static Thread begin(Kernels kernels, Precision precision, Cell cell, int layers, int V, boolean dropout) {
        Thread t = new Thread(() -> run(kernels, precision, cell, layers, V, dropout), "charrnn-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    private static void run(Kernels kernels, Precision precision, Cell cell, int layers, int V, boolean dropout) {
        // 5 vectors of 512 bits and a bit (more of narrower ones): both kinds of slab in the products,
        // groups of four and single positions
        final int lanes = precision == Precision.FLOAT32 ? 16 : 8;
        final int H = 5 * lanes + 3;
        final Rng rng = new Rng(20261128);
        final Params p = Params.initial(H, V, cell.gates(), layers, rng);
        final Params g = new Params(H, V, cell.gates(), layers);
        final Net<?> net = new Net<>(H, V, T, B, kernels.ops(precision), B, cell, layers, dropout ? 0.25 : 0, 0);
        final DMatrixRMaj h = new DMatrixRMaj(B, new Shape(cell, H, V, layers).stateWidth());
        final int[] inputs = new int[T * B];
        final int[] targets = new int[T * B];
        // the optimiser's kernel too, on one matrix (Wxh¹) with a memory reset each pass
        final double[] theta = p.all()[0].data;
        final double[] m = new double[theta.length];
        final long start = System.nanoTime();
        double previous = Double.MAX_VALUE;
        double first = 0;
        long blockStart = start;
        for (int pass = 1; pass <= MAX_PASSES && System.nanoTime() - start < MAX_NANOS; pass++) {
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = (int) (rng.nextDouble() * V);
                targets[i] = (int) (rng.nextDouble() * V);
            }
            net.setDropoutKey(pass);
            net.forward(p, inputs, targets, h, false);
            g.zero();
            net.backward(g);
            kernels.adagrad(theta, g.all()[0].data, m, theta.length, 5, 1e-3, 1e-8);
            Arrays.fill(m, 0);
            if (pass % BLOCK == 0) {
                final long now = System.nanoTime();
                final double perPass = (now - blockStart) / (double) BLOCK;
                blockStart = now;
                if (first == 0) {
                    first = perPass;
                }
                // compiled: passes are many times faster than the first ones and no longer speed up
                if (perPass < first / 8 && perPass > 0.85 * previous) {
                    return;
                }
                previous = perPass;
            }
        }
    }
}
