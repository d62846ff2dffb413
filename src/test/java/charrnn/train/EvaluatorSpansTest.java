package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import charrnn.check.GradientCheck;
import charrnn.config.Precision;
import charrnn.data.EncodedText;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.sample.Sampler;
import org.junit.jupiter.api.Test;

/** One evaluator over spans of every length, its short last windows of several lengths included. */
class EvaluatorSpansTest {

    /** The mean loss of x[from+1 .. to) read one character at a time by the sampler, from a zero state. */
    private static double stepByStep(Params p, int[] x, int from, int to) {
        Sampler sampler = new Sampler(p, Precision.FLOAT64);
        sampler.setHidden(new double[charrnn.model.Rnn.stateWidth(charrnn.config.Cell.ofGates(p.G), p.H, p.L)]);
        double[] probs = new double[p.V];
        double total = 0;
        for (int i = from; i + 1 < to; i++) {
            sampler.feed(x[i]);
            sampler.probabilities(1.0, probs);
            total -= Math.log(probs[x[i + 1]]);
        }
        return total / (to - from - 1);
    }

    @Test
    void everySpanScoresAsTheStepByStepReadingDoes() {
        Rng rng = new Rng(21);
        Params p = GradientCheck.probeModel(7, 5, 4, 2, rng);     // two LSTM layers
        int[] x = new int[60];
        for (int i = 0; i < x.length; i++) {
            x[i] = (int) (rng.nextDouble() * 5);
        }
        EncodedText text = EncodedText.of(x, 5);
        Evaluator evaluator = new Evaluator(p, 6, Precision.FLOAT64);
        // spans of 2 (one prediction), a whole window plus one, and last windows of 3, 5, 3 again
        int[][] spans = {{0, 2}, {10, 17}, {0, 16}, {4, 40}, {30, 46}, {1, 60}};
        for (int[] s : spans) {
            assertEquals(stepByStep(p, x, s[0], s[1]), evaluator.meanLoss(text, s[0], s[1]), 1e-12,
                    "span [" + s[0] + ", " + s[1] + ")");
        }
        assertThrows(IllegalArgumentException.class, () -> evaluator.meanLoss(text, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> evaluator.meanLoss(text, 3, 3));
    }
}
