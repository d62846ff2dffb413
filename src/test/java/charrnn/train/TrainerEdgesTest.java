package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.check.GradientCheck;
import charrnn.config.Hyperparameters;
import charrnn.config.Precision;
import charrnn.data.Corpus;
import charrnn.data.EncodedText;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a run keeps track of besides its loss: the best validation, the step count, its threads. */
class TrainerEdgesTest {
    private static final Corpus CORPUS = Corpus.of("t", "the quick brown fox jumps over the lazy dog. ".repeat(30));

    private static Hyperparameters.Builder settings() {
        return Hyperparameters.builder().hidden(8).seqLength(6).learningRate(0.1).clip(5).iterations(30)
                .printEvery(10).sampleEvery(0).sampleLength(10).seed(3).valFraction(0.1).evalEvery(10)
                .checkpointEvery(1000).resetEvery(100);
    }

    /** The validation reports of a run: iteration and whether it was a new best. */
    private static List<String> validations(Trainer trainer) throws Exception {
        List<String> seen = new ArrayList<>();
        trainer.run(new TrainingListener() {
            public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
            }

            public void sample(long iteration, String text) {
            }

            @Override
            public void validation(long iteration, double loss, boolean best) {
                seen.add(iteration + (best ? " best" : ""));
            }
        }, () -> false);
        return seen;
    }

    @Test
    void aValidationLossThatOnlyEqualsTheBestIsNotANewBest() throws Exception {
        // a step too small to move any weight: every validation loss is the first one, bit for bit
        try (Trainer still = new Trainer(settings().learningRate(Double.MIN_VALUE).build(), CORPUS, 1)) {
            assertEquals(List.of("10 best", "20", "30"), validations(still));
            assertEquals(10, still.state().bestValIteration());
        }
    }

    @Test
    void adagradCountsItsSteps() throws Exception {
        try (Trainer trainer = new Trainer(settings().iterations(7).build(), CORPUS, 1)) {
            validations(trainer);
            assertEquals(7, trainer.state().optimizerSteps());
        }
    }

    private static long workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("charrnn-worker")).count();
    }

    /** Waits up to 10 s for the worker threads to be back to {@code count}; the count then. */
    private static long workersBackTo(long count) throws InterruptedException {
        for (int i = 0; i < 1000 && workers() > count; i++) {
            Thread.sleep(10);
        }
        return workers();
    }

    @Test
    void closingAHeldOutPassOrATrainerStopsItsWorkerThreads() throws Exception {
        long before = workers();
        // 32 pieces: two parts of the batch, on two threads
        Rng rng = new Rng(5);
        Params p = GradientCheck.probeModel(6, 4, 1, 1, rng);
        int[] x = new int[80_120];
        for (int i = 0; i < x.length; i++) {
            x[i] = (int) (rng.nextDouble() * 4);
        }
        HeldOut heldOut = new HeldOut(p, 10, 80_111, 2, Kernels.best(), Precision.FLOAT64);
        assertEquals(HeldOut.MAX_PIECES, heldOut.pieces());
        heldOut.meanLoss(EncodedText.of(x, 4));
        assertTrue(workers() > before, "the pass ran on a worker thread");
        heldOut.close();
        assertEquals(before, workersBackTo(before));

        // a trainer's validation of 60,800 characters: 24 pieces, three parts
        Corpus big = Corpus.of("big", "a quick brown fox. ".repeat(6_400));
        Trainer trainer = new Trainer(settings().valFraction(0.5).build(), big, 2);
        trainer.validationLoss();
        assertTrue(workers() > before, "the validation ran on a worker thread");
        trainer.close();
        assertEquals(before, workersBackTo(before));
    }

    @Test
    void aSpanOfFewerThanTwoCharactersHasNothingToPredict() {
        Params p = GradientCheck.probeModel(4, 3, 1, 1, new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> new HeldOut(p, 10, 11, 1, Kernels.best(), Precision.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> new HeldOut(p, 10, 10, 1, Kernels.best(), Precision.FLOAT64));
        EncodedText text = EncodedText.of(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, 3);
        try (HeldOut two = new HeldOut(p, 10, 12, 1, Kernels.best(), Precision.FLOAT64)) {
            assertTrue(two.meanLoss(text) > 0);
        }
    }

    @Test
    void aTextIsReadInTwoPiecesOnceItHoldsTwoPiecesOfPredictions() {
        Params p = GradientCheck.probeModel(4, 3, 1, 1, new Rng(2));
        int span = 2 * HeldOut.MIN_PIECE;     // one prediction short of two pieces
        try (HeldOut one = new HeldOut(p, 0, span, 1, Kernels.best(), Precision.FLOAT64);
             HeldOut two = new HeldOut(p, 0, span + 1, 1, Kernels.best(), Precision.FLOAT64)) {
            assertEquals(1, one.pieces());
            assertEquals(2, two.pieces());
        }
    }

    @Test
    void aHeldOutPassStartsFromAnEmptyMemoryEveryTime() {
        Rng rng = new Rng(9);
        Params p = GradientCheck.probeModel(6, 5, 3, 1, rng);
        int[] x = new int[12_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (int) (rng.nextDouble() * 5);
        }
        EncodedText text = EncodedText.of(x, 5);
        try (HeldOut heldOut = new HeldOut(p, 0, 12_000, 1, Kernels.best(), Precision.FLOAT64)) {
            assertTrue(heldOut.pieces() > 1);
            double first = heldOut.meanLoss(text);
            assertEquals(first, heldOut.meanLoss(text));
        }
    }
}
