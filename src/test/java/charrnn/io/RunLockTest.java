package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock beside a checkpoint: one holder at a time, its file named and removed, anything else there refused. */
class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void theLockFileSaysWhoHoldsItAndGoesWhenClosed() throws IOException {
        Path save = dir.resolve("run.ckpt");
        Path lockFile = RunLock.lockFile(save);
        assertEquals(dir.resolve("run.ckpt.lock"), lockFile);
        try (RunLock lock = RunLock.acquire(save)) {
            assertEquals("charrnn run lock, process " + ProcessHandle.current().pid() + "\n", Files.readString(lockFile));
            // the lock is really held: nobody else can take it
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                assertThrows(java.nio.channels.OverlappingFileLockException.class, ch::tryLock);
            }
        }
        assertFalse(Files.exists(lockFile));
        // and it can be taken again
        try (RunLock again = RunLock.acquire(save)) {
            assertTrue(Files.exists(lockFile));
        }
    }

    @Test
    void aSecondRunOnTheSameCheckpointIsRefused() throws IOException {
        Path save = dir.resolve("run.ckpt");
        try (RunLock first = RunLock.acquire(save)) {
            OutputException e = assertThrows(OutputException.class, () -> RunLock.acquire(save));
            assertEquals("another charrnn run is writing " + save + " (it holds " + RunLock.lockFile(save)
                    + "); wait for it to end, or give this run another --save", e.getMessage());
            // the holder's lock file is left as it was
            assertTrue(Files.readString(RunLock.lockFile(save)).startsWith("charrnn run lock, process "));
            // another checkpoint beside it has its own lock
            try (RunLock other = RunLock.acquire(dir.resolve("other.ckpt"))) {
                assertTrue(Files.exists(dir.resolve("other.ckpt.lock")));
            }
        }
    }

    @Test
    void aLockFileLeftByADeadRunOrEmptyIsTakenOver() throws IOException {
        Path save = dir.resolve("run.ckpt");
        Path lockFile = RunLock.lockFile(save);
        Files.writeString(lockFile, "charrnn run lock, process 999999999 and a longer tail than ours\n");
        try (RunLock lock = RunLock.acquire(save)) {
            assertEquals("charrnn run lock, process " + ProcessHandle.current().pid() + "\n", Files.readString(lockFile));
        }
        Files.createFile(lockFile);
        try (RunLock lock = RunLock.acquire(save)) {
            assertTrue(Files.readString(lockFile).startsWith("charrnn run lock"));
        }
    }

    @Test
    void somethingElseInTheLocksPlaceIsRefusedAndKept() throws IOException {
        Path save = dir.resolve("run.ckpt");
        Path lockFile = RunLock.lockFile(save);
        Files.writeString(lockFile, "my own file");
        OutputException e = assertThrows(OutputException.class, () -> RunLock.acquire(save));
        assertEquals("refusing to use " + lockFile + " as the run's lock file: something else is there", e.getMessage());
        assertEquals("my own file", Files.readString(lockFile));

        Files.delete(lockFile);
        Files.createDirectory(lockFile);
        assertThrows(OutputException.class, () -> RunLock.acquire(save));
        assertTrue(Files.isDirectory(lockFile));

        Files.delete(lockFile);
        Path target = dir.resolve("target");
        Files.writeString(target, "charrnn run lock, process 1\n");
        Files.createSymbolicLink(lockFile, target);
        assertThrows(OutputException.class, () -> RunLock.acquire(save));
        assertEquals("charrnn run lock, process 1\n", Files.readString(target));
    }

    @Test
    void aLockThatCannotBeCreatedIsOneLine() {
        Path save = dir.resolve("missing").resolve("run.ckpt");
        OutputException e = assertThrows(OutputException.class, () -> RunLock.acquire(save));
        assertEquals("cannot take the lock " + RunLock.lockFile(save) + " of checkpoint " + save
                + ": no such file or folder", e.getMessage());
    }
}
