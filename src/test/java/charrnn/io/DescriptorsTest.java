package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What charrnn opens it closes: a lock or a log that is closed, or refused, leaves no file
 * descriptor open on its file. Read from Linux's list of this process's descriptors.
 */
class DescriptorsTest {
    private static final Path FDS = Path.of("/proc/self/fd");

    @TempDir
    Path dir;

    /** Descriptors of this process open on {@code file}, removed since or not. */
    private static long openOn(Path file) throws IOException {
        String name = file.toString();
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.equals(name) || target.equals(name + " (deleted)");
                } catch (IOException e) {
                    return false;       // the descriptor of the listing itself, closed by now
                }
            }).count();
        }
    }

    @Test
    void aRunLockHoldsOneDescriptorAndGivesItBackWhenClosedOrRefused() throws IOException {
        assumeTrue(Files.isDirectory(FDS), "needs /proc/self/fd");
        Path save = dir.toRealPath().resolve("run.ckpt");
        Path lockFile = RunLock.lockFile(save);
        try (RunLock lock = RunLock.acquire(save)) {
            assertEquals(1, openOn(lockFile));
            // a second run in this process is refused, and keeps nothing open
            assertThrows(OutputException.class, () -> RunLock.acquire(save));
            assertEquals(1, openOn(lockFile));
        }
        assertEquals(0, openOn(lockFile));
    }

    @Test
    void aMetricsLogHoldsOneDescriptorAndGivesItBackWhenClosedOrRefused() throws IOException {
        assumeTrue(Files.isDirectory(FDS), "needs /proc/self/fd");
        Path p = dir.toRealPath().resolve("run.csv");
        try (MetricsLog log = MetricsLog.open(p, -1)) {
            assertEquals(1, openOn(p));
            assertThrows(OutputException.class, () -> MetricsLog.open(p, 0));
            assertEquals(1, openOn(p));
        }
        assertEquals(0, openOn(p));
        // a log that cannot be continued is refused after it was opened and read: closed again
        Files.writeString(p, MetricsLog.HEADER);
        assertThrows(OutputException.class, () -> MetricsLog.open(p, 10));
        assertEquals(0, openOn(p));
    }
}
