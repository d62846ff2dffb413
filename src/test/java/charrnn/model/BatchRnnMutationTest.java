package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Precision;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** BatchRnn against the literal cells: one part and several, reused from window to window. */
class BatchRnnMutationTest {
    private static final double ROUNDING = 1e-12;

    /** Runs window w through batch into grads filled with garbage first; checks all it returns. */
    private static void assertLiteral(BatchRnn batch, Cell cell, int L, RandomWindow w, String what) {
        int H = batch.H;
        int V = batch.V;
        Params g = new Params(H, V, cell.gates(), L);
        for (DMatrixRMaj m : g.all()) {
            Arrays.fill(m.data, 123.0);     // the gradient is set, not added to
        }
        DMatrixRMaj h = w.h0().copy();
        double loss = batch.forwardBackward(w.params(), w.inputs(), w.targets(), h, g);
        ReferenceCells.Result expected = ReferenceCells.run(cell, w.params(), w.T(), w.B(), w.inputs(), w.targets(),
                w.h0(), null);
        assertEquals(expected.loss(), loss, ROUNDING, what + " loss");
        RnnTest.assertClose(expected.hLast(), h, what + " carried state");
        CellReferenceTest.assertGradientsClose(expected.grads(), g, what);
        double[] row = new double[h.numCols];
        for (int b = 0; b < w.B(); b++) {
            batch.hiddenAt(w.T() - 1, b, row);
            for (int i = 0; i < row.length; i++) {
                assertEquals(expected.hLast().get(b, i), row[i], ROUNDING, what + " hiddenAt stream " + b);
            }
        }
    }

    @Test
    void onePartGivesTheLiteralLossStateAndGradientWindowAfterWindow() {
        int H = 6;
        int V = 5;
        int T = 4;
        int B = 3;
        for (Cell cell : Cell.values()) {
            try (BatchRnn batch = new BatchRnn(H, V, T, B, Kernels.plain(), Precision.FLOAT64, 4, cell, 2, 0)) {
                assertEquals(1, batch.parallelism(), "one part runs on one thread");
                for (int window = 0; window < 2; window++) {
                    RandomWindow w = RandomWindow.draw(H, V, cell.gates(), 2, T, B, new Rng(50 + window));
                    assertLiteral(batch, cell, 2, w, cell + " window " + window);
                }
            }
        }
    }

