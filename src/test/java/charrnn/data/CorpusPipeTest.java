package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Standard input ({@code -}): read once into memory, up to the bound and not a byte beyond it. */
class CorpusPipeTest {
    private final InputStream saved = System.in;

    @AfterEach
    void restore() {
        System.setIn(saved);
    }

    private static void stdin(String text) {
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String textOf(Corpus c) {
        int[] indices = new int[c.length()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = c.text().at(i);
        }
        return c.vocabulary().decode(indices, indices.length);
    }

    @Test
    void standardInputIsReadOnceAndNamedSo() throws Exception {
        stdin("abracadabra");
        Corpus c = Corpus.load(Path.of(Corpus.STDIN), 100);
        assertEquals("standard input", c.name());
        assertEquals("abracadabra", textOf(c));
        assertArrayEquals(new long[] {5, 2, 1, 1, 2}, c.counts());
        // beyond Latin-1: the general path reads the bytes held in memory twice
        stdin("\u03b1\u03b2\u03b1 \ud83d\ude00");
        c = Corpus.load(Path.of(Corpus.STDIN), 100);
        assertEquals("\u03b1\u03b2\u03b1 \ud83d\ude00", textOf(c));
        assertArrayEquals(new long[] {1, 2, 1, 1}, c.counts());
    }

    @Test
    void theBoundIsTheLastByteAllowed() throws Exception {
        stdin("0123456789");
        assertEquals(10, Corpus.load(Path.of(Corpus.STDIN), 10).length());
        stdin("0123456789");
        InputException e = assertThrows(InputException.class, () -> Corpus.load(Path.of(Corpus.STDIN), 9));
        assertEquals("standard input goes on beyond 9 bytes, the most charrnn reads from a pipe or device (it holds "
                + "such input in memory); save it to a regular file first", e.getMessage());
        stdin("\u03b1\u03b2\u03b1\u03b2\u03b1");
        assertEquals(5, Corpus.load(Path.of(Corpus.STDIN), 10).length());
        stdin("\u03b1\u03b2\u03b1\u03b2\u03b1");
        assertThrows(InputException.class, () -> Corpus.load(Path.of(Corpus.STDIN), 9));
    }

    @Test
    void anEmptyOrOneCharacterStandardInputIsRefused() {
        stdin("");
        assertEquals("- is empty: a corpus needs text to learn from",
                assertThrows(InputException.class, () -> Corpus.load(Path.of(Corpus.STDIN), 100)).getMessage());
        stdin("\u03b1\u03b1\u03b1");
        assertThrows(InputException.class, () -> Corpus.load(Path.of(Corpus.STDIN), 100));
        stdin("\u00ff\u00ff");
        assertThrows(InputException.class, () -> Corpus.load(Path.of(Corpus.STDIN), 100));
    }

    @Test
    void standardInputInAGivenVocabulary() throws Exception {
        Vocabulary v = Vocabulary.of("ab");
        Map<Integer, Long> unknown = new HashMap<>();
        stdin("abcab\u03b1");
        Corpus c = Corpus.load(Path.of(Corpus.STDIN), v, unknown, 100);
        assertEquals("abab", textOf(c));
        assertEquals(Map.of((int) 'c', 1L, 0x3b1, 1L), unknown);
        stdin("abcab");
        assertThrows(InputException.class, () -> Corpus.load(Path.of(Corpus.STDIN), v, new HashMap<>(), 4));
        stdin("");
        assertEquals("- is empty", assertThrows(InputException.class,
                () -> Corpus.load(Path.of(Corpus.STDIN), v, new HashMap<>(), 100)).getMessage());
        stdin("xyz");
        assertEquals("- has no character of the model's vocabulary", assertThrows(InputException.class,
                () -> Corpus.load(Path.of(Corpus.STDIN), v, new HashMap<>(), 100)).getMessage());
    }

    @Test
    void theBoundOnPipesIsAQuarterOfTheHeapAndAtMostOneArray() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        long limit = Corpus.pipeLimit();
        assertEquals(Math.min(quarter, Corpus.MAX_CHARS), limit);
    }

    @Test
    void aFileThatSaysItIsEmptyButIsNotIsReadAllTheSame() throws Exception {
        // files of /proc report a size of 0 and hold text: the size is no bound on them
        Path cmdline = Path.of("/proc/self/cmdline");
        if (java.nio.file.Files.isRegularFile(cmdline) && java.nio.file.Files.size(cmdline) == 0) {
            byte[] bytes = java.nio.file.Files.readAllBytes(cmdline);
            Corpus c = Corpus.load(cmdline, 100);
            assertEquals(new String(bytes, StandardCharsets.UTF_8), textOf(c));
        }
    }

    @Test
    void aFileThatCannotBeReadSaysWhyInOneLine() {
        // a regular file whose first read fails (EIO): not "permission denied", not "no such file"
        Path mem = Path.of("/proc/self/mem");
        if (java.nio.file.Files.isRegularFile(mem)) {
            String message = assertThrows(InputException.class, () -> Corpus.load(mem, 100)).getMessage();
            assertEquals("cannot read /proc/self/mem: Input/output error", message);
            message = assertThrows(InputException.class, () -> Corpus.load(mem, Vocabulary.of("ab"), new HashMap<>(), 100)).getMessage();
            assertEquals("cannot read /proc/self/mem: Input/output error", message);
        }
    }
}
