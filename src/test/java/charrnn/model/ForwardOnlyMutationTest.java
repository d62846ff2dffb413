package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.config.Cell;
import charrnn.config.Precision;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The forward-only paths, evaluation's {@link BatchRnn#forward} and {@link Rnn#probabilitiesAt},
 * against the literal cells of {@link ReferenceCells}: the mean loss and the state carried on,
 * one part and several, on one thread and on several, window after window.
 */
class ForwardOnlyMutationTest {
    private static final double ROUNDING = 1e-12;

    @Test
    void aBatchForwardGivesTheLiteralLossAndStateInOnePartOrSeveral() {
        int H = 4;
        int V = 5;
        int T = 3;
        int[] streams = {3, 2 * BatchRnn.STREAMS_PER_PART + 5};
        for (int B : streams) {
            for (int threads : new int[] {1, 3}) {
                for (Cell cell : new Cell[] {Cell.GRU, Cell.LSTM}) {
                    try (BatchRnn batch = new BatchRnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, threads, cell, 2, 0)) {
                        for (int window = 0; window < 2; window++) {
                            String what = cell + " B=" + B + ", " + threads + " threads, window " + window;
                            RandomWindow w = RandomWindow.draw(H, V, cell.gates(), 2, T, B, new Rng(90 + window + B));
                            DMatrixRMaj h = w.h0().copy();
                            double loss = batch.forward(w.params(), w.inputs(), w.targets(), h);
                            ReferenceCells.Result expected = ReferenceCells.run(cell, w.params(), T, B, w.inputs(),
                                    w.targets(), w.h0(), null);
                            assertEquals(expected.loss(), loss, ROUNDING, what + " loss");
                            RnnTest.assertClose(expected.hLast(), h, what + " state");
                        }
                    }
                }
            }
        }
    }

    /** The mean of −ln p_t[x_{t+1}] over the window, read with probabilitiesAt, is the literal loss; each p sums to 1. */
    @Test
    void theProbabilitiesOfEveryStepAndStreamGiveTheLiteralLoss() {
        int H = 5;
        int V = 7;
        int T = 3;
        int B = 2;
        for (Cell cell : Cell.values()) {
            for (Kernels k : new Kernels[] {Kernels.plain(), Kernels.best()}) {
                RandomWindow w = RandomWindow.draw(H, V, cell.gates(), 1, T, B, new Rng(70));
                Rnn rnn = new Rnn(H, V, T, B, k, Precision.FLOAT64, B, cell, 1, 0, 0);
                rnn.forward(w.params(), w.inputs(), w.targets(), w.h0().copy());
                ReferenceCells.Result expected = ReferenceCells.run(cell, w.params(), T, B, w.inputs(), w.targets(),
                        w.h0(), null);
                double sum = 0;
                double[] p = new double[V];
                for (int t = 0; t < T; t++) {
                    for (int b = 0; b < B; b++) {
                        rnn.probabilitiesAt(t, b, p);
                        double total = 0;
                        for (double pj : p) {
                            total += pj;
                        }
                        assertEquals(1, total, 1e-12, cell + " p of step " + t + ", stream " + b);
                        sum -= Math.log(p[w.targets()[t * B + b]]);
                    }
                }
                assertEquals(expected.loss(), sum / (T * B), 1e-12, cell + " " + k.describe());
            }
        }
    }
}
