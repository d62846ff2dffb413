package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one safe write: what it replaces, what it refuses (leaving it as it was), and its temporary file. */
class OutputFileTest {
    @TempDir
    Path dir;

    private static final byte[] CHECKPOINT = {(byte) 0x89, 'C', 'R', 'N', 'N', '\r', '\n', 0x1A, 0, 0, 0, 3};
    private static final byte[] LOG = "iteration,chars,train_loss,val_loss,lr\n1,2,3,,4\n".getBytes(StandardCharsets.US_ASCII);

    private static String refusal(Path path, OutputFile.Kind kind) {
        return assertThrows(OutputException.class, () -> OutputFile.requireOwned(path, kind)).getMessage();
    }

    @Test
    void writesANewFileAndLeavesNoTemporaryFile() throws IOException {
        Path p = dir.resolve("new.ckpt");
        OutputFile.write(p, OutputFile.Kind.CHECKPOINT, CHECKPOINT);
        assertArrayEquals(CHECKPOINT, Files.readAllBytes(p));
        assertFalse(Files.exists(dir.resolve("new.ckpt.tmp")));
        assertEquals(dir.resolve("new.ckpt.tmp"), OutputFile.temporary(p));
    }

    @Test
    void replacesAFileOfItsOwnKindOrAnEmptyOne() throws IOException {
        Path p = dir.resolve("old.ckpt");
        Files.write(p, CHECKPOINT);
        byte[] next = Arrays.copyOf(CHECKPOINT, 40);
        next[39] = 7;
        OutputFile.write(p, OutputFile.Kind.CHECKPOINT, next);
        assertArrayEquals(next, Files.readAllBytes(p));

        Path empty = dir.resolve("empty.csv");
        Files.createFile(empty);
        OutputFile.write(empty, OutputFile.Kind.METRICS_LOG, LOG);
        assertArrayEquals(LOG, Files.readAllBytes(empty));
    }

    @Test
    void refusesAnotherKindOfFileAndLeavesItUntouched() throws IOException {
        Path p = dir.resolve("notes.txt");
        byte[] mine = "my notes, not a checkpoint".getBytes(StandardCharsets.UTF_8);
        Files.write(p, mine);
        for (OutputFile.Kind kind : OutputFile.Kind.values()) {
            OutputException e = assertThrows(OutputException.class, () -> OutputFile.write(p, kind, CHECKPOINT));
            assertTrue(e.getMessage().contains("is not " + kind.description()), e.getMessage());
            assertArrayEquals(mine, Files.readAllBytes(p));
        }
        // a checkpoint is not a metrics log, nor the reverse
        Path ckpt = dir.resolve("a.ckpt");
        Files.write(ckpt, CHECKPOINT);
        assertThrows(OutputException.class, () -> OutputFile.write(ckpt, OutputFile.Kind.METRICS_LOG, LOG));
        Path log = dir.resolve("a.csv");
        Files.write(log, LOG);
        assertThrows(OutputException.class, () -> OutputFile.write(log, OutputFile.Kind.CHECKPOINT, CHECKPOINT));
        assertArrayEquals(CHECKPOINT, Files.readAllBytes(ckpt));
        assertArrayEquals(LOG, Files.readAllBytes(log));
    }

    @Test
    void aFileShorterThanTheSignatureIsNotOfTheKind() throws IOException {
        Path p = dir.resolve("short.ckpt");
        Files.write(p, Arrays.copyOf(CHECKPOINT, 7));
        refusal(p, OutputFile.Kind.CHECKPOINT);
        // one byte wrong in the last place of the signature
        byte[] wrong = CHECKPOINT.clone();
        wrong[7] = 0x1B;
        Files.write(p, wrong);
        refusal(p, OutputFile.Kind.CHECKPOINT);
        // the signature exactly, and nothing after it, is a checkpoint's beginning
        Files.write(p, Arrays.copyOf(CHECKPOINT, 8));
        OutputFile.requireOwned(p, OutputFile.Kind.CHECKPOINT);
    }

