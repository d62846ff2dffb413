package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.config.Cell;
import charrnn.config.Hyperparameters;
import charrnn.data.Corpus;
import charrnn.io.CheckpointFile;
import charrnn.model.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole runs, from the initial weights through validation, samples and the final checkpoint,
 * on the plain kernels and on the Vector API at 1, 2, 4 and 8 doubles per vector: the same
 * checkpoint, byte for byte, and the same samples. H = 12 leaves a partial last vector at 8
 * doubles, none at 4; B = 17 runs as two parts (16 and 1 streams) on two threads.
 *
 * <p>Runs in the pom's {@code vector-widths} execution, a JVM of its own.
 */
@Tag("vector-widths")
class SameBitsOnEveryWidthTest {
    private static final int[] WIDTHS = {64, 128, 256, 512};
    private static final Corpus CORPUS = Corpus.of("t",
            "Wind from the north-west, force five; the barometer falling, the boy at the helm.\n".repeat(12));

    @TempDir
    Path dir;

    private static Hyperparameters hp(Cell cell, int layers, int B, double dropout, long iterations) {
        return Hyperparameters.builder().hidden(12).seqLength(7).batchSize(B)
                .learningRate(cell == Cell.RNN && layers > 1 ? 0.03 : 0.1).clip(5).iterations(iterations).printEvery(10)
                .sampleEvery(20).sampleLength(30).seed(11).valFraction(0.1).evalEvery(20).checkpointEvery(1000)
                .resetEvery(9).cell(cell).layers(layers).dropout(dropout).build();
    }

    /** The checkpoint bytes after the run, then the samples it drew. */
    private record Run(byte[] checkpoint, List<String> samples) {
    }

    private Run run(Hyperparameters hp, Kernels kernels, TrainingState from, String name) throws Exception {
        List<String> samples = new ArrayList<>();
        Trainer trainer = from == null ? new Trainer(hp, CORPUS, 2, kernels) : new Trainer(hp, CORPUS, from, 2, kernels);
        try (trainer) {
            trainer.run(new TrainingListener() {
                public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
                }

                public void sample(long iteration, String text) {
                    samples.add(text);
                }
            }, () -> false);
            Path file = dir.resolve(name + ".ckpt");
            CheckpointFile.write(file, trainer.state());
            return new Run(Files.readAllBytes(file), samples);
        }
    }

    @ParameterizedTest(name = "{0}, {1} layer(s), B={2}")
    @CsvSource({"RNN,1,1,0", "RNN,1,17,0", "GRU,2,3,0.2", "LSTM,2,1,0"})
    void everyWidthTrainsTheSameModel(Cell cell, int layers, int B, double dropout) throws Exception {
        Hyperparameters hp = hp(cell, layers, B, dropout, 60);
        Run plain = run(hp, Kernels.plain(), null, "plain");
        assertEquals(3, plain.samples().size());
        for (int bits : WIDTHS) {
            Run vector = run(hp, Kernels.vector(bits), null, "v" + bits);
            assertEquals(plain.samples(), vector.samples(), bits + " bits");
            assertArrayEquals(plain.checkpoint(), vector.checkpoint(), bits + " bits: another checkpoint");
        }
    }

    @Test
    void aRunResumedOnAnotherWidthFollowsTheRunItWouldHaveHad() throws Exception {
        Hyperparameters whole = hp(Cell.GRU, 1, 3, 0, 60);
        Run unbroken = run(whole, Kernels.plain(), null, "whole");
        Run firstHalf = run(hp(Cell.GRU, 1, 3, 0, 30), Kernels.vector(512), null, "half");
        TrainingState saved = CheckpointFile.read(dir.resolve("half.ckpt"));
        Run resumed = run(whole, Kernels.vector(128), saved, "resumed");
        assertEquals(unbroken.samples().subList(1, 3), resumed.samples());
        assertEquals(unbroken.samples().get(0), firstHalf.samples().get(0));
        assertArrayEquals(unbroken.checkpoint(), resumed.checkpoint());
    }
}
