package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first characters of a file, every one of them, and whether there are more. */
class TextPrefixTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path p = dir.resolve("t.txt");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void aShortFileIsReadWholeAndCharactersAreCodePoints() throws Exception {
        Path p = file("a\u00e9\ud83d\ude00b");
        TextPrefix t = TextPrefix.read(p, 10);
        assertArrayEquals(new int[] {'a', 0xe9, 0x1f600, 'b'}, t.codePoints());
        assertFalse(t.truncated());
        // exactly as many as asked: not truncated
        t = TextPrefix.read(p, 4);
        assertEquals(4, t.codePoints().length);
        assertFalse(t.truncated());
        // one fewer: truncated
        t = TextPrefix.read(p, 3);
        assertArrayEquals(new int[] {'a', 0xe9, 0x1f600}, t.codePoints());
        assertTrue(t.truncated());
    }

    @Test
    void aLongFileIsReadAcrossChunksUpToTheBound() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.appendCodePoint(i % 7 == 0 ? 0x3b1 + i % 5 : 'a' + i % 26);
        }
        String text = sb.toString();
        int[] all = text.codePoints().toArray();
        Path p = file(text);
        for (int max : new int[] {65_535, 65_536, 65_537, 150_000, 199_999}) {
            TextPrefix t = TextPrefix.read(p, max);
            assertArrayEquals(Arrays.copyOf(all, max), t.codePoints(), "max " + max);
            assertTrue(t.truncated(), "max " + max);
        }
        for (int max : new int[] {200_000, 200_001, 1_000_000}) {
            TextPrefix t = TextPrefix.read(p, max);
            assertArrayEquals(all, t.codePoints(), "max " + max);
            assertFalse(t.truncated(), "max " + max);
        }
        // a file of exactly one chunk, asked for exactly that many
        Path chunk = file(text.codePoints().limit(65_536).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString());
        TextPrefix t = TextPrefix.read(chunk, 65_536);
        assertEquals(65_536, t.codePoints().length);
        assertFalse(t.truncated());
    }

    @Test
    void whatCannotBeShownIsRefusedWithOneLine() throws Exception {
        assertEquals(dir + " is a directory, not a text file",
                assertThrows(InputException.class, () -> TextPrefix.read(dir, 10)).getMessage());
        Path missing = dir.resolve("none.txt");
        assertEquals("cannot read " + missing + ": no such file",
                assertThrows(InputException.class, () -> TextPrefix.read(missing, 10)).getMessage());
        Path empty = file("");
        assertEquals(empty + " is empty", assertThrows(InputException.class, () -> TextPrefix.read(empty, 10)).getMessage());
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'a', (byte) 0xC0, 'b'});
        assertEquals(bad + " is not UTF-8 text: malformed UTF-8: byte 0xC0 cannot start a character at byte offset 1",
                assertThrows(InputException.class, () -> TextPrefix.read(bad, 10)).getMessage());
        Path proc = Path.of("/proc/self/mem");
        if (Files.exists(proc)) {
            assertEquals("cannot read /proc/self/mem: Input/output error",
                    assertThrows(InputException.class, () -> TextPrefix.read(proc, 10)).getMessage());
        }
    }
}
