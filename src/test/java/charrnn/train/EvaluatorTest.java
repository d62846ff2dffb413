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

class EvaluatorTest {
    @Test
    void meanLossMatchesTheSamplersStepByStepProbabilities() {
        Rng rng = new Rng(4);
        Params p = GradientCheck.probeModel(12, 7, 1, 1, rng);
        int n = 103;   // not a multiple of T: the last window is shorter
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = (int) (rng.nextDouble() * 7);
        }
        EncodedText text = EncodedText.of(x, 7);

        // independent: the sampler's single-step path, one character at a time
        Sampler sampler = new Sampler(p, Precision.FLOAT64);
        double[] probs = new double[7];
        double expected = 0;
        for (int i = 10; i < 89; i++) {
            sampler.feed(x[i]);
            sampler.probabilities(1.0, probs);
            expected -= Math.log(probs[x[i + 1]]);
        }
        expected /= 79;

        assertEquals(expected, new Evaluator(p, 8, Precision.FLOAT64).meanLoss(text, 10, 90), 1e-12);
        assertEquals(expected, new Evaluator(p, 79, Precision.FLOAT64).meanLoss(text, 10, 90), 1e-12);
        assertEquals(expected, new Evaluator(p, 200, Precision.FLOAT64).meanLoss(text, 10, 90), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(p, 8, Precision.FLOAT64).meanLoss(text, 5, 6));
    }

    /**
     * The weights are copied into the compute format in a reading's first window only: a reading
     * after they changed must see the new ones in every window.
     */
    @Test
    void aReadingAfterTheWeightsChangedReadsTheNewOnes() {
        Rng rng = new Rng(5);
        Params p = GradientCheck.probeModel(12, 7, 3, 2, rng);
        int[] x = new int[300];
        for (int i = 0; i < x.length; i++) {
            x[i] = (int) (rng.nextDouble() * 7);
        }
        EncodedText text = EncodedText.of(x, 7);
        for (Precision precision : Precision.values()) {
            Params changing = p.copy();
            Evaluator evaluator = new Evaluator(changing, 25, precision);
            evaluator.meanLoss(text, 3, 290);
            for (org.ejml.data.DMatrixRMaj m : changing.all()) {
                for (int i = 0; i < m.data.length; i++) {
                    m.data[i] = 0.9 * m.data[i] + 0.05 * (rng.nextDouble() - 0.5);
                }
            }
            assertEquals(Double.doubleToRawLongBits(new Evaluator(changing.copy(), 25, precision).meanLoss(text, 3, 290)),
                    Double.doubleToRawLongBits(evaluator.meanLoss(text, 3, 290)), precision.toString());
        }
    }
}
