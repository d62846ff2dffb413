package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        // span, gates, layers, pieces: pieces of P ≥ MIN_PIECE with a last window shorter than
        // 100, a remainder, and P a multiple of the window; 5 and 22 pieces would fit in the
        // first and the last, which are read in 4 (one part) and 16 (two parts of 8: 20, in three
        // parts, would leave rows of each alone)
        "12773, 1, 1, 4",
        "10001, 3, 1, 4",
        "7503, 4, 2, 3",
        "55769, 1, 1, 16",
    })
    void piecesReadSideBySideGiveTheMeanOfEachPieceReadAlone(int span, int G, int L, int pieces) {
        Rng rng = new Rng(span);
        Params p = GradientCheck.probeModel(10, 6, G, L, rng);
        int from = 37;
        EncodedText text = text(from + span + 11, 6, rng);
        try (HeldOut heldOut = new HeldOut(p, from, from + span, 2, Precision.FLOAT64)) {
            int K = heldOut.pieces();
            int predictions = span - 1;
            assertEquals(pieces, K);
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

    /**
     * As many pieces of at least MIN_PIECE predictions as fit, the most of those whose parts of
     * the batch (cut as BatchRnn cuts it, in parts of at most PIECES_PER_PART) each have a
     * multiple of four rows (from four pieces on): the products' rows come four at a time.
     */
    @Test
    void thePiecesFitAndMakePartsOfFourRowsAtATime() {
        for (int span = 2; span <= HeldOut.MAX_PIECES * HeldOut.MIN_PIECE + 9000; span += 97) {
            int K = HeldOut.pieces(span);
            assertTrue(K >= 1 && K <= HeldOut.MAX_PIECES && (K == 1 || (long) K * HeldOut.MIN_PIECE <= span - 1),
                    K + " pieces for " + span);
            int best = 1;
            for (int k = 2; k <= HeldOut.MAX_PIECES && (long) k * HeldOut.MIN_PIECE <= span - 1; k++) {
                if (k < 4 ? best < 4 : fourRowParts(k)) {
                    best = k;
                }
            }
            assertEquals(best, K, "pieces for a span of " + span);
        }
    }

    /** Whether every part of a batch of k streams, cut as BatchRnn cuts it, has a multiple of four. */
    private static boolean fourRowParts(int k) {
        int parts = (k + HeldOut.PIECES_PER_PART - 1) / HeldOut.PIECES_PER_PART;
        for (int p = 0; p < parts; p++) {
            if ((k * (p + 1) / parts - k * p / parts) % 4 != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A pass copies the weights into the compute format once, in its first window: a pass after
     * the weights changed (as between two validations) must read the new ones in every window,
     * the last, shorter one's model included.
     */
    @ParameterizedTest
    @CsvSource({"12773, 1", "55769, 3", "7503, 4"})
    void aPassAfterTheWeightsChangedReadsTheNewOnes(int span, int G) {
        Rng rng = new Rng(span + G);
        Params p = GradientCheck.probeModel(10, 6, G, 1, rng);
        EncodedText text = text(span, 6, rng);
        for (Precision precision : Precision.values()) {
            Params changing = p.copy();
            try (HeldOut heldOut = new HeldOut(changing, 0, span, 2, precision)) {
                heldOut.meanLoss(text);
                for (org.ejml.data.DMatrixRMaj m : changing.all()) {
                    for (int i = 0; i < m.data.length; i++) {
                        m.data[i] = 0.9 * m.data[i] + 0.05 * (rng.nextDouble() - 0.5);
                    }
                }
                double again = heldOut.meanLoss(text);
                try (HeldOut fresh = new HeldOut(changing.copy(), 0, span, 2, precision)) {
                    assertEquals(Double.doubleToRawLongBits(fresh.meanLoss(text)), Double.doubleToRawLongBits(again),
                            precision + ": " + again);
                }
            }
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
