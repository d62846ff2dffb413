package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which kernels a JVM gets, asked of a fresh JVM with the options of the machine imitated. */
class KernelChoiceTest {

    /** Prints the kernels this JVM chose. */
    public static void main(String[] args) {
        System.out.print(Kernels.best().describe());
    }

    private static String chosen(String... jvmOptions) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelChoiceTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return out;
    }

    @Test
    void vectorsOfOneDoubleGetThePlainKernelsWhichAreFaster() throws Exception {
        String out = chosen("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=8");
        assertTrue(out.startsWith("plain Java (") && out.contains("1 double"), out);
    }

    @Test
    void vectorsOfTwoDoublesGetTheVectorApi() throws Exception {
        assertEquals("Vector API, 2 doubles per vector",
                chosen("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=16"));
    }
}
