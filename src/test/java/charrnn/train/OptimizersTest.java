package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.model.Workers;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** RMSprop's and Adam's steps against their rules worked out by hand on a few entries. */
class OptimizersTest {
    private static Params gradient(double a, double b) {
        Params g = new Params(1, 2, 1, 1);
        g.Wxh[0].data[0] = a;
        g.Wxh[0].data[1] = b;
        return g;
    }

    @Test
    void rmspropKeepsARunningMeanOfSquares() {
        Params theta = new Params(1, 2, 1, 1);
        theta.Wxh[0].data[0] = 1.0;
        RmsProp opt = new RmsProp(0.95, theta);
        assertTrue(opt.step(theta, gradient(2.0, -10.0), 0.01, 5.0));
        // m = 0.05·4 = 0.2 ; θ = 1 − 0.01·2/(√0.2 + 1e-8)
        assertEquals(0.2, opt.state()[0].Wxh[0].data[0], 1e-15);
        assertEquals(1 - 0.02 / (Math.sqrt(0.2) + 1e-8), theta.Wxh[0].data[0], 1e-15);
        // −10 clipped to −5: m = 0.05·25 = 1.25 ; θ = 0 + 0.01·5/(√1.25 + 1e-8)
        assertEquals(1.25, opt.state()[0].Wxh[0].data[1], 1e-14);
        assertEquals(0.05 / (Math.sqrt(1.25) + 1e-8), theta.Wxh[0].data[1], 1e-15);
        double before = theta.Wxh[0].data[0];
        assertTrue(opt.step(theta, gradient(1.0, 0), 0.01, 5.0));
        // m = 0.95·0.2 + 0.05·1 = 0.24
        assertEquals(0.24, opt.state()[0].Wxh[0].data[0], 1e-14);
        assertEquals(before - 0.01 / (Math.sqrt(0.24) + 1e-8), theta.Wxh[0].data[0], 1e-15);
        assertEquals(2, opt.steps());
    }

