package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipes, devices and endless inputs: read once, bounded, never a hang. */
class SpecialInputTest {
    @TempDir
    Path dir;

    @Test
    void anEndlessDeviceStopsAtTheLimitWithAClearLine() {
        Path zero = Path.of("/dev/zero");
        InputException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(InputException.class, () -> Corpus.load(zero, 1 << 20)));
        assertTrue(e.getMessage().contains("goes on beyond 1048576 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("regular file"), e.getMessage());
    }

    @Test
    void aFifoIsReadOnceAndGivesTheSameCorpusAsAFile() throws Exception {
        String text = "a pipe is read once, into memory; a file twice, where it lies. ∑ é\n".repeat(30);
        Path file = dir.resolve("c.txt");
        Files.writeString(file, text);
        Path fifo = dir.resolve("c.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS));
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        Corpus piped = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Corpus.load(fifo));
        writer.join();
        Corpus plain = Corpus.load(file);
        assertEquals(plain.vocabulary(), piped.vocabulary());
        assertEquals(plain.length(), piped.length());
        for (int i = 0; i < plain.length(); i++) {
            assertEquals(plain.text().at(i), piped.text().at(i));
        }
    }

    @Test
    void evalsTextFromAnEndlessDeviceStopsToo() {
        Vocabulary v = new Vocabulary(new int[] {0, 'a'});
        InputException e = assertThrows(InputException.class,
                () -> Corpus.load(Path.of("/dev/zero"), v, new java.util.TreeMap<>(), 1 << 16));
        assertTrue(e.getMessage().contains("goes on beyond"), e.getMessage());
    }
}
