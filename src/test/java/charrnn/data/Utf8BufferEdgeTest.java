package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text longer than the reader's 1 MiB buffer, shifted by one two-byte character so that a
 * run of ASCII ends exactly at the end of the buffer in the middle of a chunk of code points.
 */
class Utf8BufferEdgeTest {
    @TempDir
    Path dir;

    @Test
    void anAsciiRunThatEndsAtTheBufferEndContinuesAfterTheRefill() throws Exception {
        int n = (1 << 20) + (1 << 19);
        StringBuilder sb = new StringBuilder(n + 2).append('\u00e9');
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + i % 3));
        }
        sb.append('\u00e8');
        Path p = dir.resolve("long.txt");
        Files.writeString(p, sb, StandardCharsets.UTF_8);
        Corpus c = Corpus.load(p);
        assertEquals(n + 2, c.length());
        assertEquals(0xe9, c.vocabulary().codePoint(c.text().at(0)));
        assertEquals(0xe8, c.vocabulary().codePoint(c.text().at(n + 1)));
        assertEquals('a' + (n - 1) % 3, c.vocabulary().codePoint(c.text().at(n)));
        long[] counts = c.counts();
        assertEquals(n / 3, counts[c.vocabulary().indexOf('a')]);
        // beyond Latin-1: the two-pass path reads it alike
        Files.writeString(p, sb.append('\u03b1'), StandardCharsets.UTF_8);
        assertEquals(n + 3, Corpus.load(p).length());
    }
}
