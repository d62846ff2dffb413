package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.io.MetricsLog;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsPlotTest {
    @TempDir
    Path dir;

    private Path corpus() throws Exception {
        Path p = dir.resolve("c.txt");
        Files.writeString(p, "every loss line is a row, every row a point on the curve.\n".repeat(60));
        return p;
    }

    private Cli train(Path corpus, Path log, Path save, long iterations, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--hidden", "16", "--seq-length", "10",
                "--iterations", Long.toString(iterations), "--print-every", "20", "--eval-every", "50",
                "--sample-every", "0", "--val-fraction", "0.1", "--log", log.toString(), "--save", save.toString()));
        a.addAll(List.of(more));
        a.add(corpus.toString());
        return Cli.run(a.toArray(new String[0]));
    }

    @Test
    void theLogHasARowPerLossLineWithTheSameNumbers() throws Exception {
        Path log = dir.resolve("run.csv");
        Cli r = train(corpus(), log, dir.resolve("r.ckpt"), 200);
        assertEquals(0, r.code(), r.err());
        assertEquals(MetricsLog.HEADER, Files.readAllLines(log).get(0));
        List<MetricsLog.Row> rows = MetricsLog.read(log);
        assertEquals(10, rows.size());
        Matcher m = Pattern.compile("^iter (\\d+)  chars (\\d+)  loss ([0-9.]+) nats/char", Pattern.MULTILINE).matcher(r.out());
        for (MetricsLog.Row row : rows) {
            assertTrue(m.find());
            assertEquals(Long.parseLong(m.group(1)), row.iteration());
            assertEquals(Long.parseLong(m.group(2)), row.chars());
            assertEquals(Double.parseDouble(m.group(3)), row.trainLoss(), 5e-5);
        }
        assertTrue(Double.isNaN(rows.get(1).valLoss()), "no validation before update 50");
        Matcher v = Pattern.compile("^val iter 100  loss ([0-9.]+)", Pattern.MULTILINE).matcher(r.out());
        assertTrue(v.find());
        assertEquals(Double.parseDouble(v.group(1)), rows.get(4).valLoss(), 5e-5, "row of update 100 has its validation");
        assertTrue(rows.get(9).elapsedSeconds() >= rows.get(0).elapsedSeconds());
        assertFalse(r.out().contains("\r"), "no progress line when the output is not a terminal");
    }

    @Test
    void aResumedRunAppendsToItsLog() throws Exception {
        Path log = dir.resolve("resumed.csv");
        Path save = dir.resolve("x.ckpt");
        Path corpus = corpus();
        assertEquals(0, train(corpus, log, save, 100).code());
        Cli r = Cli.run("--resume", save.toString(), "--iterations", "160", "--log", log.toString(), corpus.toString());
        assertEquals(0, r.code(), r.err());
        List<MetricsLog.Row> rows = MetricsLog.read(log);
        assertEquals(8, rows.size());
        assertEquals(160, rows.get(7).iteration());
        assertEquals(1, Files.readAllLines(log).stream().filter(MetricsLog.HEADER::equals).count());
    }

    @Test
    void aFileThatIsNotALogIsNotAppendedTo() throws Exception {
        Path other = dir.resolve("notes.csv");
        Files.writeString(other, "a,b,c\n1,2,3\n");
        byte[] before = Files.readAllBytes(other);
        Cli r = train(corpus(), other, dir.resolve("n.ckpt"), 40);
        assertEquals(ExitCode.OUTPUT, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("not a charrnn metrics log"), r.err());
        assertArrayEquals(before, Files.readAllBytes(other));
    }

    @Test
    void plotDrawsEveryRunIntoAPng() throws Exception {
        Path corpus = corpus();
        Path a = dir.resolve("small.csv");
        Path b = dir.resolve("large.csv");
        assertEquals(0, train(corpus, a, dir.resolve("a.ckpt"), 200).code());
        assertEquals(0, train(corpus, b, dir.resolve("b.ckpt"), 200, "--learning-rate", "0.05").code());
        Path png = dir.resolve("loss.png");
        Cli r = Cli.run("plot", a.toString(), b.toString(), "-o", png.toString(), "--width", "640", "--height", "400");
        assertEquals(0, r.code(), r.err());
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "a PNG image");
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
        // the first two run colours are drawn
        assertTrue(countPixels(image, 0x0072B2) > 100, "first run's colour");
        assertTrue(countPixels(image, 0xD55E00) > 100, "second run's colour");
        assertFalse(Files.exists(dir.resolve("loss.png.tmp")));

        Cli bySeconds = Cli.run("plot", a.toString(), "-o", dir.resolve("s.png").toString(), "--x", "seconds");
        assertEquals(0, bySeconds.code(), bySeconds.err());
    }

    private static int countPixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void plotRefusesWhatItCannotRead() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, MetricsLog.HEADER + "\n1,25,not-a-number,,100,1\n");
        Cli r = Cli.run("plot", bad.toString(), "-o", dir.resolve("x.png").toString());
        assertEquals(ExitCode.INPUT, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("line 2"), r.err());
        Cli missing = Cli.run("plot", dir.resolve("none.csv").toString(), "-o", dir.resolve("x.png").toString());
        assertEquals(ExitCode.INPUT, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void onATerminalAProgressLineIsDrawnAndErasedBeforeOutput() throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Reporter reporter = new Reporter(out, dir.resolve("p.ckpt"), dir.resolve("p.best.ckpt"), null, true, 0, 100);
        reporter.tick(100);
        reporter.progress(100, 2500, 1.5, 1000);
        reporter.finish();
        out.flush();
        String s = text.toString();
        assertTrue(s.startsWith("\r\033[K[100.0%] iteration 100 of 100, 0s left"), s);
        assertTrue(s.contains("\r\033[Kiter 100  chars 2500"), s);
        assertEquals("1h01m", Reporter.formatSeconds(3660));
        assertEquals("2m05s", Reporter.formatSeconds(125));
    }
}
