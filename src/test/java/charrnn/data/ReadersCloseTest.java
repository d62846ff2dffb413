package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import charrnn.OpenFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A text read, or refused because it cannot be read, leaves no file descriptor open on it. */
class ReadersCloseTest {
    @TempDir
    Path dir;

    @Test
    void aTextReadIsClosedAfterEveryPass() throws Exception {
        assumeTrue(OpenFiles.listed(), "needs /proc/self/fd");
        Path p = dir.toRealPath().resolve("t.txt");
        Files.writeString(p, "read and closed, then read again \u00e9");
        Corpus.load(p);
        assertEquals(0, OpenFiles.on(p));
        Files.writeString(p, "two passes: beyond Latin-1 \u03b1");
        Corpus.load(p);
        assertEquals(0, OpenFiles.on(p));
        Corpus.load(p, Vocabulary.of("ab"), new TreeMap<>());
        assertEquals(0, OpenFiles.on(p));
        TextPrefix.read(p, 5);
        assertEquals(0, OpenFiles.on(p));
    }

    @Test
    void aFileWhoseFirstReadFailsIsClosedToo() throws Exception {
        // reading a process's memory at offset 0 fails (EIO) where nothing is mapped
        Path mem = Path.of("/proc/self/mem");
        assumeTrue(OpenFiles.listed() && Files.exists(mem), "needs /proc");
        Path real = mem.toRealPath();
        assertEquals("cannot read /proc/self/mem: Input/output error",
                assertThrows(InputException.class, () -> TextPrefix.read(mem, 10)).getMessage());
        assertEquals(0, OpenFiles.on(real));
        assertEquals("cannot read /proc/self/mem: Input/output error",
                assertThrows(InputException.class, () -> Corpus.load(mem)).getMessage());
        assertEquals(0, OpenFiles.on(real));
    }
}
