package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Hyperparameters;
import charrnn.config.Precision;
import charrnn.data.Corpus;
import charrnn.io.CheckpointFile;
import charrnn.train.Trainer;
import charrnn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JIT warm-up runs beside a run without touching it, and ends by itself. */
class WarmupTest {
    private static final Corpus CORPUS = Corpus.of("t",
            "The tide turned at four; we anchored off the point and waited for the wind.\n".repeat(10));

    @TempDir
    Path dir;

    private static Hyperparameters hp(Cell cell) {
        return Hyperparameters.builder().hidden(20).seqLength(9).batchSize(17).learningRate(0.05).clip(5)
                .iterations(40).printEvery(10).sampleEvery(20).sampleLength(20).seed(3).valFraction(0.1).evalEvery(20)
                .checkpointEvery(1000).cell(cell).layers(2).dropout(0.2).build();
    }

    /** The checkpoint's bytes after a whole run (validation and samples included) on the best kernels. */
    private byte[] run(Hyperparameters hp, String name) throws Exception {
        try (Trainer trainer = new Trainer(hp, CORPUS, 2)) {
            trainer.run(new TrainingListener() {
                public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
                }

                public void sample(long iteration, String text) {
                }
            }, () -> false);
            Path file = dir.resolve(name + ".ckpt");
            CheckpointFile.write(file, trainer.state());
            return Files.readAllBytes(file);
        }
    }

    /** Only the Vector API's code waits for the JIT: plain Java runs at full speed from its first calls. */
    @Test
    void onlyTheVectorApiKernelsAreWarmedUp() {
        assertFalse(Kernels.plain().compiledLate());
        assertTrue(Kernels.best().compiledLate(), "the tests run with the vector module: " + Kernels.best().describe());
        for (int bits : new int[] {128, 256}) {
            assertTrue(Kernels.vector(bits).compiledLate(), bits + " bits");
        }
    }

    @Test
    void aRunBesideTheWarmUpTrainsTheSameModelAndTheWarmUpEnds() throws Exception {
        for (Cell cell : new Cell[] {Cell.GRU, Cell.LSTM}) {
            byte[] alone = run(hp(cell), cell + "-alone");
            // the same cell, depth, vocabulary and format as the run: the warm-up's calls go where the run's do
            Thread warmup = Warmup.begin(Kernels.best(), Precision.FLOAT32, cell, 2, CORPUS.vocabulary().size(), true);
            assertTrue(warmup.isAlive());
            byte[] beside = run(hp(cell), cell + "-beside");
            assertArrayEquals(alone, beside, cell + ": the warm-up changed the run");
            warmup.join(60_000);
            assertFalse(warmup.isAlive(), "the warm-up did not end");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void theRunWaitsForTheWarmUpToEndUnlessToldToStop() throws Exception {
        Warmup.await(null, () -> false);                     // none started: returns at once
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread warmup = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        warmup.setDaemon(true);
        warmup.start();
        // told to stop: returns while the warm-up still runs
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        Warmup.await(warmup, () -> looks.incrementAndGet() > 3);
        assertTrue(warmup.isAlive(), "returned only once the warm-up had ended");
        assertTrue(looks.get() > 3, "stop was looked at while waiting");
        // not told to stop: returns once it has ended
        Thread waiter = new Thread(() -> Warmup.await(warmup, () -> false));
        waiter.start();
        waiter.join(300);
        assertTrue(waiter.isAlive(), "returned while the warm-up still ran");
        release.countDown();
        waiter.join(10_000);
        assertFalse(waiter.isAlive(), "still waiting after the warm-up ended");
        assertFalse(warmup.isAlive());
    }
}
