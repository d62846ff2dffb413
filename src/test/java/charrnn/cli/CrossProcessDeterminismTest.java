package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two separate JVMs, same seed: the same losses and samples. Each starts interpreted and has
 * its kernels compiled at a different moment mid-run, so any operation that rounds differently
 * before and after compilation (the Vector API's own exp and tanh, say) would show here. The
 * second JVM is limited to 128-bit vectors (2 doubles, as on a CPU without AVX), so its
 * compiled kernels are other machine code, with other tails, for the same bits.
 */
class CrossProcessDeterminismTest {
    @TempDir
    Path dir;

    private String run(Path corpus, String name, String cell, int layers, String iterations, String... jvmOptions)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve(name + ".out");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("--add-modules",
                "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--cell", cell, "--layers", Integer.toString(layers), "--hidden", "48", "--seq-length", "20",
                "--batch-size", "3", "--iterations", iterations, "--print-every", "100", "--sample-every", "300",
                "--eval-every", "300", "--val-fraction", "0.1", "--save", dir.resolve(name + ".ckpt").toString()));
        if (layers > 1) {
            cmd.addAll(List.of("--dropout", "0.2"));
        }
        cmd.add(corpus.toString());
        Process p = new ProcessBuilder(cmd)
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

    private static String withoutKernels(String output) {
        return output.replaceAll("(?m)^kernels: .*$", "kernels:");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, {1} layer(s), {2} updates")
    @org.junit.jupiter.params.provider.CsvSource({"rnn,1,1500", "gru,2,600", "lstm,2,600"})
    void twoProcessesWithOneSeedPrintTheSame(String cell, int layers, String iterations) throws Exception {
        Path corpus = dir.resolve("c.txt");
        Files.writeString(corpus, "the same seed, the same run, whatever the JIT does and when.\n".repeat(80));
        String a = run(corpus, cell + "-a", cell, layers, iterations);
        String b = run(corpus, cell + "-b", cell, layers, iterations, "-XX:MaxVectorSize=16");
        assertTrue(a.contains("kernels: Vector API"), a);
        assertTrue(b.contains("kernels: Vector API, float32, 4 floats per vector"), b);
        assertTrue(a.contains("----- sample at iter " + iterations + " -----"), a);
        assertEquals(withoutKernels(a), withoutKernels(b));
    }
}
