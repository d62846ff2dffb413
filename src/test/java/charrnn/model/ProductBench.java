package charrnn.model;

import charrnn.config.Cell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The matrix products a model runs, each at the shape it has in training, timed alone on this
 * core: GFLOP/s and the fraction of the core's peak. Not a test: {@code bench/products.sh}
 * runs it.
 *
 * <p>For a part of 16 streams (a batch of 32 on two threads), T = 25, V = 65, every cell at
 * H = 128, 256 and 512 in both precisions, the shapes of {@link Net}: the recurrence forward
 * (16×H · H×G·H, packed weights) and backward (16×G·H · G·H×H), the input term of a layer above
 * the first (400×H · H×G·H), the scores (400×H · H×V) and their gradient (400×V · V×H), and the
 * weight gradients dWhh (G·H×400ᵀ · 400×H) and dWhy, their right-hand factor packed first as
 * the model packs it (the packing is in the time). The peak is measured here too, as the
 * speed of the micro-kernel on a block that stays in L1: the most this code can do per core.
 */
public final class ProductBench {
    private static final int PART = 16;
    private static final int T = 25;
    private static final int V = 65;

    private ProductBench() {
    }

    private record Shape(String name, int M, int K, int N, boolean packed, boolean transA) {
        double flops() {
            return 2.0 * M * K * N;
        }
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.3;
        Kernels k = Kernels.best();
        System.out.println("kernels: " + k.describe() + " | " + k.floats().describe());
        if (args.length > 1 && args[1].equals("batch1")) {
            for (Ops<?> ops : List.of(k.floats(), k)) {
                batchOne(ops, seconds);
            }
            return;
        }
        for (Ops<?> ops : List.of(k.floats(), k)) {
            report(ops, seconds);
        }
    }

    /**
     * The default model's products (batch 1, H = 100, T = 25, V = 65): the recurrence and its
     * backpropagation are one row each, everything else T rows; and the packing of a weight
     * matrix, as nanoseconds per number.
     */
    private static <A> void batchOne(Ops<A> ops, double seconds) {
        final int H = 100;
        System.out.printf(Locale.ROOT, "%n%s, batch 1:%n%-34s %6s %6s %6s %10s%n", ops.precision().key(), "product", "M",
                "K", "N", "GFLOP/s");
        for (Shape s : new Shape[] {
            new Shape("recurrence", 1, H, H, true, false),
            new Shape("recurrence H=128", 1, 128, 128, true, false),
            new Shape("recurrence H=256", 1, 256, 256, true, false),
            new Shape("scores", T, H, V, true, false),
            new Shape("dh from dy", T, V, H, true, false),
            new Shape("dWhh", H, T, H, false, true),
            new Shape("dWhy", V, T, H, false, true)}) {
            time(ops, s, seconds);
            System.out.printf(Locale.ROOT, "%-34s %6d %6d %6d %10.1f%n", s.name, s.M, s.K, s.N, time(ops, s, seconds));
        }
        packing(ops, H, H, seconds);
        // a GRU's Whh at H = 512 (3H×H), far larger than L1 and L2: what every update packs
        packing(ops, 3 * 512, 512, seconds);
    }

