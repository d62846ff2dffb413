package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Hyperparameters;
import charrnn.data.Corpus;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final Corpus CORPUS = Corpus.of("t", "the quick brown fox jumps over the lazy dog. ".repeat(30));

    private static Hyperparameters hp(long iterations) {
        return Hyperparameters.builder().hidden(8).seqLength(6).learningRate(0.1).clip(5).iterations(iterations)
                .printEvery(10).sampleEvery(0).sampleLength(10).seed(3).valFraction(0.1).evalEvery(10)
                .checkpointEvery(7).resetEvery(100).build();
    }

    @Test
    void aCheckpointThatCannotBeSavedStopsTraining() {
        Trainer trainer = new Trainer(hp(100), CORPUS);
        IOException e = assertThrows(IOException.class, () -> trainer.run(new TrainingListener() {
            public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
            }

            public void sample(long iteration, String text) {
            }

            @Override
            public void checkpoint(TrainingState state, boolean best) throws IOException {
                if (state.iteration() == 14) {
                    throw new IOException("No space left on device");
                }
            }
        }, () -> false));
        assertEquals("No space left on device", e.getMessage());
        assertEquals(14, trainer.iteration(), "no update after the failed save");
    }

    @Test
    void aStopRequestEndsTheLoopBeforeTheNextUpdate() throws Exception {
        Trainer trainer = new Trainer(hp(1000), CORPUS);
        long[] calls = {0};
        trainer.run(new TrainingListener() {
            public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
            }

            public void sample(long iteration, String text) {
            }
        }, () -> ++calls[0] > 25);
        assertEquals(25, trainer.iteration());
    }

    @Test
    void theHeldOutTailIsNotTrainedOn() {
        Trainer trainer = new Trainer(hp(10), CORPUS);
        assertEquals((int) Math.floor(CORPUS.length() * 0.1), trainer.heldOut());
        assertTrue(trainer.validationLoss() > 0);
        assertEquals(12, Trainer.trainingLength(hp(10), 12), "1 held-out character is too few: no split");
        assertEquals(18, Trainer.trainingLength(hp(10), 20));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.trainingLength(hp(10), 6));
        assertTrue(e.getMessage().contains("--seq-length 6 needs 7"), e.getMessage());
    }
}
