package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Hyperparameters;
import charrnn.config.Optimization;
import charrnn.config.OptimizerKind;
import charrnn.config.Schedule;
import charrnn.data.Corpus;
import charrnn.io.CheckpointFile;
import charrnn.model.Params;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run stopped part way (as Ctrl-C or --time-limit stop it, --iterations unchanged), saved,
 * read back and continued, is the run that never stopped, bit for bit: in the warm-up and in
 * the cosine's fall, with every optimizer.
 */
class OptimizerResumeTest {
    @TempDir
    Path dir;

    private static final Corpus CORPUS = Corpus.of("proverbs",
            "a stitch in time saves nine; a rolling stone gathers no moss.\n".repeat(40));

    /** Every loss report: update, smoothed loss, learning rate. */
    private static final class Lines implements TrainingListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
            throw new AssertionError("the trainer reports the learning rate");
        }

        @Override
        public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond, double lr) {
            lines.add(iteration + " " + smoothLoss + " " + lr);
        }

        @Override
        public void sample(long iteration, String text) {
            lines.add(iteration + " " + text);
        }

        @Override
        public void validation(long iteration, double loss, boolean best) {
            lines.add(iteration + " val " + loss);
        }
    }

    @ParameterizedTest(name = "{0} {1}, split at {2}")
    @CsvSource({"ADAGRAD,RNN,30", "ADAGRAD,RNN,90", "RMSPROP,LSTM,30", "RMSPROP,GRU,90", "ADAM,GRU,30", "ADAM,LSTM,90"})
    void aRunStoppedMidWarmupOrMidCosineContinuesExactly(OptimizerKind kind, Cell cell, long split) throws Exception {
        double lr = kind.defaultLearningRate() * 2;
        Optimization o = Optimization.defaults().withOptimizer(kind).withSchedule(Schedule.COSINE).withWarmup(50)
                .withMinLearningRate(lr / 20).withClipNorm(kind == OptimizerKind.RMSPROP ? 0 : 1.5)
                .withWeightDecay(kind == OptimizerKind.ADAM ? 0.05 : 0);
        Hyperparameters hp = Hyperparameters.builder().hidden(10).seqLength(8).batchSize(3).learningRate(lr).clip(4)
                .iterations(150).printEvery(10).sampleEvery(40).sampleLength(20).seed(11).valFraction(0.1)
                .evalEvery(25).checkpointEvery(1000).resetEvery(7).cell(cell).layers(cell == Cell.GRU ? 2 : 1)
                .dropout(cell == Cell.GRU ? 0.1 : 0).optim(o).build();

        Lines whole = new Lines();
        TrainingState end;
        try (Trainer t = new Trainer(hp, CORPUS, 2)) {
            t.run(whole, () -> false);
            end = t.state();
            assertEquals(150, end.iteration());
            end = copy(end);
        }
        Lines first = new Lines();
        Path saved = dir.resolve("part.ckpt");
        try (Trainer t = new Trainer(hp, CORPUS, 2)) {
            t.run(first, () -> t.iteration() >= split);
            assertEquals(split, t.iteration());
            CheckpointFile.write(saved, t.state());
        }
        Lines second = new Lines();
        TrainingState resumed;
        try (Trainer t = new Trainer(hp, CORPUS, CheckpointFile.read(saved), 1)) {
            t.run(second, () -> false);
            resumed = t.state();
            List<String> all = new ArrayList<>(first.lines);
            all.addAll(second.lines);
            assertEquals(whole.lines, all);
            assertTrue(whole.lines.size() > 20);
            assertEquals(end.optimizerSteps(), resumed.optimizerSteps());
            Params[] a = end.optimizerState();
            Params[] b = resumed.optimizerState();
            assertEquals(Optimizer.buffers(kind), b.length);
            for (int k = 0; k < end.params().all().length; k++) {
                assertArrayEquals(end.params().all()[k].data, resumed.params().all()[k].data);
                for (int j = 0; j < a.length; j++) {
                    assertArrayEquals(a[j].all()[k].data, b[j].all()[k].data);
                }
            }
            assertArrayEquals(end.hidden().data, resumed.hidden().data);
        }
    }

    /** The state's buffers are the trainer's own: a copy outlives it. */
    private TrainingState copy(TrainingState s) throws Exception {
        Path p = dir.resolve("copy.ckpt");
        CheckpointFile.write(p, s);
        return CheckpointFile.read(p);
    }
}
