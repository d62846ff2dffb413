package charrnn.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Precision;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.RandomWindow;
import charrnn.model.Rng;
import charrnn.model.Rnn;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GradientCheckTest {
    private static final double TOLERANCE = 1e-6;

    /** A small random model, its window and its analytic gradient. */
    private record Case(Params params, int T, int B, int[] inputs, int[] targets, DMatrixRMaj h0,
                        Params analytic, GradientCheck.Loss loss) {
    }

    private static Case smallModel(int H, int V, int T, int B, long seed) {
        return smallModel(Cell.RNN, H, V, T, B, seed);
    }

    private static Case smallModel(Cell cell, int H, int V, int T, int B, long seed) {
        RandomWindow w = RandomWindow.draw(H, V, cell.gates(), T, B, new Rng(seed));
        Params p = w.params();
        DMatrixRMaj h0 = w.h0();
        int[] x = w.inputs();
        int[] y = w.targets();
        Rnn rnn = new Rnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, B, cell, 1, 0, 0);
        Params g = new Params(H, V, cell.gates(), 1);
        rnn.forward(p, x, y, h0.copy());
        rnn.backward(p, g);
        DMatrixRMaj h = new DMatrixRMaj(B, cell.stateWidth(H));
        GradientCheck.Loss loss = q -> {
            h.setTo(h0);
            return rnn.objectiveScale() * rnn.forward(q, x, y, h);
        };
        return new Case(p, T, B, x, y, h0, g, loss);
    }

    @ParameterizedTest(name = "H={0} V={1} T={2} B={3}")
    @CsvSource({"6,5,4,1", "10,7,8,1", "8,6,5,3"})
    void everyEntryOfEveryParameterMatchesFiniteDifferences(int H, int V, int T, int B) {
        Case c = smallModel(H, V, T, B, 7 + H);
        // floor 0: the plain relative error |a − n| / max(|a|, |n|), entry by entry
        GradientCheck.Report report = GradientCheck.compare(c.params(), c.analytic(), c.loss(), TOLERANCE, false);
        for (GradientCheck.Result r : report.results()) {
            assertTrue(r.maxRelativeError() <= TOLERANCE,
                    r.name() + ": relative error " + r.maxRelativeError() + " at entry " + r.worstIndex());
        }
        assertTrue(report.passed());
        int expectedEntries = 2 * H * V + H * H + H + V;
        assertEquals(expectedEntries, report.results().stream().mapToInt(GradientCheck.Result::checked).sum());
    }

    @ParameterizedTest(name = "{0} H={1} V={2} T={3} B={4}")
    @CsvSource({"GRU,6,5,4,1", "GRU,9,7,6,1", "GRU,8,6,5,3", "LSTM,6,5,4,1", "LSTM,9,7,6,1", "LSTM,8,6,5,3"})
    void everyEntryOfEveryGatedCellParameterMatchesFiniteDifferences(Cell cell, int H, int V, int T, int B) {
        Case c = smallModel(cell, H, V, T, B, 31 + H);
        // with the noise floor: the gated cells' products of gates leave some derivatives near 1e-6, where
        // the differences' rounding (~2e-12 here) alone is 1e-6 of them; those must agree to 2e-11
        GradientCheck.Report report = GradientCheck.compare(c.params(), c.analytic(), c.loss(), TOLERANCE, true);
        for (GradientCheck.Result r : report.results()) {
            assertTrue(r.maxRelativeError() <= TOLERANCE,
                    cell + " " + r.name() + ": relative error " + r.maxRelativeError() + " at entry " + r.worstIndex()
                            + ": analytic " + r.worstAnalytic() + ", numeric " + r.worstNumeric());
        }
        assertEquals(cell.gates() * (H * V + H * H + H) + V * H + V,
                report.results().stream().mapToInt(GradientCheck.Result::checked).sum());
    }

    /** L layers of {@code cell} with dropout q between them, masks drawn from {@code key}. */
    private static Case stack(Cell cell, int L, double q, long key, int H, int V, int T, int B, long seed) {
        RandomWindow w = RandomWindow.draw(H, V, cell.gates(), L, T, B, new Rng(seed));
        Params p = w.params();
        DMatrixRMaj h0 = w.h0();
        int[] x = w.inputs();
        int[] y = w.targets();
        Rnn rnn = new Rnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, B, cell, L, q, 0);
        rnn.setDropoutKey(key);
        Params g = new Params(H, V, cell.gates(), L);
        rnn.forward(p, x, y, h0.copy());
        rnn.backward(p, g);
        DMatrixRMaj h = h0.copy();
        GradientCheck.Loss loss = r -> {
            h.setTo(h0);
            return rnn.objectiveScale() * rnn.forward(r, x, y, h);
        };
        return new Case(p, T, B, x, y, h0, g, loss);
    }

    @ParameterizedTest(name = "{0} L={1} dropout={2} H={3} V={4} T={5} B={6}")
    @CsvSource({"RNN,2,0,6,5,4,1", "RNN,3,0,7,6,5,3", "RNN,2,0.4,6,5,4,3", "RNN,3,0.25,6,5,5,2",
        "GRU,2,0,6,5,4,1", "GRU,2,0.4,7,6,5,3", "GRU,3,0.25,5,5,4,2", "GRU,2,0.3,10,5,4,2",
        "LSTM,2,0,6,5,4,1", "LSTM,2,0.4,7,6,5,3", "LSTM,3,0.25,5,5,4,2", "LSTM,2,0.3,10,5,4,2"})
    void everyEntryOfEveryLayerMatchesFiniteDifferences(Cell cell, int L, double q, int H, int V, int T, int B) {
        // H=10 runs a whole vector of the gate kernels (8 or 4 lanes) and a scalar tail
        Case c = stack(cell, L, q, 1234, H, V, T, B, 53 + H + L);
        // plain relative error for the tanh RNN; the gated cells with the noise floor, as above
        GradientCheck.Report report = GradientCheck.compare(c.params(), c.analytic(), c.loss(), TOLERANCE,
                cell != Cell.RNN);
        for (GradientCheck.Result r : report.results()) {
            assertTrue(r.maxRelativeError() <= TOLERANCE,
                    cell + " " + r.name() + ": relative error " + r.maxRelativeError() + " at entry " + r.worstIndex()
                            + ": analytic " + r.worstAnalytic() + ", numeric " + r.worstNumeric());
        }
        int G = cell.gates();
        assertEquals(G * (H * V + H * H + H) + (L - 1) * G * (2 * H * H + H) + V * H + V,
                report.results().stream().mapToInt(GradientCheck.Result::checked).sum());
        assertEquals(5 + 3 * (L - 1), report.results().size());
        assertEquals("Wxh" + L, report.results().get(2 + 3 * (L - 1)).name());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Cell.class)
    void aWrongGradientInAnUpperLayerIsCaught(Cell cell) {
        Case c = stack(cell, 2, 0.3, 7, 6, 5, 4, 2, 9);
        c.analytic().Wxh[1].data[6 + 4] *= 1.0001;          // one entry of layer 2's input weights
        GradientCheck.Report report = GradientCheck.compare(c.params(), c.analytic(), c.loss(), TOLERANCE, false);
        assertFalse(report.passed());
        GradientCheck.Result wxh2 = report.result("Wxh2");
        assertEquals("Wxh2", wxh2.name());
        assertEquals(10, wxh2.worstIndex());
    }

    @Test
    void aGradientThroughOtherDropoutMasksIsCaught() {
        // the backward pass of one set of masks against the loss of another: what a backward pass
        // that forgot the masks, or drew new ones, would hand the optimiser
        Case drawn = stack(Cell.RNN, 2, 0.3, 1, 6, 5, 4, 2, 10);
        Case other = stack(Cell.RNN, 2, 0.3, 2, 6, 5, 4, 2, 10);
        assertFalse(GradientCheck.compare(drawn.params(), other.analytic(), drawn.loss(), TOLERANCE, true).passed());
        assertTrue(GradientCheck.compare(drawn.params(), drawn.analytic(), drawn.loss(), TOLERANCE, true).passed());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Cell.class, names = {"GRU", "LSTM"})
    void aWrongGatedGradientIsCaught(Cell cell) {
        Case c = smallModel(cell, 6, 5, 4, 1, 5);
        c.analytic().Whh[0].data[6 * 6 + 2] *= 1.0001;      // an entry of the reset gate's block
        assertFalse(GradientCheck.compare(c.params(), c.analytic(), c.loss(), TOLERANCE, false).passed());
    }

    @Test
    void checkingLeavesTheParametersAsTheyWere() {
        Case c = smallModel(5, 4, 3, 1, 1);
        Params before = c.params().copy();
        GradientCheck.compare(c.params(), c.analytic(), c.loss(), TOLERANCE, false);
        for (String name : before.names()) {
            assertTrue(java.util.Arrays.equals(before.get(name).data, c.params().get(name).data), name);
        }
    }

    @Test
    void aSlightlyWrongEntryIsCaught() {
        Case c = smallModel(6, 5, 4, 1, 2);
        c.analytic().Whh[0].data[7] *= 1.0001;
        GradientCheck.Report report = GradientCheck.compare(c.params(), c.analytic(), c.loss(), TOLERANCE, false);
        assertFalse(report.passed());
        GradientCheck.Result whh = report.result("Whh");
        assertEquals("Whh", whh.name());
        assertEquals(7, whh.worstIndex());
        assertEquals(1e-4, whh.maxRelativeError(), 1e-5);
    }

    @Test
    void aTransposedGradientIsCaught() {
        Case c = smallModel(6, 5, 4, 1, 3);
        org.ejml.dense.row.CommonOps_DDRM.transpose(c.analytic().Whh[0]);
        assertFalse(GradientCheck.compare(c.params(), c.analytic(), c.loss(), TOLERANCE, false).passed());
    }

    @Test
    void aGradientThatIgnoresTheTanhDerivativeIsCaught() {
        // BPTT without the (1 − h²) factor: the analytic gradient of a different model
        Case c = smallModel(6, 5, 4, 1, 4);
        Params p = c.params();
        int H = 6;
        int V = 5;
        // dbh from a linear-activation backward pass, computed by hand for T steps
        Params linear = c.analytic().copy();
        double[] hs = new double[(c.T() + 1) * H];
        System.arraycopy(c.h0().data, 0, hs, 0, H);
        double[][] probs = new double[c.T()][V];
        for (int t = 0; t < c.T(); t++) {
            for (int i = 0; i < H; i++) {
                double a = p.Wxh[0].get(i, c.inputs()[t]) + p.bh[0].get(i);
                for (int k = 0; k < H; k++) {
                    a += p.Whh[0].get(i, k) * hs[t * H + k];
                }
                hs[(t + 1) * H + i] = Math.tanh(a);
            }
            double sum = 0;
            for (int j = 0; j < V; j++) {
                double y = p.by.get(j);
                for (int i = 0; i < H; i++) {
                    y += p.Why.get(j, i) * hs[(t + 1) * H + i];
                }
                probs[t][j] = Math.exp(y);
                sum += probs[t][j];
            }
            for (int j = 0; j < V; j++) {
                probs[t][j] /= sum;
            }
        }
        linear.bh[0].zero();
        double[] dhnext = new double[H];
        for (int t = c.T() - 1; t >= 0; t--) {
            double[] dh = dhnext.clone();
            for (int j = 0; j < V; j++) {
                double dy = probs[t][j] - (j == c.targets()[t] ? 1 : 0);
                for (int i = 0; i < H; i++) {
                    dh[i] += p.Why.get(j, i) * dy;
                }
            }
            for (int i = 0; i < H; i++) {
                linear.bh[0].data[i] += dh[i];     // the bug: dhraw = dh
            }
            dhnext = new double[H];
            for (int i = 0; i < H; i++) {
                for (int k = 0; k < H; k++) {
                    dhnext[k] += p.Whh[0].get(i, k) * dh[i];
                }
            }
        }
        GradientCheck.Report report = GradientCheck.compare(p, linear, c.loss(), TOLERANCE, false);
        assertFalse(report.passed());
        assertTrue(report.result("bh").maxRelativeError() > 1e-3, "bh should be far off");
    }

    @Test
    void theCommandLineCheckPassesOnARealisticModel() {
        // the probe model at the command line's default shape, on a random window
        RandomWindow w = RandomWindow.draw(40, 30, 12, 1, new Rng(42));
        GradientCheck.Report report = GradientCheck.checkRnn(w.params(), 12, 1, w.inputs(), w.targets(), w.h0(),
                0, 0, TOLERANCE, true);
        assertTrue(report.passed(), "max relative error " + report.maxRelativeError());
    }

    @Test
    void relativeErrorIsSymmetricAndFloored() {
        assertEquals(0, GradientCheck.relativeError(0, 0, 0));
        assertEquals(0.5, GradientCheck.relativeError(1, 2, 0), 1e-15);
        assertEquals(0.5, GradientCheck.relativeError(2, 1, 0), 1e-15);
        assertEquals(1e-12 / 1e-5, GradientCheck.relativeError(1e-9, 1e-9 + 1e-12, 1e-5), 1e-12);
    }
}