    @Test
    void adamsFirstStepIsTheLearningRateTimesTheSignAndItsSecondFollowsTheRule() {
        Params theta = new Params(1, 2, 1, 1);
        Adam opt = new Adam(0.9, 0.999, 0, theta);
        assertTrue(opt.step(theta, gradient(0.5, -3.0), 0.1, 0));
        // bias-corrected m̂ = g, v̂ = g²: the step is lr·g/(|g| + ε)
        assertEquals(-0.1 * 0.5 / (0.5 + 1e-8), theta.Wxh[0].data[0], 1e-15);
        assertEquals(0.1 * 3 / (3 + 1e-8), theta.Wxh[0].data[1], 1e-15);
        assertEquals(0.05, opt.state()[0].Wxh[0].data[0], 1e-16);
        assertEquals(0.00025, opt.state()[1].Wxh[0].data[0], 1e-18);
        double th = theta.Wxh[0].data[0];
        assertTrue(opt.step(theta, gradient(-1.0, 0), 0.1, 0));
        // t = 2: m = 0.9·0.05 − 0.1 = −0.055, v = 0.999·0.00025 + 0.001 = 0.00124975
        double m = -0.055;
        double v = 0.00124975;
        double expected = th - (0.1 / (1 - 0.81)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.998001) + 1e-8);
        assertEquals(m, opt.state()[0].Wxh[0].data[0], 1e-16);
        assertEquals(v, opt.state()[1].Wxh[0].data[0], 1e-17);
        assertEquals(expected, theta.Wxh[0].data[0], 1e-14);
        assertEquals(2, opt.steps());
    }

    @Test
    void adamWShrinksEveryParameterByLrTimesTheDecay() {
        Params theta = new Params(1, 2, 1, 1);
        theta.Why.data[1] = 2.0;
        theta.by.data[0] = -1.0;
        Adam opt = new Adam(0.9, 0.999, 0.1, theta);
        // a zero gradient moves nothing but the decay: θ·(1 − 0.01·0.1)
        assertTrue(opt.step(theta, new Params(1, 2, 1, 1), 0.01, 0));
        assertEquals(2.0 * 0.999, theta.Why.data[1], 1e-15);
        assertEquals(-0.999, theta.by.data[0], 1e-15);
        Params plain = new Params(1, 2, 1, 1);
        plain.Why.data[1] = 2.0;
        new Adam(0.9, 0.999, 0, plain).step(plain, new Params(1, 2, 1, 1), 0.01, 0);
        assertEquals(2.0, plain.Why.data[1], 0, "no weight decay: Adam leaves it");
    }

    @Test
    void aNonFiniteGradientIsReportedByEveryOptimizer() {
        for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
            for (double clip : new double[] {0, 5}) {
                Params like = new Params(1, 2, 1, 1);
                assertFalse(new RmsProp(0.95, like).step(new Params(1, 2, 1, 1), gradient(1, bad), 0.01, clip));
                assertFalse(new Adam(0.9, 0.999, 0, like).step(new Params(1, 2, 1, 1), gradient(bad, 1), 0.01, clip));
            }
        }
    }

    /** Pieces run one after another, the last first: what threads could do in any order. */
    private static Workers backwards(int pieces) {
        return task -> {
            boolean all = true;
            for (int p = pieces - 1; p >= 0; p--) {
                all &= task.run(p, pieces);
            }
            return all;
        };
    }

    /** Workers of {@link #backwards} that count, for each row of each matrix, how often a step told it changed. */
    private static final class Recording implements Workers {
        final Workers pieces;
        final int[][] told;
        final Params params;
        int all;

        Recording(int pieces, Params params) {
            this.pieces = backwards(pieces);
            this.params = params;
            told = new int[params.all().length][];
            for (int m = 0; m < told.length; m++) {
                told[m] = new int[params.all()[m].numRows];
            }
        }

        @Override
        public boolean inPieces(Piece task) {
            return pieces.inPieces(task);
        }

        @Override
        public void changed(Params p, int m, int from, int to) {
            assertTrue(p == params && all == 0, "told of the step's own params, before the end");
            for (int r = from; r < to; r++) {
                told[m][r]++;
            }
        }

        @Override
        public void changedAll(Params p) {
            assertTrue(p == params);
            all++;
        }
    }

    @Test
    void aStepTellsItsWorkersOfEveryRowItWroteOnceAndThenOfTheWhole() {
        Params like = new Params(40, 7, 3, 2);      // rows of 40 and 7 columns, biases: stretches of several rows
        java.util.Map<String, Supplier<Optimizer>> kinds = new java.util.LinkedHashMap<>();
        kinds.put("adagrad", () -> new Adagrad(0.1, like, Kernels.best()));
        kinds.put("rmsprop", () -> new RmsProp(0.95, like));
        kinds.put("adamw", () -> new Adam(0.9, 0.999, 0.01, like));
        for (var kind : kinds.entrySet()) {
            for (int pieces : new int[] {1, 2, 3}) {
                Params theta = new Params(40, 7, 3, 2);
                Recording workers = new Recording(pieces, theta);
                Params g = new Params(40, 7, 3, 2);
                Rng rng = new Rng(3);
                for (var m : g.all()) {
                    for (int i = 0; i < m.data.length; i++) {
                        m.data[i] = rng.nextGaussian();
                    }
                }
                assertTrue(kind.getValue().get().step(theta, g, 0.01, 5, workers));
                String what = kind.getKey() + " in " + pieces + " pieces";
                assertEquals(1, workers.all, what + ": the whole told once");
                for (int m = 0; m < workers.told.length; m++) {
                    for (int r = 0; r < workers.told[m].length; r++) {
                        assertEquals(1, workers.told[m][r], what + ": matrix " + m + " row " + r);
                    }
                }
                g.Why.data[3] = Double.NaN;
                Recording failing = new Recording(pieces, theta);
                assertFalse(kind.getValue().get().step(theta, g, 0.01, 5, failing));
                assertEquals(0, failing.all, what + ": a step that failed does not tell the whole");
            }
        }
    }

    private static Params random(Rng rng, double scale) {
        Params p = new Params(5, 7, 3, 2);
        for (var m : p.all()) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] = scale * rng.nextGaussian();
            }
        }
        return p;
    }

    @Test
    void everyOptimizerTakesTheSameStepInAnyNumberOfPieces() {
        Params like = new Params(5, 7, 3, 2);
        java.util.Map<String, Supplier<Optimizer>> kinds = new java.util.LinkedHashMap<>();
        kinds.put("adagrad plain", () -> new Adagrad(0.1, like, Kernels.plain()));
        kinds.put("adagrad best", () -> new Adagrad(0.1, like, Kernels.best()));
        kinds.put("rmsprop", () -> new RmsProp(0.95, like));
        kinds.put("adamw", () -> new Adam(0.9, 0.999, 0.01, like));
        for (var kind : kinds.entrySet()) {
            for (int pieces : new int[] {2, 3, 7, 200}) {
                Optimizer one = kind.getValue().get();
                Optimizer split = kind.getValue().get();
                Params a = random(new Rng(1), 1);
                Params b = random(new Rng(1), 1);
                for (int step = 0; step < 3; step++) {
                    Params g1 = random(new Rng(10 + step), 4);
                    Params g2 = random(new Rng(10 + step), 4);
                    assertTrue(one.step(a, g1, 0.01, 5, Workers.ONE));
                    assertTrue(split.step(b, g2, 0.01, 5, backwards(pieces)));
                }
                String what = kind.getKey() + " in " + pieces + " pieces";
                for (int k = 0; k < a.all().length; k++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(a.all()[k].data, b.all()[k].data, what + ", θ " + k);
                    for (int s = 0; s < one.state().length; s++) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(one.state()[s].all()[k].data,
                                split.state()[s].all()[k].data, what + ", memory " + s + " of " + k);
                    }
                }
                assertEquals(3, split.steps(), what);
                // a NaN in the last entry of the last matrix: only the last piece sees it, and it counts
                Params bad = random(new Rng(99), 4);
                var last = bad.all()[bad.all().length - 1];
                last.data[last.getNumElements() - 1] = Double.NaN;
                assertFalse(kind.getValue().get().step(random(new Rng(1), 1), bad, 0.01, 5, backwards(pieces)), what);
            }
        }
    }

    /**
     * The training loop allocates nothing, and the step is part of it: a step, in one piece or in
     * several, makes no object, from its first calls (interpreted, where no escape analysis
     * removes an object made per step) on. No object per step means fewer than 16 bytes per step
     * (an object's least); the JVM itself may allocate now and then on this thread (56 and 96
     * bytes were seen once in 4,000 steps), so 100 steps may allocate up to 8 bytes each. With the
     * plain kernels: Vector API code makes an object of every vector until the JIT compiles it,
     * which runs watch instead (heap_bytes_per_update); and without Adam, whose bias corrections
     * (StrictMath.pow, the same bits on every machine) allocate 96 bytes a call until compiled.
     */
    @Test
    void aStepMakesNoObject() {
        final var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled(), "this JVM does not count allocated bytes");
        final long self = Thread.currentThread().getId();
        Params like = new Params(5, 7, 3, 2);
        java.util.Map<String, Optimizer> kinds = new java.util.LinkedHashMap<>();
        kinds.put("adagrad", new Adagrad(0.1, like, Kernels.plain()));
        kinds.put("rmsprop", new RmsProp(0.95, like));
        for (var kind : kinds.entrySet()) {
            for (Workers workers : new Workers[] {Workers.ONE, backwards(3)}) {
                Params theta = random(new Rng(1), 1);
                Params g = random(new Rng(2), 4);
                Optimizer opt = kind.getValue();
                for (int step = 0; step < 3; step++) {         // the classes it uses, loaded and linked
                    opt.step(theta, g, 0.01, 5, workers);
                }
                for (int round = 0; round < 3; round++) {
                    final long before = threads.getThreadAllocatedBytes(self);
                    for (int step = 0; step < 100; step++) {
                        opt.step(theta, g, 0.01, 5, workers);
                    }
                    final long allocated = threads.getThreadAllocatedBytes(self) - before;
                    assertTrue(allocated < 100 * 8, kind.getKey() + ", " + (workers == Workers.ONE ? "one piece" : "3 pieces")
                            + ": 100 steps allocated " + allocated + " bytes");
                }
            }
        }
    }
}
