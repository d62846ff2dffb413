package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.io.CheckpointFile;
import charrnn.io.MetricsLog;
import charrnn.model.Params;
import charrnn.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --optimizer, the learning-rate schedules and --clip-norm from the command line: resume, logs, refusals. */
class OptimizerCliTest {
    @TempDir
    Path dir;

    private Path corpus() throws Exception {
        Path p = dir.resolve("c.txt");
        if (!Files.exists(p)) {
            Files.writeString(p, "a stitch in time saves nine; a rolling stone gathers no moss.\n".repeat(40));
        }
        return p;
    }

    private String[] args(Path save, long iterations, String... more) throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of("--hidden", "12", "--seq-length", "9",
                "--iterations", Long.toString(iterations), "--print-every", "20", "--sample-every", "50",
                "--sample-length", "30", "--eval-every", "40", "--checkpoint-every", "1000", "--val-fraction", "0.1",
                "--seed", "9", "--save", save.toString()));
        a.addAll(List.of(more));
        if (!a.contains("--batch-size")) {
            a.addAll(List.of("--batch-size", "3"));
        }
        a.add(corpus().toString());
        return a.toArray(new String[0]);
    }

    private static void assertOneLine(Cli r, int code, String fragment) {
        assertEquals(code, r.code(), r.out() + r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private static void assertSameState(TrainingState a, TrainingState b) {
        Params[] ma = a.optimizerState();
        Params[] mb = b.optimizerState();
        assertEquals(ma.length, mb.length);
        for (int k = 0; k < a.params().all().length; k++) {
            assertArrayEquals(a.params().all()[k].data, b.params().all()[k].data, a.params().names()[k]);
            for (int j = 0; j < ma.length; j++) {
                assertArrayEquals(ma[j].all()[k].data, mb[j].all()[k].data, "memory " + j + " of " + a.params().names()[k]);
            }
        }
        assertEquals(a.optimizerSteps(), b.optimizerSteps());
        assertArrayEquals(a.hidden().data, b.hidden().data);
        assertEquals(a.smoothLoss(), b.smoothLoss());
        assertEquals(a.sampleRngState(), b.sampleRngState());
    }

    /** Loss and validation lines from update {@code from} on, speeds removed. */
    private static List<String> linesAfter(String out, long from) {
        List<String> kept = new java.util.ArrayList<>();
        Pattern p = Pattern.compile("^(?:val )?iter (\\d+)");
        for (String l : out.split("\n")) {
            Matcher m = p.matcher(l);
            if (m.find() && Long.parseLong(m.group(1)) > from) {
                kept.add(l.replaceAll("\\s+[0-9.]+ chars/s", "").replaceAll("  \\(best, saved to .*\\)", ""));
            }
        }
        return kept;
    }

    /**
     * A run stopped by --iterations and resumed with more: the schedules that do not depend on
     * --iterations (the cosine's end is --iterations, so its runs are split in
     * charrnn.train.OptimizerResumeTest, by stopping the trainer).
     */
    @ParameterizedTest(name = "{0}: split at {1}")
    @CsvSource(delimiter = ';', value = {
        // mid-warm-up, then into the step decay; element-wise and global clipping together
        "adagrad; 50; --lr-schedule step --lr-decay-every 30 --lr-decay-factor 0.7 --warmup 70 --clip-norm 0.5",
        // RMSprop mid-warm-up
        "rmsprop; 60; --warmup 80 --learning-rate 0.005",
        // AdamW, 2 layers of GRU with dropout
        "adam; 70; --weight-decay 0.1 --clip-norm 1 --cell gru --layers 2 --dropout 0.2 --warmup 20",
        // Adam's t must continue: an LSTM, a step schedule
        "adam; 45; --lr-schedule step --lr-decay-every 25 --cell lstm --beta1 0.8 --beta2 0.99"})
    void everyOptimizerResumesBitForBitMidWarmupAndMidSchedule(String optimizer, long split, String more) throws Exception {
        String[] extra = ("--optimizer " + optimizer + " " + more).split(" ");
        Path whole = dir.resolve("whole.ckpt");
        Path part = dir.resolve("part.ckpt");
        Cli one = Cli.run(args(whole, 120, extra));
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("optimizer: " + (more.contains("weight-decay") ? "adamw" : optimizer)), one.out());
        Cli first = Cli.run(args(part, split, extra));
        assertEquals(0, first.code(), first.err());
        Cli second = Cli.run("--resume", part.toString(), "--iterations", "120", corpus().toString());
        assertEquals(0, second.code(), second.err());

        TrainingState a = CheckpointFile.read(whole);
        TrainingState b = CheckpointFile.read(part);
        assertEquals(120, b.iteration());
        assertEquals(optimizer, b.hp().optim().optimizer().key());
        assertEquals(optimizer.equals("adam") ? 2 : 1, b.optimizerState().length);
        assertEquals(120, b.optimizerSteps());
        assertSameState(a, b);
        List<String> expected = linesAfter(one.out(), split);
        assertTrue(expected.size() >= 3, one.out());
        assertEquals(expected, linesAfter(second.out(), split));
    }

    @Test
    void theResultDoesNotDependOnTheThreads() throws Exception {
        String[] adam = {"--optimizer", "adam", "--lr-schedule", "cosine", "--warmup", "10", "--clip-norm", "2",
            "--batch-size", "20", "--cell", "gru"};
        Path one = dir.resolve("t1.ckpt");
        Path two = dir.resolve("t2.ckpt");
        List<String> a1 = new java.util.ArrayList<>(List.of(args(one, 60, adam)));
        a1.addAll(0, List.of("--threads", "1"));
        List<String> a2 = new java.util.ArrayList<>(List.of(args(two, 60, adam)));
        a2.addAll(0, List.of("--threads", "2"));
        assertEquals(0, Cli.run(a1.toArray(new String[0])).code());
        assertEquals(0, Cli.run(a2.toArray(new String[0])).code());
        assertSameState(CheckpointFile.read(one), CheckpointFile.read(two));
    }

    @Test
    void resumingWithAnotherOptimizerIsRefused() throws Exception {
        Path save = dir.resolve("a.ckpt");
        assertEquals(0, Cli.run(args(save, 30, "--optimizer", "rmsprop")).code());
        byte[] before = Files.readAllBytes(save);
        Cli r = Cli.run("--resume", save.toString(), "--optimizer", "adam", "--iterations", "60", corpus().toString());
        assertOneLine(r, ExitCode.USAGE, "--optimizer adam differs from the checkpoint's rmsprop");
        assertArrayEquals(before, Files.readAllBytes(save), "the checkpoint is left as it was");
        // the same optimizer named again is fine, and other knobs may change
        Cli same = Cli.run("--resume", save.toString(), "--optimizer", "rmsprop", "--decay-rate", "0.9",
                "--iterations", "40", corpus().toString());
        assertEquals(0, same.code(), same.err());
        assertEquals(0.9, CheckpointFile.read(save).hp().optim().decayRate());
    }

    @Test
    void theLearningRateIsPrintedAndLoggedAsTheScheduleSays() throws Exception {
        Path log = dir.resolve("run.csv");
        // lr 0.01, warm-up 20, cosine to 0.001 at 100: update 60 is half way
        Cli r = Cli.run(args(dir.resolve("l.ckpt"), 100, "--optimizer", "adam", "--learning-rate", "0.01",
                "--lr-schedule", "cosine", "--warmup", "20", "--min-lr", "0.001", "--log", log.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(log).get(0).endsWith(",lr"));
        List<MetricsLog.Row> rows = MetricsLog.read(log);
        assertEquals(5, rows.size());
        assertEquals(0.01, rows.get(0).learningRate(), 1e-9, "update 20: the end of the warm-up");
        assertEquals(0.0055, rows.get(2).learningRate(), 1e-9, "update 60: half way down");
        assertEquals(0.001, rows.get(4).learningRate(), 1e-9, "update 100: the minimum");
        Matcher m = Pattern.compile("^iter (\\d+) .* lr ([0-9.e+-]+) ", Pattern.MULTILINE).matcher(r.out());
        for (MetricsLog.Row row : rows) {
            assertTrue(m.find(), r.out());
            assertEquals(row.iteration(), Long.parseLong(m.group(1)));
            assertEquals(row.learningRate(), Double.parseDouble(m.group(2)), 1e-3 * row.learningRate());
        }
    }

    @Test
    void anOldLogIsContinuedWithoutTheNewColumn() throws Exception {
        Path log = dir.resolve("old.csv");
        Path save = dir.resolve("o.ckpt");
        assertEquals(0, Cli.run(args(save, 40, "--log", log.toString())).code());
        // the log as a charrnn without the lr column wrote it
        List<String> lines = Files.readAllLines(log);
        StringBuilder old = new StringBuilder();
        for (String l : lines) {
            old.append(l, 0, l.lastIndexOf(',')).append('\n');
        }
        Files.writeString(log, old);
        Cli r = Cli.run("--resume", save.toString(), "--iterations", "80", "--log", log.toString(), corpus().toString());
        assertEquals(0, r.code(), r.err());
        List<MetricsLog.Row> rows = MetricsLog.read(log);
        assertEquals(4, rows.size());
        assertEquals(80, rows.get(3).iteration());
        assertTrue(Double.isNaN(rows.get(3).learningRate()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--optimizer sgd; --optimizer",
        "--beta1 1; --beta1",
        "--beta2 -0.1; --beta2",
        "--decay-rate 1.5; --decay-rate",
        "--weight-decay 0.1; --weight-decay",
        "--optimizer adam --weight-decay -1; --weight-decay",
        "--lr-schedule linear; --lr-schedule",
        "--warmup -1; --warmup",
        "--lr-decay-every 0; --lr-decay-every",
        "--lr-decay-factor 0; --lr-decay-factor",
        "--lr-decay-factor 1.5; --lr-decay-factor",
        "--min-lr -1; --min-lr",
        "--min-lr NaN; --min-lr",
        "--clip-norm -1; --clip-norm",
        "--clip-norm Infinity; --clip-norm",
        "--lr-schedule cosine --warmup 100; --warmup",
        "--lr-schedule cosine --min-lr 0.5; --min-lr",
        "--learning-rate 0; --learning-rate"})
    void invalidValuesAreRefusedWithOneLine(String given, String named) throws Exception {
        Path save = dir.resolve("never.ckpt");
        Cli r = Cli.run(args(save, 100, given.split(" ")));
        assertOneLine(r, ExitCode.USAGE, named);
        assertFalse(Files.exists(save));
    }

    @Test
    void eachOptimizerHasItsOwnDefaultLearningRate() throws Exception {
        for (String[] o : new String[][] {{"adagrad", "lr 0.1,"}, {"rmsprop", "lr 0.002,"}, {"adam", "lr 0.002,"}}) {
            Cli r = Cli.run(args(dir.resolve(o[0] + ".ckpt"), 5, "--optimizer", o[0]));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(o[1]), r.out());
        }
    }
}