    @Test
    void recognisesAPageOfExplainByItsMarkAnywhereInItsHead() throws IOException {
        Path p = dir.resolve("page.html");
        Files.writeString(p, "<!doctype html><html><head><title>x</title>" + OutputFile.HTML_MARK + "</head>");
        OutputFile.requireOwned(p, OutputFile.Kind.HTML);
        Files.writeString(p, "<!doctype html><html><head><meta name=\"generator\" content=\"other\"></head>");
        refusal(p, OutputFile.Kind.HTML);
        // the mark must be within the first HEAD bytes
        Files.writeString(p, " ".repeat(OutputFile.HEAD) + OutputFile.HTML_MARK);
        refusal(p, OutputFile.Kind.HTML);
    }

    @Test
    void refusesFoldersLinksAndDevicesByName() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        assertTrue(refusal(folder, OutputFile.Kind.CHECKPOINT).contains("it is a folder"));

        Path target = dir.resolve("target.ckpt");
        Files.write(target, CHECKPOINT);
        Path link = Files.createSymbolicLink(dir.resolve("link.ckpt"), target);
        assertTrue(refusal(link, OutputFile.Kind.CHECKPOINT).contains("symbolic link"));
        assertThrows(OutputException.class, () -> OutputFile.write(link, OutputFile.Kind.CHECKPOINT, new byte[20]));
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(CHECKPOINT, Files.readAllBytes(target));
        // a dangling link is refused too: it exists as a link
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.ckpt"), dir.resolve("nowhere"));
        assertTrue(refusal(dangling, OutputFile.Kind.CHECKPOINT).contains("symbolic link"));

