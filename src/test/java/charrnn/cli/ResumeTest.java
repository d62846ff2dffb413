package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.io.CheckpointFile;
import charrnn.model.Params;
import charrnn.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
    @TempDir
    Path dir;

    private Path corpus() throws Exception {
        Path p = dir.resolve("c.txt");
        Files.writeString(p, "a stitch in time saves nine; a rolling stone gathers no moss.\n".repeat(40));
        return p;
    }

    private static String[] args(Path corpus, Path save, long iterations, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--hidden", "16", "--seq-length", "9", "--batch-size", "2",
                "--iterations", Long.toString(iterations), "--print-every", "25", "--sample-every", "50",
                "--sample-length", "40", "--eval-every", "50", "--checkpoint-every", "40", "--val-fraction", "0.1",
                "--seed", "5", "--save", save.toString()));
        a.addAll(List.of(more));
        a.add(corpus.toString());
        return a.toArray(new String[0]);
    }

    /** Loss, validation and sample lines from iteration {@code from} on, timings removed. */
    private static List<String> linesAfter(String out, long from) {
        List<String> kept = new java.util.ArrayList<>();
        boolean on = false;
        for (String l : out.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:val )?iter (\\d+)|^----- sample at iter (\\d+)").matcher(l);
            if (m.find()) {
                long it = Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
                on = it > from;
            } else if (l.startsWith("saved ") || l.startsWith("done") || l.startsWith("chars_per_s")) {
                on = false;
            }
            if (on) {
                kept.add(l.replaceAll("\\s+[0-9.]+ chars/s", "").replaceAll("  \\(best, saved to .*\\)", ""));
            }
        }
        return kept;
    }

    @Test
    void stoppingAndResumingGivesTheSameRunBitForBit() throws Exception {
        Path corpus = corpus();
        Path whole = dir.resolve("whole.ckpt");
        Path split = dir.resolve("split.ckpt");
        Cli one = Cli.run(args(corpus, whole, 300));
        assertEquals(0, one.code(), one.err());
        Cli first = Cli.run(args(corpus, split, 130));
        assertEquals(0, first.code(), first.err());
        Cli second = Cli.run("--resume", split.toString(), "--iterations", "300", "--print-every", "25", corpus.toString());
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("resuming " + split + " at iteration 130 of 300"), second.out());

        TrainingState a = CheckpointFile.read(whole);
        TrainingState b = CheckpointFile.read(split);
        assertEquals(300, b.iteration());
        for (String name : a.params().names()) {
            assertArrayEquals(a.params().get(name).data, b.params().get(name).data, name);
            assertArrayEquals(a.memory().get(name).data, b.memory().get(name).data, "m" + name);
        }
        assertArrayEquals(a.hidden().data, b.hidden().data);
        assertArrayEquals(a.positions(), b.positions());
        assertEquals(a.smoothLoss(), b.smoothLoss());
        assertEquals(a.sampleRngState(), b.sampleRngState());
        assertEquals(a.bestValLoss(), b.bestValLoss());
        assertEquals(a.bestValIteration(), b.bestValIteration());

        List<String> expected = linesAfter(one.out(), 130);
        assertTrue(expected.stream().anyMatch(l -> l.startsWith("----- sample")), "samples are compared too");
        assertTrue(expected.stream().anyMatch(l -> l.startsWith("val iter")), "validation is compared too");
        assertEquals(expected, linesAfter(second.out(), 130));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(charrnn.config.Cell.class)
    void aStackWithDropoutResumesExactlyAndItsCheckpointEvaluatesAsTrainingDid(charrnn.config.Cell cell) throws Exception {
        Path corpus = corpus();
        Path whole = dir.resolve(cell.key() + "-stack-whole.ckpt");
        Path split = dir.resolve(cell.key() + "-stack-split.ckpt");
        String[] stack = {"--cell", cell.key(), "--layers", "2", "--dropout", "0.3"};
        Cli one = Cli.run(args(corpus, whole, 100, stack));
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("model " + cell.title() + ": 2 layers, dropout 0.3, H=16"), one.out());
        assertEquals(0, Cli.run(args(corpus, split, 60, stack)).code());
        Cli second = Cli.run("--resume", split.toString(), "--iterations", "100", corpus.toString());
        assertEquals(0, second.code(), second.err());

        TrainingState a = CheckpointFile.read(whole);
        TrainingState b = CheckpointFile.read(split);
        assertEquals(2, b.hp().layers());
        assertEquals(0.3, b.hp().dropout());
        assertEquals(8, b.params().all().length);
        assertEquals(2 * cell.stateWidth(16), b.hidden().numCols);
        for (int k = 0; k < 8; k++) {
            assertArrayEquals(a.params().all()[k].data, b.params().all()[k].data, a.params().names()[k]);
            assertArrayEquals(a.memory().all()[k].data, b.memory().all()[k].data, "m" + a.params().names()[k]);
        }
        assertArrayEquals(a.hidden().data, b.hidden().data);
        assertEquals(linesAfter(one.out(), 60), linesAfter(second.out(), 60));

        // eval of the held-out tail (the last 10%) from the checkpoint, without dropout, is the
        // validation loss the trainer printed at the same update
        String text = Files.readString(corpus);
        Path tail = dir.resolve(cell.key() + "-tail.txt");
        Files.writeString(tail, text.substring(text.length() - text.length() / 10));
        java.util.regex.Matcher val = java.util.regex.Pattern.compile("val iter 100  loss ([0-9.]+) nats").matcher(one.out());
        assertTrue(val.find(), one.out());
        Cli eval = Cli.run("eval", "--checkpoint", whole.toString(), tail.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("loss " + val.group(1) + " nats"), eval.out() + " vs " + val.group(0));

        Cli sample = Cli.run("sample", "--checkpoint", split.toString(), "--prime", "a stitch", "--length", "40");
        assertEquals(0, sample.code(), sample.err());
        assertTrue(sample.out().startsWith("a stitch"));

        Cli deeper = Cli.run("--resume", split.toString(), "--layers", "3", corpus.toString());
        assertEquals(ExitCode.USAGE, deeper.code());
        assertTrue(deeper.err().contains("--layers 3 differs from the checkpoint's 2"), deeper.err());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = charrnn.config.Cell.class, names = {"GRU", "LSTM"})
    void aGatedRunResumesExactlyAndKeepsItsCell(charrnn.config.Cell cell) throws Exception {
        Path corpus = corpus();
        Path whole = dir.resolve(cell.key() + "-whole.ckpt");
        Path split = dir.resolve(cell.key() + "-split.ckpt");
        assertEquals(0, Cli.run(args(corpus, whole, 120, "--cell", cell.key())).code());
        assertEquals(0, Cli.run(args(corpus, split, 70, "--cell", cell.key())).code());
        Cli resumed = Cli.run("--resume", split.toString(), "--iterations", "120", corpus.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("model " + cell.title()), resumed.out());
        TrainingState a = CheckpointFile.read(whole);
        TrainingState b = CheckpointFile.read(split);
        assertEquals(cell, b.hp().cell());
        assertEquals(cell.gates() * 16, b.params().Whh[0].numRows);
        assertEquals(cell.stateWidth(16), b.hidden().numCols);
        assertArrayEquals(a.hidden().data, b.hidden().data);
        for (String name : a.params().names()) {
            assertArrayEquals(a.params().get(name).data, b.params().get(name).data, name);
        }
        Cli other = Cli.run("--resume", split.toString(), "--cell", "rnn", corpus.toString());
        assertEquals(ExitCode.USAGE, other.code());
        assertTrue(other.err().contains("--cell rnn differs from the checkpoint's " + cell.key()), other.err());

        Cli sample = Cli.run("sample", "--checkpoint", split.toString(), "--prime", "a stitch", "--length", "40");
        assertEquals(0, sample.code(), sample.err());
        assertTrue(sample.out().startsWith("a stitch"));
        Cli eval = Cli.run("eval", "--checkpoint", split.toString(), corpus.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("characters predicted, loss "), eval.out());
    }

    @Test
    void theBestCheckpointIsKeptAlongsideTheLatest() throws Exception {
        Path corpus = corpus();
        Path save = dir.resolve("run.ckpt");
        Cli r = Cli.run(args(corpus, save, 200));
        assertEquals(0, r.code(), r.err());
        TrainingState best = CheckpointFile.read(dir.resolve("run.best.ckpt"));
        TrainingState last = CheckpointFile.read(save);
        assertEquals(last.bestValIteration(), best.iteration());
        assertEquals(last.bestValLoss(), best.bestValLoss());
    }

    @Test
    void aCorpusWithAnotherVocabularyIsRefused() throws Exception {
        Path corpus = corpus();
        Path save = dir.resolve("v.ckpt");
        assertEquals(0, Cli.run(args(corpus, save, 20)).code());
        byte[] before = Files.readAllBytes(save);
        Path other = dir.resolve("other.txt");
        Files.writeString(other, "A STITCH IN TIME SAVES NINE.\n".repeat(40));
        Cli r = Cli.run("--resume", save.toString(), other.toString());
        assertEquals(ExitCode.INPUT, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("vocabulary"), r.err());
        assertArrayEquals(before, Files.readAllBytes(save));
    }

    @Test
    void aCorpusOfAnotherLengthIsRefused() throws Exception {
        Path corpus = corpus();
        Path save = dir.resolve("l.ckpt");
        assertEquals(0, Cli.run(args(corpus, save, 20)).code());
        Path longer = dir.resolve("longer.txt");
        Files.writeString(longer, Files.readString(corpus) + "a stitch in time saves nine.\n");
        Cli r = Cli.run("--resume", save.toString(), longer.toString());
        assertEquals(ExitCode.INPUT, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("trained on a corpus of 2480 characters, this one has 2509"), r.err());
    }

    @Test
    void theModelShapeCannotChangeOnResume() throws Exception {
        Path corpus = corpus();
        Path save = dir.resolve("s.ckpt");
        assertEquals(0, Cli.run(args(corpus, save, 20)).code());
        Cli r = Cli.run("--resume", save.toString(), "--hidden", "32", corpus.toString());
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("--hidden 32 differs from the checkpoint's 16"), r.err());
    }

    @Test
    void aCorruptedCheckpointIsRefusedAndLeftAsItIs() throws Exception {
        Path corpus = corpus();
        Path save = dir.resolve("bad.ckpt");
        assertEquals(0, Cli.run(args(corpus, save, 20)).code());
        byte[] bytes = Files.readAllBytes(save);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(save, bytes);
        Cli r = Cli.run("--resume", save.toString(), corpus.toString());
        assertEquals(ExitCode.INPUT, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("corrupted"), r.err());
        assertArrayEquals(bytes, Files.readAllBytes(save));
        assertTrue(r.out().isEmpty());
    }

    @Test
    void checkpointsThatCannotBeWrittenStopTheRunBeforeItStarts() throws Exception {
        Path corpus = corpus();
        Files.writeString(dir.resolve("file"), "x");
        Cli r = Cli.run(args(corpus, dir.resolve("file").resolve("x.ckpt"), 20));
        assertEquals(ExitCode.OUTPUT, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("cannot write " + dir.resolve("file").resolve("x.ckpt")), r.err());
    }

    @Test
    void aCheckpointThatFailsMidRunStopsTrainingAndKeepsThePreviousOne() throws Exception {
        Path corpus = corpus();
        Path save = dir.resolve("mid.ckpt");
        assertEquals(0, Cli.run(args(corpus, save, 20)).code());
        byte[] before = Files.readAllBytes(save);
        // the best checkpoint, first written at the first validation (update 50), cannot be written
        Files.createDirectory(CheckpointFile.temporary(dir.resolve("mid.best.ckpt")));
        Cli r = Cli.run(args(corpus, save, 300));
        assertEquals(ExitCode.OUTPUT, r.code(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("cannot write checkpoint " + dir.resolve("mid.best.ckpt") + " at iteration 50"), r.err());
        assertTrue(r.err().contains("training stopped"), r.err());
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("iter 75")), "no training after the failure");
        TrainingState kept = CheckpointFile.read(save);
        assertEquals(40, kept.iteration(), "the periodic checkpoint written before the failure");
        assertTrue(before.length > 0);
    }

    @Test
    void aDivergingRunStopsWithAHintAndKeepsTheLastCheckpoint() throws Exception {
        Path corpus = corpus();
        Path save = dir.resolve("nan.ckpt");
        assertEquals(0, Cli.run(args(corpus, save, 20)).code());
        byte[] before = Files.readAllBytes(save);
        Cli r = Cli.run(args(corpus, save, 100, "--learning-rate", "1e308", "--clip", "0"));
        assertEquals(ExitCode.FAILED, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().matches("(?s).*diverged: the loss became NaN at iteration \\d+; try a lower --learning-rate.*"), r.err());
        assertArrayEquals(before, Files.readAllBytes(save));
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("saved")), r.out());
    }

    static List<String> nonEmpty(String s) {
        return s.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    }
}
