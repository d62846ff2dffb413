package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM that writes checkpoints in a loop, many times: every time, the
 * file must load, whole, as one of the checkpoints it wrote. Half the kills land at a random
 * instant; the other half as soon as a temporary file is seen, that is, during a write (how
 * long a write takes next to the rest of the loop depends on the disk, so random instants
 * alone may all miss it).
 */
class KillDuringWriteTest {
    static final int TRIALS = 50;
    static final int H = 600;

    @TempDir
    Path dir;

    @Test
    void aKilledWriterAlwaysLeavesALoadableCheckpoint() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Rng rng = new Rng(31);
        int midWrite = 0;
        long lastSeen = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Path file = dir.resolve("c.ckpt");
            Process child = new ProcessBuilder(java, "-cp", classpath, CheckpointWriterChild.class.getName(),
                    file.toString(), Integer.toString(H))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!Files.exists(file) && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                assertTrue(Files.exists(file), "the child never wrote a checkpoint");
                Thread.sleep((long) (rng.nextDouble() * 100));
                if (trial % 2 == 1) {
                    Path tmp = CheckpointFile.temporary(file);
                    while (!Files.exists(tmp) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    Thread.sleep((long) (rng.nextDouble() * 3));
                }
                assertTrue(child.isAlive(), "the child died: " + Files.readString(dir.resolve("child.log")));
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            if (Files.exists(CheckpointFile.temporary(file))) {
                midWrite++;
            }
            TrainingState s = CheckpointFile.read(file);
            assertWhole(s);
            assertTrue(s.iteration() >= 1);
            lastSeen = s.iteration();
        }
        System.out.printf("%d kills, %d of them with a write in progress; last checkpoint read: %d%n",
                TRIALS, midWrite, lastSeen);
        assertTrue(midWrite > 0, "no kill landed during a write: the test proved nothing");
    }

    private static void assertWhole(TrainingState s) {
        double n = s.iteration();
        for (Params p : new Params[] {s.params(), s.memory()}) {
            for (DMatrixRMaj m : p.all()) {
                for (int i = 0; i < m.getNumElements(); i++) {
                    assertEquals(n, m.data[i], 0.0, "a checkpoint mixes two writes");
                }
            }
        }
    }
}