    /** Nanoseconds per number of packing a rows×cols matrix, as given and transposed: the best of many. */
    private static <A> void packing(Ops<A> ops, int rows, int cols, double seconds) {
        for (boolean transpose : new boolean[] {false, true}) {
            Panels<A> w = transpose ? ops.panels(cols, rows) : ops.panels(rows, cols);
            double[] d = new double[rows * cols];
            Arrays.setAll(d, i -> i * 1e-3);
            final int repeats = Math.max(1, 10_000_000 / (rows * cols));
            double best = Double.MAX_VALUE;
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                for (int r = 0; r < repeats; r++) {
                    ops.loadPanels(d, rows, cols, transpose, w);
                }
                best = Math.min(best, (System.nanoTime() - t0) / (double) repeats / (rows * cols));
            }
            System.out.printf(Locale.ROOT, "packing %s %d×%d: %.3f ns per number%n", transpose ? "transposed" : "as given",
                    rows, cols, best);
        }
    }

    private static <A> void report(Ops<A> ops, double seconds) {
        // four rows by four vectors of the widest species: one call of the micro-kernel
        int vector = ops.precision() == charrnn.config.Precision.FLOAT32 ? 16 : 8;
        Shape micro = new Shape("peak", 4, 256, 4 * vector, true, false);
        time(ops, micro, seconds);      // compiled first
        double peak = time(ops, micro, seconds * 2);
        System.out.printf(Locale.ROOT, "%n%s: peak of the micro-kernel on an L1-resident block: %.1f GFLOP/s%n",
                ops.precision().key(), peak);
        System.out.printf(Locale.ROOT, "%-34s %6s %6s %6s %10s %8s%n", "product", "M", "K", "N", "GFLOP/s", "of peak");
        List<Double> fractions = new ArrayList<>();
        for (Cell cell : Cell.values()) {
            for (int H : new int[] {128, 256, 512}) {
                final int GH = cell.gates() * H;
                final int rows = T * PART;
                for (Shape s : new Shape[] {
                    new Shape(cell.key() + " H=" + H + " recurrence", PART, H, GH, true, false),
                    new Shape(cell.key() + " H=" + H + " recurrence back", PART, GH, H, true, false),
                    new Shape(cell.key() + " H=" + H + " input term", rows, H, GH, true, false),
                    new Shape(cell.key() + " H=" + H + " scores", rows, H, V, true, false),
                    new Shape(cell.key() + " H=" + H + " dh from dy", rows, V, H, true, false),
                    new Shape(cell.key() + " H=" + H + " dWhh", GH, rows, H, false, true),
                    new Shape(cell.key() + " H=" + H + " dWhy", V, rows, H, false, true)}) {
                    if (cell != Cell.RNN && (s.name.endsWith("scores") || s.name.endsWith("dh from dy")
                            || s.name.endsWith("dWhy"))) {
                        continue;       // the same for every cell
                    }
                    double g = time(ops, s, seconds);
                    if (H >= 256) {
                        fractions.add(g / peak);
                    }
                    System.out.printf(Locale.ROOT, "%-34s %6d %6d %6d %10.1f %7.0f%%%n", s.name, s.M, s.K, s.N, g,
                            100 * g / peak);
                }
            }
        }
        double[] f = fractions.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s, H >= 256: lowest %.0f%%, median %.0f%% of peak (aim: every shape >= 60%%)%n",
                ops.precision().key(), 100 * f[0], 100 * f[f.length / 2]);
    }

    /** The product's speed in GFLOP/s, the best of the timed batches that fit in {@code seconds} after a first one. */
    private static <A> double time(Ops<A> ops, Shape s, double seconds) {
        Rng rng = new Rng(s.M * 31L + s.K * 7L + s.N);
        Mat<A> a = s.transA ? random(ops, s.K, s.M, rng) : random(ops, s.M, s.K, rng);
        Mat<A> c = Mat.of(ops, s.M, s.N);
        Mat<A> b = s.packed ? null : random(ops, s.K, s.N, rng);
        Panels<A> bp = s.packed ? null : ops.panels(s.K, s.N);     // a weight gradient packs its b, as Net does
        Panels<A> w = null;
        if (s.packed) {
            w = ops.panels(s.K, s.N);
            double[] d = new double[s.K * s.N];
            Arrays.setAll(d, i -> rng.nextGaussian());
            ops.loadPanels(d, s.K, s.N, false, w);
        }
        long reps = 1;
        double best = 0;
        for (int warm = 0; warm < 3; warm++) {
            if (s.packed) {
                ops.mult(a, w, c);
            } else {
                ops.pack(b, bp);
                ops.multTransA(a, bp, c);
            }
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline || best == 0) {
            long t0 = System.nanoTime();
            for (long r = 0; r < reps; r++) {
                if (s.packed) {
                    ops.mult(a, w, c);
                } else {
                    ops.pack(b, bp);
                    ops.multTransA(a, bp, c);
                }
            }
            double dt = (System.nanoTime() - t0) * 1e-9;
            if (dt < 0.02) {
                reps *= 2;
                continue;
            }
            best = Math.max(best, s.flops() * reps / dt * 1e-9);
        }
        return best;
    }

    private static <A> Mat<A> random(Ops<A> ops, int rows, int cols, Rng rng) {
        double[] d = new double[rows * cols];
        Arrays.setAll(d, i -> rng.nextGaussian());
        Mat<A> m = Mat.of(ops, rows, cols);
        ops.load(d, 0, m.data(), 0, d.length);
        return m;
    }
}
