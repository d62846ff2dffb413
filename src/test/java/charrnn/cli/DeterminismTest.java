package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {
    @TempDir
    Path dir;

    /** The output without its timing figures: losses and samples only. */
    private static String withoutTimings(String out) {
        return out.lines()
                .map(l -> l.replaceAll(", read in [0-9.]+ s", "").replaceAll("this run [0-9.]+ s, [0-9]+ chars/s", "")
                        .replaceAll("\\s+[0-9.]+ chars/s", ""))
                .filter(l -> !l.startsWith("chars_per_s="))
                .collect(Collectors.joining("\n"));
    }

    /** The texts between the sample markers. */
    private static List<String> samples(String out) {
        List<String> found = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("----- sample at iter \\d+ -----\n(.*?)\n----- end of sample -----", java.util.regex.Pattern.DOTALL)
                .matcher(out);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private Cli train(Path corpus, String seed) {
        return Cli.run("--save", dir.resolve("d.ckpt").toString(), "--hidden", "20", "--seq-length", "12", "--batch-size", "2", "--iterations", "300",
                "--print-every", "60", "--sample-every", "100", "--sample-length", "60", "--seed", seed,
                corpus.toString());
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() throws IOException {
        Path corpus = dir.resolve("c.txt");
        Files.writeString(corpus, "to be or not to be, that is the question; whether tis nobler\n".repeat(30));
        Cli a = train(corpus, "7");
        Cli b = train(corpus, "7");
        Cli c = train(corpus, "8");
        assertEquals(0, a.code());
        assertEquals(withoutTimings(a.out()), withoutTimings(b.out()));
        assertEquals(3, samples(a.out()).size());
        assertNotEquals(samples(a.out()), samples(c.out()));
        assertNotEquals(withoutTimings(a.out()), withoutTimings(c.out()));
    }
}
