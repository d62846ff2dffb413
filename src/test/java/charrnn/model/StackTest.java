package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Precision;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Stacked layers and dropout: the forward pass against a literal one, and the masks. */
class StackTest {

    /**
     * The stacked tanh RNN written out literally, stream by stream and step by step, with the
     * masks given: returns the mean loss and leaves the final state in {@code h}.
     */
    private static double literalLoss(Params p, int T, int B, int[] x, int[] y, DMatrixRMaj h, DMatrixRMaj[] masks) {
        int H = p.H;
        int V = p.V;
        int L = p.L;
        double loss = 0;
        for (int b = 0; b < B; b++) {
            double[][] state = new double[L][H];
            for (int l = 0; l < L; l++) {
                for (int i = 0; i < H; i++) {
                    state[l][i] = h.get(b, l * H + i);
                }
            }
            for (int t = 0; t < T; t++) {
                double[] input = null;
                for (int l = 0; l < L; l++) {
                    double[] next = new double[H];
                    for (int i = 0; i < H; i++) {
                        double a = p.bh[l].get(i);
                        if (l == 0) {
                            a += p.Wxh[0].get(i, x[t * B + b]);
                        } else {
                            for (int j = 0; j < H; j++) {
                                double m = masks == null ? 1 : masks[l].get(t * B + b, j);
                                a += p.Wxh[l].get(i, j) * m * input[j];
                            }
                        }
                        for (int j = 0; j < H; j++) {
                            a += p.Whh[l].get(i, j) * state[l][j];
                        }
                        next[i] = Math.tanh(a);
                    }
                    state[l] = next;
                    input = next;
                }
                double[] s = new double[V];
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    s[v] = p.by.get(v);
                    for (int j = 0; j < H; j++) {
                        s[v] += p.Why.get(v, j) * input[j];
                    }
                    max = Math.max(max, s[v]);
                }
                double sum = 0;
                for (int v = 0; v < V; v++) {
                    sum += Math.exp(s[v] - max);
                }
                loss += max + Math.log(sum) - s[y[t * B + b]];
            }
            for (int l = 0; l < L; l++) {
                for (int i = 0; i < H; i++) {
                    h.set(b, l * H + i, state[l][i]);
                }
            }
        }
        return loss / (T * B);
    }

    private static double rms(DMatrixRMaj m) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            s += m.data[i] * m.data[i];
        }
        return Math.sqrt(s / m.getNumElements());
    }

    @Test
    void upperLayersStartAtTheScaleOfTheirDenseInputs() {
        int H = 64;
        Params one = Params.initial(H, 30, 3, 1, new Rng(4));
        Params three = Params.initial(H, 30, 3, 3, new Rng(4));
        // the first layer's weights and the output weights are drawn first, as a one-layer
        // model's: Wxh1, Whh1, Why (a gated cell's biases come after every weight; ParamsInitTest)
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(one.all()[k].data, three.all()[k].data, three.names()[k]);
        }
        assertEquals(Params.INIT_SCALE, rms(three.Wxh[0]), 0.05 * Params.INIT_SCALE);
        for (int l = 1; l < 3; l++) {
            // 12,288 draws each: their RMS is within 2% of 1/√H
            assertEquals(1 / Math.sqrt(H), rms(three.Wxh[l]), 0.02 / Math.sqrt(H));
            assertEquals(1 / Math.sqrt(H), rms(three.Whh[l]), 0.02 / Math.sqrt(H));
        }
    }

    @Test
    void threeLayersComputeTheLiteralStack() {
        int H = 7;
        int V = 6;
        int T = 5;
        int B = 3;
        RandomWindow w = RandomWindow.draw(H, V, 1, 3, T, B, new Rng(11));
        Rnn rnn = new Rnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, B, Cell.RNN, 3, 0, 0);
        DMatrixRMaj h = w.h0().copy();
        DMatrixRMaj expectedH = w.h0().copy();
        double loss = rnn.forward(w.params(), w.inputs(), w.targets(), h);
        double expected = literalLoss(w.params(), T, B, w.inputs(), w.targets(), expectedH, null);
        assertEquals(expected, loss, 1e-12);
        RnnTest.assertClose(ReferenceRnn.toArray(expectedH), h, "carried state");
        assertNull(rnn.maskOf(1), "no masks without dropout");
    }

    @Test
    void dropoutMasksTheInputOfEveryLayerAboveTheFirst() {
        int H = 40;
        int V = 6;
        int T = 20;
        int B = 5;
        int L = 3;
        double q = 0.3;
        RandomWindow w = RandomWindow.draw(H, V, 1, L, T, B, new Rng(12));
        Rnn rnn = new Rnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, B, Cell.RNN, L, q, 0);
        rnn.setDropoutKey(99);
        DMatrixRMaj h = w.h0().copy();
        double loss = rnn.forward(w.params(), w.inputs(), w.targets(), h);
        DMatrixRMaj[] masks = {null, rnn.maskOf(1).copy(), rnn.maskOf(2).copy()};
        DMatrixRMaj expectedH = w.h0().copy();
        assertEquals(literalLoss(w.params(), T, B, w.inputs(), w.targets(), expectedH, masks), loss, 1e-12);
        RnnTest.assertClose(ReferenceRnn.toArray(expectedH), h, "carried state");

        // each entry 0 (probability q) or 1/(1 − q); 8,000 entries put the dropped fraction
        // within 0.02 of q (four standard deviations)
        int zeros = 0;
        int n = 0;
        for (int l = 1; l < L; l++) {
            for (double m : masks[l].data) {
                assertTrue(m == 0 || m == 1 / (1 - q), "mask entry " + m);
                zeros += m == 0 ? 1 : 0;
                n++;
            }
        }
        assertEquals(q, (double) zeros / n, 0.02);
        assertNotEquals(0, zeros);

        // the same key gives the same masks; another key others
        rnn.forward(w.params(), w.inputs(), w.targets(), w.h0().copy());
        assertArrayEquals(masks[1].data, rnn.maskOf(1).data);
        rnn.setDropoutKey(100);
        rnn.forward(w.params(), w.inputs(), w.targets(), w.h0().copy());
        assertNotEquals(java.util.Arrays.toString(masks[1].data), java.util.Arrays.toString(rnn.maskOf(1).data));
    }

    @Test
    void aBatchSplitIntoPartsDrawsEachStreamsMasksAsAWholeBatchDoes() {
        int H = 9;
        int V = 7;
        int T = 4;
        int B = 2 * BatchRnn.STREAMS_PER_PART + 3;      // three parts
        for (Cell cell : Cell.values()) {
            RandomWindow w = RandomWindow.draw(H, V, cell.gates(), 2, T, B, new Rng(13));
            Rnn whole = new Rnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, B, cell, 2, 0.25, 0);
            whole.setDropoutKey(5);
            Params expected = new Params(H, V, cell.gates(), 2);
            DMatrixRMaj hWhole = w.h0().copy();
            double loss = whole.forward(w.params(), w.inputs(), w.targets(), hWhole);
            whole.backward(w.params(), expected);
            for (int threads : new int[] {1, 2}) {
                try (BatchRnn batch = new BatchRnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, threads, cell, 2, 0.25)) {
                    batch.setDropoutKey(5);
                    Params g = new Params(H, V, cell.gates(), 2);
                    DMatrixRMaj h = w.h0().copy();
                    assertEquals(loss, batch.forwardBackward(w.params(), w.inputs(), w.targets(), h, g), 1e-12);
                    assertArrayEquals(hWhole.data, h.data, 1e-12);
                    for (int k = 0; k < g.all().length; k++) {
                        RnnTest.assertClose(ReferenceRnn.toArray(expected.all()[k]), g.all()[k],
                                cell + " " + g.names()[k]);
                    }
                }
            }
        }
    }

    @Test
    void theFirstLayerOfAStackIsTheSingleLayerModel() {
        // the layers above do not feed back into the first: its state must be a one-layer
        // model's with the same weights, bit for bit
        int H = 6;
        int V = 5;
        int T = 4;
        int B = 2;
        for (Cell cell : Cell.values()) {
            RandomWindow w = RandomWindow.draw(H, V, cell.gates(), 2, T, B, new Rng(14));
            Params one = new Params(H, V, cell.gates(), 1);
            one.Wxh[0].setTo(w.params().Wxh[0]);
            one.Whh[0].setTo(w.params().Whh[0]);
            one.bh[0].setTo(w.params().bh[0]);
            one.Why.setTo(w.params().Why);
            int S = cell.stateWidth(H);
            DMatrixRMaj h1 = new DMatrixRMaj(B, S);
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < S; i++) {
                    h1.set(b, i, w.h0().get(b, i));
                }
            }
            DMatrixRMaj h2 = w.h0().copy();
            new Rnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, B, cell, 1, 0, 0).forward(one, w.inputs(), w.targets(), h1);
            new Rnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, B, cell, 2, 0, 0).forward(w.params(), w.inputs(), w.targets(), h2);
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < S; i++) {
                    assertEquals(h1.get(b, i), h2.get(b, i), 1e-15, cell + " stream " + b + " unit " + i);
                }
            }
        }
    }
}