        assertTrue(refusal(Path.of("/dev/null"), OutputFile.Kind.METRICS_LOG).contains("device, pipe or socket"));
    }

    @Test
    void anUnreadableFileCannotBeRecognised() throws IOException {
        Path p = dir.resolve("locked.ckpt");
        Files.write(p, CHECKPOINT);
        // /proc/self/mem exists and is a regular file, but reading its first page fails
        Path mem = Path.of("/proc/self/mem");
        if (Files.isRegularFile(mem)) {
            assertTrue(refusal(mem, OutputFile.Kind.CHECKPOINT).startsWith("cannot replace /proc/self/mem: "));
        }
    }

    @Test
    void aLeftoverTemporaryFileOfTheSameKindIsClearedAndAnythingElseIsRefused() throws IOException {
        Path p = dir.resolve("run.ckpt");
        Path tmp = OutputFile.temporary(p);
        // empty, a checkpoint's beginning, a whole checkpoint: what a killed write leaves
        for (byte[] leftover : List.of(new byte[0], Arrays.copyOf(CHECKPOINT, 1), Arrays.copyOf(CHECKPOINT, 5),
                Arrays.copyOf(CHECKPOINT, 7), CHECKPOINT)) {
            Files.write(tmp, leftover);
            OutputFile.write(p, OutputFile.Kind.CHECKPOINT, CHECKPOINT);
            assertArrayEquals(CHECKPOINT, Files.readAllBytes(p));
            assertFalse(Files.exists(tmp));
        }
        // a metrics log's beginning is not a checkpoint's; short text is not either
        for (byte[] foreign : List.of(new byte[] {(byte) 0x89, 'C', 'R', 'X'}, "notes".getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOf(LOG, 5))) {
            Files.write(tmp, foreign);
            OutputException e = assertThrows(OutputException.class, () -> OutputFile.write(p, OutputFile.Kind.CHECKPOINT, new byte[3]));
            assertTrue(e.getMessage().contains("something else is there"), e.getMessage());
            assertArrayEquals(foreign, Files.readAllBytes(tmp));
            assertArrayEquals(CHECKPOINT, Files.readAllBytes(p));
        }
        // only a checkpoint's leftover may be a bare prefix: a log's short leftover is the user's
        Path log = dir.resolve("run.csv");
        Files.write(OutputFile.temporary(log), Arrays.copyOf(CHECKPOINT, 4));
        assertThrows(OutputException.class, () -> OutputFile.write(log, OutputFile.Kind.METRICS_LOG, LOG));
        Files.write(OutputFile.temporary(log), LOG);
        OutputFile.write(log, OutputFile.Kind.METRICS_LOG, LOG);
        assertArrayEquals(LOG, Files.readAllBytes(log));
        // a folder in the temporary file's place
        Files.delete(tmp);
        Files.createDirectory(tmp);
        assertThrows(OutputException.class, () -> OutputFile.write(p, OutputFile.Kind.CHECKPOINT, new byte[3]));
        assertArrayEquals(CHECKPOINT, Files.readAllBytes(p));
    }

    @Test
    void aWriteIntoAMissingFolderFailsWithOneLine() {
        // the folder does not exist: nothing is written, the message names the file
        Path p = dir.resolve("missing").resolve("x.ckpt");
        OutputException e = assertThrows(OutputException.class, () -> OutputFile.write(p, OutputFile.Kind.CHECKPOINT, CHECKPOINT));
        assertEquals("cannot write " + p + ": no such file or folder", e.getMessage());
    }

    @Test
    void requireReplaceableRefusesAnInputAndAFolderThatIsNotThere() throws IOException {
        Path in = dir.resolve("corpus.txt");
        Files.writeString(in, "text");
        Path sameByAnotherName = dir.resolve("sub").resolve("..").resolve("corpus.txt");
        Files.createDirectory(dir.resolve("sub"));
        java.util.ArrayList<Path> inputs = new java.util.ArrayList<>();
        inputs.add(null);
        inputs.add(dir.resolve("other.txt"));
        inputs.add(in);
        OutputException e = assertThrows(OutputException.class,
                () -> OutputFile.requireReplaceable(sameByAnotherName, OutputFile.Kind.METRICS_LOG, inputs));
        assertTrue(e.getMessage().contains("it is also an input of this command (" + in + ")"), e.getMessage());
        // a null input and other inputs are passed over
        OutputFile.requireReplaceable(dir.resolve("out.csv"), OutputFile.Kind.METRICS_LOG, inputs);
        assertEquals(List.of(), listProbes());

        Path noFolder = dir.resolve("nope").resolve("x.ckpt");
        assertEquals("cannot write " + noFolder + ": no such folder " + dir.resolve("nope"),
                assertThrows(OutputException.class, () -> OutputFile.requireReplaceable(noFolder, OutputFile.Kind.CHECKPOINT, List.of())).getMessage());
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "x");
        Path inPlain = plain.resolve("x.ckpt");
        assertEquals("cannot write " + inPlain + ": " + plain + " is not a folder",
                assertThrows(OutputException.class, () -> OutputFile.requireReplaceable(inPlain, OutputFile.Kind.CHECKPOINT, List.of())).getMessage());
        // the folder exists but no file can be created in it
        Path proc = Path.of("/proc/self/x.ckpt");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertTrue(assertThrows(OutputException.class, () -> OutputFile.requireReplaceable(proc, OutputFile.Kind.CHECKPOINT, List.of()))
                    .getMessage().startsWith("cannot write " + proc + ": "));
        }
    }

    private List<Path> listProbes() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".probe")).toList();
        }
    }

    @Test
    void sameFileComparesExistingFilesByIdentityAndOthersByNormalisedPath() throws IOException {
        Path a = dir.resolve("a");
        Files.writeString(a, "x");
        Path hard = Files.createLink(dir.resolve("hard"), a);
        assertTrue(OutputFile.sameFile(a, hard));
        assertFalse(OutputFile.sameFile(a, dir.resolve("b")));
        Files.writeString(dir.resolve("b"), "x");
        assertFalse(OutputFile.sameFile(a, dir.resolve("b")));
        assertTrue(OutputFile.sameFile(dir.resolve("n"), dir.resolve("sub/../n")));
        assertFalse(OutputFile.sameFile(dir.resolve("n"), dir.resolve("m")));
        // one exists, the other does not: compared by path
        assertTrue(OutputFile.sameFile(a, dir.resolve("./a")));
    }

    @Test
    void reasonsAreShortPhrases() {
        assertEquals("permission denied", OutputFile.reason(new AccessDeniedException("/x")));
        assertEquals("no such file or folder", OutputFile.reason(new NoSuchFileException("/x")));
        assertEquals("a part of the path is not a folder", OutputFile.reason(new NotDirectoryException("/x")));
        assertEquals("something is already there", OutputFile.reason(new FileAlreadyExistsException("/x")));
        assertEquals("No space left on device", OutputFile.reason(new FileSystemException("/x", null, "No space left on device")));
        assertEquals("/x", OutputFile.reason(new FileSystemException("/x")));
        assertEquals("as it was", OutputFile.reason(new OutputException("as it was")));
        assertEquals("plain", OutputFile.reason(new IOException("plain")));
        assertEquals("IOException", OutputFile.reason(new IOException()));
    }
}
