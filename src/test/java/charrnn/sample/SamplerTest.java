package charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.check.GradientCheck;
import charrnn.config.Cell;
import charrnn.config.Precision;
import charrnn.model.Params;
import charrnn.model.ReferenceCells;
import charrnn.model.Rng;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The sampler against the literal cells ({@link ReferenceCells}) and a literal softmax: the
 * state it carries, the probabilities at a temperature, argmax, and which character a given
 * uniform draw picks.
 */
class SamplerTest {
    private static final double ROUNDING = 1e-12;

    /** softmax((Why·h + by)/τ) of the top layer's h in a carried-state row, written out. */
    private static double[] literalProbabilities(Params p, double[] state, int top, double tau) {
        double[] y = new double[p.V];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < p.V; v++) {
            y[v] = p.by.get(v);
            for (int j = 0; j < p.H; j++) {
                y[v] += p.Why.get(v, j) * state[top + j];
            }
            y[v] /= tau;
            max = Math.max(max, y[v]);
        }
        double sum = 0;
        for (int v = 0; v < p.V; v++) {
            y[v] = Math.exp(y[v] - max);
            sum += y[v];
        }
        for (int v = 0; v < p.V; v++) {
            y[v] /= sum;
        }
        return y;
    }

    /** The state after reading x from state h, by the literal cells (one step, one stream). */
    private static double[] literalStep(Cell cell, Params p, double[] h, int x) {
        DMatrixRMaj h0 = new DMatrixRMaj(1, h.length, true, h);
        return ReferenceCells.run(cell, p, 1, 1, new int[] {x}, new int[] {0}, h0, null).hLast().data;
    }

    private static double[] probeState(int width, Rng rng) {
        return GradientCheck.probeState(1, width, rng).data;
    }

    @Test
    void probabilitiesFollowTheStateOfEveryLayerStepByStep() {
        int H = 6;
        int V = 5;
        for (Cell cell : Cell.values()) {
            Rng rng = new Rng(70);
            Params p = GradientCheck.probeModel(H, V, cell.gates(), 2, rng);
            int S = cell.stateWidth(H);
            double[] state = probeState(2 * S, rng);
            Sampler sampler = new Sampler(p, Precision.FLOAT64);
            sampler.setHidden(state.clone());
            double[] probs = new double[V];
            for (double tau : new double[] {1.0, 0.5, 2.0}) {
                sampler.probabilities(tau, probs);
                assertClose(literalProbabilities(p, state, S, tau), probs, cell + " before any character, τ " + tau);
            }
            int[] text = {3, 0, 4, 4, 1};
            for (int x : text) {
                sampler.feed(x);
                state = literalStep(cell, p, state, x);
                sampler.probabilities(0.7, probs);
                assertClose(literalProbabilities(p, state, S, 0.7), probs, cell + " after " + x);
            }
        }
    }

    @Test
    void newWeightsTakeEffectAtTheNextSequence() {
        int H = 5;
        int V = 4;
        for (Cell cell : Cell.values()) {
            Rng rng = new Rng(71);
            Params p = GradientCheck.probeModel(H, V, cell.gates(), 2, rng);
            double[] state = probeState(2 * cell.stateWidth(H), rng);
            Sampler sampler = new Sampler(p, Precision.FLOAT64);
            sampler.setHidden(state);
            sampler.feed(2);
            sampler.feed(1);
            Params changed = GradientCheck.probeModel(H, V, cell.gates(), 2, rng);
            p.setTo(changed);
            sampler.setHidden(state);
            sampler.feed(3);
            double[] probs = new double[V];
            sampler.probabilities(1, probs);
            double[] expected = literalProbabilities(changed, literalStep(cell, changed, state, 3),
                    cell.stateWidth(H), 1);
            assertClose(expected, probs, cell + " after new weights");
        }
    }

    @Test
    void argmaxTakesTheLikeliestCharacterAndTheFirstOfATie() {
        Params p = new Params(2, 4, 1, 1);
        Sampler sampler = new Sampler(p, Precision.FLOAT64);
        sampler.setHidden(new double[] {0, 0});
        Rng rng = new Rng(1);
        long before = rng.state();
        p.by.data[2] = 1;
        assertEquals(2, sampler.draw(rng, 1, true));
        p.by.data[3] = 1;
        assertEquals(2, sampler.draw(rng, 1, true), "a tie goes to the first");
        p.by.data[0] = 1.5;
        assertEquals(0, sampler.draw(rng, 1, true));
        p.by.data[3] = 2;
        assertEquals(3, sampler.draw(rng, 1, true), "the last symbol too");
        assertEquals(before, rng.state(), "argmax draws no random number");
    }

    @Test
    void largeScoresDoNotOverflow() {
        // softmax of scores 800, 799, 0 at τ = 1: e^800 overflows a double, e^(800 − 800) does not
        Params p = new Params(2, 3, 1, 1);
        p.by.data[0] = 800;
        p.by.data[1] = 799;
        Sampler sampler = new Sampler(p, Precision.FLOAT64);
        sampler.setHidden(new double[] {0, 0});
        double[] probs = new double[3];
        sampler.probabilities(1, probs);
        assertEquals(1 / (1 + Math.exp(-1)), probs[0], ROUNDING);
        assertEquals(Math.exp(-1) / (1 + Math.exp(-1)), probs[1], ROUNDING);
        assertEquals(0.0, probs[2], ROUNDING);
    }

    @Test
    void aDrawPicksTheFirstCharacterWhoseCumulativeProbabilityPassesTheUniformNumber() {
        int H = 4;
        int V = 6;
        Rng init = new Rng(72);
        Params p = GradientCheck.probeModel(H, V, 1, 1, init);
        double[] state = probeState(H, init);
        Sampler sampler = new Sampler(p, Precision.FLOAT64);
        sampler.setHidden(state);
        Rng rng = new Rng(5);
        int[] seen = new int[V];
        for (double tau : new double[] {1.0, 0.3, 3.0}) {
            double[] probs = literalProbabilities(p, state, 0, tau);
            for (int k = 0; k < 300; k++) {
                Rng copy = new Rng(0);
                copy.setState(rng.state());
                double u = copy.nextDouble();
                int expected = 0;
                double cumulative = probs[0];
                while (cumulative <= u && expected < V - 1) {
                    expected++;
                    cumulative += probs[expected];
                }
                int x = sampler.draw(rng, tau, false);
                assertEquals(expected, x, "τ " + tau + " draw " + k + " u " + u);
                assertEquals(copy.state(), rng.state(), "one uniform number per draw");
                seen[x]++;
            }
        }
        for (int v = 0; v < V; v++) {
            assertTrue(seen[v] > 0, "symbol " + v + " drawn");
        }
    }

    @Test
    void generateFeedsEachDrawnCharacterBack() {
        int H = 6;
        int V = 5;
        for (Cell cell : Cell.values()) {
            Rng rng = new Rng(73);
            Params p = GradientCheck.probeModel(H, V, cell.gates(), 2, rng);
            double[] state = probeState(2 * cell.stateWidth(H), rng);
            Sampler sampler = new Sampler(p, Precision.FLOAT64);
            sampler.setHidden(state.clone());
            int[] out = new int[8];
            sampler.generate(4, out.length, new Rng(1), 1, true, out);
            // literal: read 4, then each argmax character in turn
            int x = 4;
            for (int i = 0; i < out.length; i++) {
                state = literalStep(cell, p, state, x);
                double[] probs = literalProbabilities(p, state, cell.stateWidth(H), 1);
                int best = 0;
                for (int v = 1; v < V; v++) {
                    best = probs[v] > probs[best] ? v : best;
                }
                assertEquals(best, out[i], cell + " character " + i);
                x = best;
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], ROUNDING, what + " entry " + i);
        }
    }
}
