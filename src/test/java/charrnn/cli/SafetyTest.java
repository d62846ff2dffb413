package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.io.CheckpointFile;
import charrnn.io.MetricsLog;
import charrnn.io.RunLock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a user owns is replaced, and no input ends in a trace, a hang or a silent loss: each
 * case of the audit, as a careless or hostile user would meet it.
 */
class SafetyTest {
    @TempDir
    Path dir;

    private Path corpus() throws IOException {
        Path p = dir.resolve("c.txt");
        Files.writeString(p, "a user's files are theirs; charrnn writes only its own.\n".repeat(40));
        return p;
    }

    private static String[] small(Path save, String... more) {
        List<String> a = new ArrayList<>(List.of("--hidden", "8", "--seq-length", "8",
                "--print-every", "10", "--sample-every", "0", "--eval-every", "20", "--checkpoint-every", "10"));
        if (!List.of(more).contains("--iterations")) {
            a.addAll(List.of("--iterations", "30"));
        }
        if (save != null) {
            a.addAll(List.of("--save", save.toString()));
        }
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private static void assertOneLine(Cli r, int code, String fragment) {
        assertEquals(code, r.code(), r.out() + r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, mk.exitValue());
    }

    // 1. --save, --log and plot replace only files charrnn wrote, and never an input

    @Test
    void savingOntoTheCorpusIsRefusedAndTheCorpusKept() throws Exception {
        Path c = corpus();
        byte[] before = Files.readAllBytes(c);
        Cli r = Cli.run(small(c, c.toString()));
        assertOneLine(r, ExitCode.OUTPUT, "also an input");
        assertArrayEquals(before, Files.readAllBytes(c));
        assertFalse(Files.exists(dir.resolve("c.best.txt")));
    }

    @Test
    void savingOntoAnotherFileIsRefused() throws Exception {
        Path notes = dir.resolve("notes.ckpt");
        Files.writeString(notes, "my notes, not a model\n");
        Cli r = Cli.run(small(notes, corpus().toString()));
        assertOneLine(r, ExitCode.OUTPUT, "not a charrnn checkpoint");
        assertEquals("my notes, not a model\n", Files.readString(notes));
    }

    @Test
    void aBestPathHoldingAnotherFileIsRefusedBeforeTraining() throws Exception {
        Files.writeString(dir.resolve("m.best.ckpt"), "precious");
        Cli r = Cli.run(small(dir.resolve("m.ckpt"), corpus().toString()));
        assertOneLine(r, ExitCode.OUTPUT, "m.best.ckpt");
        assertFalse(Files.exists(dir.resolve("m.ckpt")), "nothing was trained or written");
        assertEquals("precious", Files.readString(dir.resolve("m.best.ckpt")));
    }

    @Test
    void aFifoOrADeviceIsNeverReplaced() throws Exception {
        Path fifo = dir.resolve("pipe.ckpt");
        mkfifo(fifo);
        Cli r = Cli.run(small(fifo, corpus().toString()));
        assertOneLine(r, ExitCode.OUTPUT, "not a regular file");
        assertFalse(Files.isRegularFile(fifo));
        // /dev/null exists on every machine this runs on: a device, which must stay one
        Cli d = Cli.run(small(Path.of("/dev/null"), corpus().toString()));
        assertOneLine(d, ExitCode.OUTPUT, "not a regular file");
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
    }

    @Test
    void aProcFileIsNotACheckpointEither() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return;         // not Linux: nothing to check
        }
        Cli r = Cli.run(small(status, corpus().toString()));
        assertOneLine(r, ExitCode.OUTPUT, "not a charrnn checkpoint");
    }

    @Test
    void theLogAndTheCheckpointCannotShareAFile() throws Exception {
        Path f = dir.resolve("both");
        Cli r = Cli.run(small(f, "--log", f.toString(), corpus().toString()));
        assertOneLine(r, ExitCode.OUTPUT, "also an input");
        assertFalse(Files.exists(f));
    }

    @Test
    void aLogPathHoldingAnotherFileIsRefused() throws Exception {
        Path log = dir.resolve("results.csv");
        Files.writeString(log, "name,score\nx,1\n");
        Cli r = Cli.run(small(dir.resolve("m.ckpt"), "--log", log.toString(), corpus().toString()));
        assertOneLine(r, ExitCode.OUTPUT, "not a charrnn metrics log");
        assertEquals("name,score\nx,1\n", Files.readString(log));
    }

    @Test
    void plotNeverWritesOverItsInputOrAnotherFile() throws Exception {
        Path log = dir.resolve("run.csv");
        assertEquals(0, Cli.run(small(dir.resolve("m.ckpt"), "--log", log.toString(), corpus().toString())).code());
        byte[] before = Files.readAllBytes(log);
        assertOneLine(Cli.run("plot", log.toString(), "-o", log.toString()), ExitCode.OUTPUT, "also an input");
        assertArrayEquals(before, Files.readAllBytes(log));

        Path text = dir.resolve("essay.png");
        Files.writeString(text, "not an image at all");
        assertOneLine(Cli.run("plot", log.toString(), "-o", text.toString()), ExitCode.OUTPUT, "not an image drawn by");
        assertEquals("not an image at all", Files.readString(text));

        // its own image it replaces
        Path png = dir.resolve("loss.png");
        assertEquals(0, Cli.run("plot", log.toString(), "-o", png.toString()).code());
        assertEquals(0, Cli.run("plot", log.toString(), "-o", png.toString(), "--title", "again").code());
        assertTrue(javax.imageio.ImageIO.read(png.toFile()) != null);
    }

    // 2. out of memory: one line, exit 5, before anything is allocated

    @Test
    void aModelTooLargeForTheHeapIsRefusedUpFrontWithWhatToLower() throws Exception {
        Cli r = Cli.run("--hidden", "16384", "--batch-size", "64", "--iterations", "1", "--save",
                dir.resolve("big.ckpt").toString(), corpus().toString());
        assertOneLine(r, ExitCode.MEMORY, "--hidden");
        assertTrue(r.err().contains("-Xmx"), r.err());
        assertFalse(Files.exists(dir.resolve("big.ckpt")));
    }

    @Test
    void aRealOutOfMemoryErrorEndsInOneLineAndExit5() throws Exception {
        // a checkpoint of 8 MB read by a JVM with a 12 MB heap: eval has no up-front estimate,
        // so this is the error itself, caught on its way out
        Path c = corpus();
        Path big = dir.resolve("big.ckpt");
        assertEquals(0, Cli.run("--hidden", "700", "--iterations", "1", "--sample-every", "0", "--val-fraction", "0",
                "--save", big.toString(), c.toString()).code());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx12m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "eval", "--checkpoint", big.toString(), c.toString())
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCode.MEMORY, child.exitValue(), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("charrnn: out of memory") && out.contains("-Xmx"), out);
    }

    @Test
    void aHugeFileGivenAsACheckpointIsRefusedWithoutReadingIt() throws Exception {
        Path huge = dir.resolve("huge.ckpt");
        try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(CheckpointFile.MAX_BYTES + 1);          // sparse: costs no disk
        }
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run("sample", "--checkpoint", huge.toString()));
        assertOneLine(r, ExitCode.INPUT, "not a charrnn checkpoint");
    }

    // 3. special files: a FIFO corpus is read once, pipes and stdin work, endless input stops

    @Test
    void aFifoCorpusTrainsOnceItsWriterHasSentTheText() throws Exception {
        Path fifo = dir.resolve("corpus.fifo");
        mkfifo(fifo);
        String text = Files.readString(corpus());
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Cli.run(small(dir.resolve("f.ckpt"), fifo.toString())));
        writer.join();
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(text.length() + " characters"), r.out());
    }

    @Test
    void standardInputIsACorpusToo() throws Exception {
        String text = Files.readString(corpus());
        InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            Cli r = Cli.run(small(dir.resolve("s.ckpt"), "-"));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("corpus standard input: " + text.length() + " characters"), r.out());
        } finally {
            System.setIn(saved);
        }
    }

    // 4. plot: logs of the same name, a log given twice, an infinite loss

    @Test
    void plotComparesLogsOfTheSameNameInDifferentFolders() throws Exception {
        Path c = corpus();
        for (String run : List.of("runA", "runB")) {
            Files.createDirectory(dir.resolve(run));
            assertEquals(0, Cli.run(small(dir.resolve(run).resolve("m.ckpt"), "--log",
                    dir.resolve(run).resolve("run.csv").toString(), c.toString())).code());
        }
        Cli r = Cli.run("plot", dir.resolve("runA/run.csv").toString(), dir.resolve("runB/run.csv").toString(),
                "-o", dir.resolve("ab.png").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("runA/run", "runB/run"),
                PlotCommand.labels(List.of(dir.resolve("runA/run.csv"), dir.resolve("runB/run.csv"))));
        Cli twice = Cli.run("plot", dir.resolve("runA/run.csv").toString(), dir.resolve("runA/../runA/run.csv").toString(),
                "-o", dir.resolve("aa.png").toString());
        assertOneLine(twice, ExitCode.USAGE, "given twice");
    }

    @Test
    void plotDrawsARunWhoseLastLossIsInfinite() throws Exception {
        Path log = dir.resolve("diverged.csv");
        // a log of an earlier version, without the lr column
        Files.writeString(log, "iteration,chars,train_loss,val_loss,chars_per_s,elapsed_s\n100,2500,3.1,,1000.0,1.0\n200,5000,2.9,2.95,1000.0,2.0\n"
                + "300,7500,Infinity,,1000.0,3.0\n");
        Cli r = Cli.run("plot", log.toString(), "-o", dir.resolve("d.png").toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void plotOfABinaryFileSaysItIsNotALog() throws Exception {
        Path bin = dir.resolve("program");
        Files.write(bin, new byte[] {(byte) 0x7F, 'E', 'L', 'F', (byte) 0xFF, (byte) 0xFE, 0, 1});
        assertOneLine(Cli.run("plot", bin.toString(), "-o", dir.resolve("x.png").toString()), ExitCode.INPUT,
                "not a charrnn metrics log");
    }

    // 5. a closed or full standard output ends sample and eval at once

    /** A stream whose reader has gone: every write fails, and writes are counted. */
    private static PrintWriter closedOutput(AtomicLong writes) {
        return new PrintWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writes.incrementAndGet();
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writes.incrementAndGet();
                throw new IOException("Broken pipe");
            }
        }, false);
    }

    @Test
    void sampleStopsAtOnceWhenItsOutputIsClosed() throws Exception {
        Path save = dir.resolve("m.ckpt");
        assertEquals(0, Cli.run(small(save, corpus().toString())).code());
        AtomicLong writes = new AtomicLong();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"sample", "--checkpoint", save.toString(), "--length", "100000000"},
                closedOutput(writes), new PrintWriter(err, true));
        assertEquals(ExitCode.OUTPUT, code, err.toString());
        assertTrue(err.toString().contains("standard output"), err.toString());
        assertTrue(writes.get() < 10, "stopped after the first chunk, not after 100 million characters: " + writes);
    }

    @Test
    void evalReportsAnOutputThatCannotBeWritten() throws Exception {
        Path save = dir.resolve("m.ckpt");
        Path c = corpus();
        assertEquals(0, Cli.run(small(save, c.toString())).code());
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"eval", "--checkpoint", save.toString(), c.toString()},
                closedOutput(new AtomicLong()), new PrintWriter(err, true));
        assertEquals(ExitCode.OUTPUT, code, err.toString());
    }

    // 6. a previous run's best checkpoint is never presented as this run's

    @Test
    void anEarlierRunsBestIsNamedAsSuch() throws Exception {
        Path c = corpus();
        Path save = dir.resolve("m.ckpt");
        assertEquals(0, Cli.run(small(save, "--iterations", "40", c.toString())).code());
        assertTrue(Files.exists(dir.resolve("m.best.ckpt")));
        // a new run that ends before its first validation pass
        Cli r = Cli.run(small(save, "--iterations", "10", "--seed", "7", c.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("the file there now is an earlier run's"), r.out());
        assertTrue(r.out().contains("is an earlier run's best checkpoint, not this run's"), r.out());
    }

    // 7. two live runs cannot write the same checkpoint

    @Test
    void aSecondRunOnTheSameCheckpointIsRefused() throws Exception {
        Path save = dir.resolve("shared.ckpt");
        try (RunLock held = RunLock.acquire(save)) {
            Cli r = Cli.run(small(save, corpus().toString()));
            assertOneLine(r, ExitCode.OUTPUT, "another charrnn run is writing");
        }
        assertFalse(Files.exists(RunLock.lockFile(save)), "the lock file goes with its run");
        assertEquals(0, Cli.run(small(save, corpus().toString())).code());
    }

    // 8. the metrics log across interruptions

    @Test
    void aResumedLogHasNoTornRowNoDuplicateAndAContinuousTimeAxis() throws Exception {
        Path c = corpus();
        Path save = dir.resolve("m.ckpt");
        Path log = dir.resolve("run.csv");
        assertEquals(0, Cli.run(small(save, "--log", log.toString(), "--iterations", "40", c.toString())).code());
        // as a kill -9 after the checkpoint at 40 would leave it: rows beyond it, then a torn one
        Files.writeString(log, "50,400,3.000000,,100.0,99.000\n60,480,2.9", java.nio.file.StandardOpenOption.APPEND);
        Cli r = Cli.run(small(save, "--log", log.toString(), "--resume", save.toString(), "--iterations", "60", c.toString()));
        assertEquals(0, r.code(), r.err());
        List<MetricsLog.Row> rows = MetricsLog.read(log);
        List<Long> iterations = rows.stream().map(MetricsLog.Row::iteration).toList();
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L), iterations, Files.readString(log));
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i).elapsedSeconds() >= rows.get(i - 1).elapsedSeconds(), Files.readString(log));
        }
        assertTrue(rows.get(4).elapsedSeconds() < 99, "the dropped row's time is not continued from");
        // validation ran at 20 and 40: the resumed rows carry the latest until the next pass
        assertEquals(rows.get(3).valLoss(), rows.get(4).valLoss());
        assertFalse(Double.isNaN(rows.get(4).valLoss()));
        assertTrue(Files.readString(log).endsWith("\n"));
    }

    // 9. numbers that overflow

    @Test
    void aTimeLimitBeyondACenturyIsNoLimit() throws Exception {
        Cli r = Cli.run(small(dir.resolve("m.ckpt"), "--time-limit", "1e10", corpus().toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("done: 30 iterations"), r.out());
    }

    // 10. messages

    @Test
    void optionsAndOutputsAreCheckedBeforeTheCorpusIsRead() throws Exception {
        Path missing = dir.resolve("missing.txt");
        assertOneLine(Cli.run("--threads", "0", missing.toString()), ExitCode.USAGE, "--threads");
        Files.writeString(dir.resolve("file"), "x");
        assertOneLine(Cli.run("--save", dir.resolve("file/x.ckpt").toString(), missing.toString()), ExitCode.OUTPUT,
                "not a folder");
        Path log = dir.resolve("results.csv");
        Files.writeString(log, "name\n");
        assertOneLine(Cli.run("--log", log.toString(), "--save", dir.resolve("m.ckpt").toString(), missing.toString()),
                ExitCode.OUTPUT, "not a charrnn metrics log");
    }

    @Test
    void validationThatSwitchesItselfOffSaysWhy() throws Exception {
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "abcabcabcabcabcabcab");      // 5% of 20 characters is 1: too few
        Cli r = Cli.run(small(dir.resolve("m.ckpt"), tiny.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("validation: off (--val-fraction 0.05 of 20 characters is fewer than the 2"), r.out());
    }

    @Test
    void aNonAsciiNameUnderTheCLocaleGetsAHintNotAJavaException() throws Exception {
        Path c = corpus();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--save", dir.resolve("modèle.ckpt").toString(), c.toString()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LANG");
        Process child = pb.start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        if (child.exitValue() == 0) {
            return;         // this JDK decodes the name regardless of the locale: nothing to refuse
        }
        assertEquals(ExitCode.USAGE, child.exitValue(), out);
        assertFalse(out.contains("InvalidPathException"), out);
        assertTrue(out.contains("UTF-8"), out);
        assertEquals(1, out.lines().count(), out);
    }
}
