package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.io.CheckpointFile;
import charrnn.train.TrainingState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (what Ctrl-C's SIGINT also triggers) stops training with a final checkpoint. */
class SignalTest {
    @TempDir
    Path dir;

    @Test
    void sigtermSavesTheRunBeforeExiting() throws Exception {
        Path corpus = dir.resolve("c.txt");
        Files.writeString(corpus, "signals end runs, and runs end with a checkpoint.\n".repeat(200));
        Path save = dir.resolve("s.ckpt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--hidden", "16", "--iterations", "100000000", "--print-every", "200", "--sample-every", "0",
                "--checkpoint-every", "100000000", "--val-fraction", "0", "--save", save.toString(), corpus.toString())
                .redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("iter 1000 ")) {
                    child.toHandle().destroy();   // SIGTERM, leaving our end of its output open
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(128 + 15, child.exitValue(), out.toString());
        Matcher m = Pattern.compile("interrupted at iteration (\\d+)\\n").matcher(out);
        assertTrue(m.find(), out.toString());
        long stoppedAt = Long.parseLong(m.group(1));
        assertTrue(out.toString().contains("saved " + save + " at iteration " + stoppedAt), out.toString());
        TrainingState s = CheckpointFile.read(save);
        assertEquals(stoppedAt, s.iteration());
        assertTrue(stoppedAt >= 1000);
    }
}
