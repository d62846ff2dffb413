package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import charrnn.OpenFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What charrnn opens it closes: a lock or a log that is closed, or refused, leaves no file
 * descriptor open on its file.
 */
class DescriptorsTest {
    @TempDir
    Path dir;

    @Test
    void aRunLockHoldsOneDescriptorAndGivesItBackWhenClosedOrRefused() throws IOException {
        assumeTrue(OpenFiles.listed(), "needs /proc/self/fd");
        Path save = dir.toRealPath().resolve("run.ckpt");
        Path lockFile = RunLock.lockFile(save);
        try (RunLock lock = RunLock.acquire(save)) {
            assertEquals(1, OpenFiles.on(lockFile));
            // a second run in this process is refused, and keeps nothing open
            assertThrows(OutputException.class, () -> RunLock.acquire(save));
            assertEquals(1, OpenFiles.on(lockFile));
        }
        assertEquals(0, OpenFiles.on(lockFile));
    }

    @Test
    void aMetricsLogHoldsOneDescriptorAndGivesItBackWhenClosedOrRefused() throws IOException {
        assumeTrue(OpenFiles.listed(), "needs /proc/self/fd");
        Path p = dir.toRealPath().resolve("run.csv");
        try (MetricsLog log = MetricsLog.open(p, -1)) {
            assertEquals(1, OpenFiles.on(p));
            assertThrows(OutputException.class, () -> MetricsLog.open(p, 0));
            assertEquals(1, OpenFiles.on(p));
        }
        assertEquals(0, OpenFiles.on(p));
        // a log that cannot be continued is refused after it was opened and read: closed again
        Files.writeString(p, MetricsLog.HEADER);
        assertThrows(OutputException.class, () -> MetricsLog.open(p, 10));
        assertEquals(0, OpenFiles.on(p));
    }
}