    @Test
    void severalPartsGiveTheLiteralLossStateAndGradientWindowAfterWindow() {
        int H = 5;
        int V = 4;
        int T = 3;
        int B = 2 * BatchRnn.STREAMS_PER_PART + 5;     // three parts, which read one copy of the weights
        for (Cell cell : Cell.values()) {
            for (int L : new int[] {1, 2}) {
                for (int threads : new int[] {1, 2, 3}) {
                    for (Kernels k : new Kernels[] {Kernels.plain(), Kernels.best()}) {
                        try (BatchRnn batch = new BatchRnn(H, V, T, B, k, Precision.FLOAT64, threads, cell, L, 0)) {
                            // new weights every window: the shared copy is loaded anew each time
                            for (int window = 0; window < 3; window++) {
                                RandomWindow w = RandomWindow.draw(H, V, cell.gates(), L, T, B, new Rng(60 + window));
                                assertLiteral(batch, cell, L, w, cell + " L=" + L + ", " + threads + " threads, "
                                        + k.describe() + ", window " + window);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Weights written by an optimizer's step, rows at a time, and told to the batch as it wrote
     * them ({@link BatchRnn#changed}, {@link BatchRnn#changedAll}) are the weights its next pass
     * reads, without a load; and a pass after that, on weights changed by other hands, loads them.
     */
    @Test
    void weightsToldRowByRowAreThoseTheNextPassReadsAndLaterPassesLoadAnew() {
        int H = 21;     // a vector and more of columns: the packed layouts
        int V = 19;
        int T = 3;
        int B = 2 * BatchRnn.STREAMS_PER_PART + 5;
        for (Cell cell : Cell.values()) {
            for (Kernels k : new Kernels[] {Kernels.plain(), Kernels.best()}) {
                for (Precision precision : Precision.values()) {
                    try (BatchRnn batch = new BatchRnn(H, V, T, B, k, precision, 2, cell, 2, 0)) {
                        double tolerance = precision == Precision.FLOAT64 ? ROUNDING : 2e-4;
                        String what = cell + " " + k.describe() + " " + precision;
                        RandomWindow w = RandomWindow.draw(H, V, cell.gates(), 2, T, B, new Rng(80));
                        Params p = w.params();
                        batch.forwardBackward(p, w.inputs(), w.targets(), w.h0().copy(), new Params(H, V, cell.gates(), 2));
                        // a step: every matrix rewritten, in stretches of rows in a scattered order, each told
                        Rng rng = new Rng(81);
                        DMatrixRMaj[] all = p.all();
                        for (int m = all.length - 1; m >= 0; m--) {
                            int rows = all[m].numRows;
                            int cols = all[m].numCols;
                            int[] cuts = {0, rows / 3, rows / 3 + 1, rows};
                            for (int c = cuts.length - 2; c >= 0; c--) {
                                for (int e = cuts[c] * cols; e < cuts[c + 1] * cols; e++) {
                                    all[m].data[e] += 0.3 * (rng.nextDouble() - 0.5);
                                }
                                batch.changed(p, m, cuts[c], cuts[c + 1]);
                            }
                        }
                        batch.changedAll(p);
                        assertLiteralWithin(batch, cell, w, tolerance, what + ", the pass after the step");
                        // by other hands, untold: the pass after must load them
                        for (DMatrixRMaj m : all) {
                            for (int e = 0; e < m.data.length; e++) {
                                m.data[e] *= -1.5;
                            }
                        }
                        assertLiteralWithin(batch, cell, w, tolerance, what + ", a pass after weights changed untold");
                    }
                }
            }
        }
    }

    /** The loss and the gradient of window w through a two-layer batch against the literal cells. */
    private static void assertLiteralWithin(BatchRnn batch, Cell cell, RandomWindow w, double tolerance, String what) {
        Params g = new Params(batch.H, batch.V, cell.gates(), 2);
        double loss = batch.forwardBackward(w.params(), w.inputs(), w.targets(), w.h0().copy(), g);
        ReferenceCells.Result expected = ReferenceCells.run(cell, w.params(), w.T(), w.B(), w.inputs(), w.targets(),
                w.h0(), null);
        assertEquals(expected.loss(), loss, tolerance * Math.max(1, Math.abs(loss)), what + " loss");
        DMatrixRMaj[] e = expected.grads().all();
        DMatrixRMaj[] a = g.all();
        for (int m = 0; m < e.length; m++) {
            double scale = 0;
            for (double x : e[m].data) {
                scale = Math.max(scale, Math.abs(x));
            }
            for (int i = 0; i < e[m].data.length; i++) {
                assertEquals(e[m].data[i], a[m].data[i], tolerance * Math.max(scale, 1e-3),
                        what + ": gradient " + m + " entry " + i);
            }
        }
    }

    /** The live worker threads of batches. */
    private static java.util.List<Thread> workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("charrnn-worker") && t.isAlive()).toList();
    }

    @Test
    void oneThreadStartsNoWorkerAndWorkersNeverKeepTheProcessAlive() {
        int B = 2 * BatchRnn.STREAMS_PER_PART + 1;     // three parts
        RandomWindow w = RandomWindow.draw(3, 3, 1, 1, 2, B, new Rng(80));
        int before = workers().size();
        try (BatchRnn one = new BatchRnn(3, 3, 2, B, Kernels.plain(), Precision.FLOAT64, 1, charrnn.config.Cell.RNN, 1, 0)) {
            one.forwardBackward(w.params(), w.inputs(), w.targets(), w.h0().copy(), new Params(3, 3, 1, 1));
            assertTrue(workers().size() <= before, "a worker thread for a batch on one thread");
        }
        try (BatchRnn three = new BatchRnn(3, 3, 2, B, Kernels.plain(), Precision.FLOAT64, 3, charrnn.config.Cell.RNN, 1, 0)) {
            three.forwardBackward(w.params(), w.inputs(), w.targets(), w.h0().copy(), new Params(3, 3, 1, 1));
            assertTrue(workers().size() > 0);
            for (Thread t : workers()) {
                assertTrue(t.isDaemon(), "worker threads are daemons");
            }
        }
    }

    @Test
    void aPartThatFailsOnAWorkerFailsTheBatch() {
        int B = 2 * BatchRnn.STREAMS_PER_PART + 1;
        RandomWindow w = RandomWindow.draw(3, 3, 1, 1, 2, B, new Rng(81));
        int[] inputs = w.inputs().clone();
        inputs[B - 1] = 7;     // not a symbol: the last part cannot run
        try (BatchRnn batch = new BatchRnn(3, 3, 2, B, Kernels.plain(), Precision.FLOAT64, 3, charrnn.config.Cell.RNN, 1, 0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> batch.forwardBackward(w.params(), inputs, w.targets(), w.h0().copy(), new Params(3, 3, 1, 1)));
            assertEquals("a training thread failed", e.getMessage());
            assertInstanceOf(ArrayIndexOutOfBoundsException.class, e.getCause());
        }
    }

    @Test
    void partsRunOnAsManyThreadsAsThereArePartsAtMost() {
        int B = 2 * BatchRnn.STREAMS_PER_PART + 1;     // three parts
        int[][] threadsToParallelism = {{0, 1}, {1, 1}, {2, 2}, {3, 3}, {8, 3}};
        for (int[] c : threadsToParallelism) {
            try (BatchRnn batch = new BatchRnn(4, 3, 2, B, Kernels.plain(), Precision.FLOAT64, c[0], charrnn.config.Cell.RNN, 1, 0)) {
                assertEquals(c[1], batch.parallelism(), c[0] + " threads");
            }
        }
        try (BatchRnn batch = new BatchRnn(4, 3, 2, BatchRnn.STREAMS_PER_PART, Kernels.plain(), Precision.FLOAT64, 8, charrnn.config.Cell.RNN, 1, 0)) {
            assertEquals(1, batch.parallelism(), "16 streams are one part");
        }
        try (BatchRnn batch = new BatchRnn(4, 3, 2, BatchRnn.STREAMS_PER_PART + 1, Kernels.plain(), Precision.FLOAT64, 8, charrnn.config.Cell.RNN, 1, 0)) {
            assertEquals(2, batch.parallelism(), "17 streams are two parts");
            assertThrows(IndexOutOfBoundsException.class,
                    () -> batch.hiddenAt(0, BatchRnn.STREAMS_PER_PART + 1, new double[4]));
        }
    }

    @Test
    void piecesRunOncePerThreadEachOnItsOwnThreadAndAnyFailureCounts() {
        int B = 2 * BatchRnn.STREAMS_PER_PART + 1;     // three parts
        for (int threads : new int[] {1, 2, 3}) {
            try (BatchRnn batch = new BatchRnn(3, 3, 2, B, Kernels.plain(), Precision.FLOAT64, threads, charrnn.config.Cell.RNN, 1, 0)) {
                final int[] runs = new int[threads];
                final Thread[] on = new Thread[threads];
                final int[] seen = new int[1];
                assertTrue(batch.inPieces((piece, pieces) -> {
                    synchronized (runs) {
                        runs[piece]++;
                        seen[0] = pieces;
                    }
                    on[piece] = Thread.currentThread();
                    return true;
                }));
                assertEquals(threads, seen[0], threads + " threads");
                for (int p = 0; p < threads; p++) {
                    assertEquals(1, runs[p], "piece " + p + " of " + threads);
                }
                assertSame(Thread.currentThread(), on[0], "piece 0 runs on the caller");
                for (int p = 1; p < threads; p++) {
                    assertNotSame(Thread.currentThread(), on[p], "piece " + p + " on a worker");
                }
                for (int failing = 0; failing < threads; failing++) {
                    final int f = failing;
                    assertFalse(batch.inPieces((piece, pieces) -> piece != f), "piece " + f + " failed");
                }
            }
        }
    }
}
