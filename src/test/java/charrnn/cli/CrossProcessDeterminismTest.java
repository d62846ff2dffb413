package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two separate JVMs, same seed: the same losses and samples. Each starts interpreted and has
 * its kernels compiled at a different moment mid-run, so any operation that rounds differently
 * before and after compilation (the Vector API's own exp and tanh, say) would show here.
 */
class CrossProcessDeterminismTest {
    @TempDir
    Path dir;

    private String run(Path corpus, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve(name + ".out");
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(),
                "--hidden", "48", "--seq-length", "20", "--batch-size", "3", "--iterations", "1500",
                "--print-every", "100", "--sample-every", "500", "--eval-every", "500", "--val-fraction", "0.1",
                "--save", dir.resolve(name + ".ckpt").toString(), corpus.toString())
                .redirectErrorStream(false).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("chars_per_s=") && !l.startsWith("corpus ") && !l.startsWith("saved ")
                        && !l.startsWith("validation: "))
                .map(l -> l.replaceAll("this run [0-9.]+ s, [0-9]+ chars/s", "").replaceAll("\\s+[0-9.]+ chars/s", "")
                        .replaceAll("  \\(best, saved to .*\\)", "  (best)"))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void twoProcessesWithOneSeedPrintTheSame() throws Exception {
        Path corpus = dir.resolve("c.txt");
        Files.writeString(corpus, "the same seed, the same run, whatever the JIT does and when.\n".repeat(80));
        String a = run(corpus, "a");
        String b = run(corpus, "b");
        assertTrue(a.contains("kernels: Vector API"), a);
        assertTrue(a.contains("----- sample at iter 1500 -----"), a);
        assertEquals(a, b);
    }
}
