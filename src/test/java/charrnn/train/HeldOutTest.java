package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.check.GradientCheck;
import charrnn.config.Precision;
import charrnn.data.EncodedText;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.sample.Sampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batched validation pass computes what its definition says, piece by piece. */
class HeldOutTest {

    private static EncodedText text(int n, int V, Rng rng) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = (int) (rng.nextDouble() * V);
        }
        return EncodedText.of(x, V);
    }

    /** −Σ ln p over the predictions of [a, b), one character at a time from an empty memory. */
    private static double summedLoss(Params p, EncodedText text, int a, int b) {
        Sampler sampler = new Sampler(p, Precision.FLOAT64);
        double[] probs = new double[p.V];
        double sum = 0;
        for (int i = a; i + 1 < b; i++) {
            sampler.feed(text.at(i));
            sampler.probabilities(1.0, probs);
            sum -= Math.log(probs[text.at(i + 1)]);
        }
        return sum;
    }

    @ParameterizedTest
    @CsvSource({
        // span, gates, layers: pieces of P ≥ MIN_PIECE with a last window shorter than 100,
        // a remainder, and P a multiple of the window
        "12773, 1, 1",
        "10001, 3, 1",
        "7503, 4, 2",
    })
    void piecesReadSideBySideGiveTheMeanOfEachPieceReadAlone(int span, int G, int L) {
        Rng rng = new Rng(span);
        Params p = GradientCheck.probeModel(10, 6, G, L, rng);
        int from = 37;
        EncodedText text = text(from + span + 11, 6, rng);
        try (HeldOut heldOut = new HeldOut(p, from, from + span, 2, Precision.FLOAT64)) {
            int K = heldOut.pieces();
            int predictions = span - 1;
            assertEquals(Math.min(HeldOut.MAX_PIECES, predictions / HeldOut.MIN_PIECE), K);
            int P = predictions / K;
            // independent: the sampler's single-step path over each piece, then the remainder
            double expected = 0;
            for (int k = 0; k < K; k++) {
                expected += summedLoss(p, text, from + k * P, from + (k + 1) * P + 1);
            }
            expected += summedLoss(p, text, from + K * P, from + span);
            expected /= predictions;
            assertEquals(expected, heldOut.meanLoss(text), 1e-10);
        }
    }

    @Test
    void aShortSpanIsTheSequentialReadingExactly() {
        Rng rng = new Rng(9);
        Params p = GradientCheck.probeModel(10, 6, 1, 1, rng);
        int n = 2 * HeldOut.MIN_PIECE;
        EncodedText text = text(n, 6, rng);
        try (HeldOut heldOut = new HeldOut(p, 100, n, 2, Precision.FLOAT64)) {
            assertEquals(1, heldOut.pieces());
            assertEquals(new Evaluator(p, 100, Precision.FLOAT64).meanLoss(text, 100, n), heldOut.meanLoss(text));
        }
    }

    @Test
    void theThreadCountDoesNotChangeABit() {
        Rng rng = new Rng(11);
        Params p = GradientCheck.probeModel(10, 6, 3, 2, rng);
        int n = HeldOut.MAX_PIECES * HeldOut.MIN_PIECE + 1;
        EncodedText text = text(n, 6, rng);
        double one;
        double two;
        try (HeldOut a = new HeldOut(p, 0, n, 1, Precision.FLOAT64); HeldOut b = new HeldOut(p, 0, n, 2, Precision.FLOAT64)) {
            assertEquals(HeldOut.MAX_PIECES, a.pieces());
            one = a.meanLoss(text);
            two = b.meanLoss(text);
        }
        assertEquals(Double.doubleToRawLongBits(one), Double.doubleToRawLongBits(two));
    }
}
