package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliTest {
    @TempDir
    Path dir;

    private Path corpus() throws IOException {
        Path p = dir.resolve("corpus.txt");
        Files.writeString(p, "the cat sat on the mat. the dog sat on the log.\n".repeat(20), StandardCharsets.UTF_8);
        return p;
    }

    /** One line on stderr, naming the problem, and no stack trace. */
    private static void assertOneLineError(Cli r, int code, String mentions) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        assertEquals(1, r.errLines().length, "exactly one line on stderr: " + r.err());
        assertTrue(r.err().contains(mentions), "stderr should mention '" + mentions + "': " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Cli r = Cli.run("--help");
        assertEquals(ExitCode.OK, r.code());
        String help = r.out().replaceAll("\\s+", " ");   // as one line, whatever the wrapping
        for (String option : new String[] {"--hidden", "--seq-length", "--learning-rate", "--sample-length",
                "--iterations", "--print-every", "--sample-every", "--seed", "--clip", "--gradcheck",
                "--batch-size", "--layers", "--dropout", "--optimizer", "--beta1", "--beta2", "--decay-rate",
                "--weight-decay", "--lr-schedule", "--warmup", "--lr-decay-every", "--lr-decay-factor", "--min-lr",
                "--clip-norm", "--help", "--version"}) {
            assertTrue(help.contains(option), option + " missing from --help");
        }
        for (String dflt : new String[] {"default: 100)", "default: 25)", "default: 0.1 for adagrad", "default: 200)",
                "default: 50000", "default: 5.0)", "default: 42)", "default: 1000)"}) {
            assertTrue(help.contains(dflt), "'" + dflt + "' missing from --help");
        }
        assertTrue(r.err().isEmpty());
    }

    @Test
    void everyCommandTheHelpListsHasItsOwnHelp() {
        String help = Cli.run("--help").out();
        for (String command : new String[] {"sample", "eval", "plot"}) {
            assertTrue(help.contains("charrnn " + command + " "), command + " missing from --help");
            Cli r = Cli.run(command, "--help");
            assertEquals(ExitCode.OK, r.code(), command);
            assertTrue(r.out().startsWith("Usage: charrnn " + command + " "), r.out());
            Cli bare = Cli.run(command);
            assertEquals(ExitCode.USAGE, bare.code(), command + " without its required arguments");
            assertEquals(1, bare.errLines().length, bare.err());
        }
    }

    @Test
    void versionIsPrinted() {
        Cli r = Cli.run("--version");
        assertEquals(ExitCode.OK, r.code());
        assertTrue(r.out().startsWith("charrnn "));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--hidden, 0, --hidden",
        "--hidden, -3, --hidden",
        "--hidden, many, --hidden",
        "--seq-length, 0, --seq-length",
        "--batch-size, 0, --batch-size",
        "--learning-rate, 0, --learning-rate",
        "--learning-rate, -0.1, --learning-rate",
        "--learning-rate, NaN, --learning-rate",
        "--learning-rate, Infinity, --learning-rate",
        "--clip, -1, --clip",
        "--clip, NaN, --clip",
        "--iterations, 0, --iterations",
        "--print-every, 0, --print-every",
        "--sample-every, -1, --sample-every",
        "--sample-length, 0, --sample-length",
        "--time-limit, -1, --time-limit",
        "--time-limit, NaN, --time-limit",
        "--sample-length, 1000001, --sample-length",
        "--seed, x, --seed",
        "--layers, 0, --layers",
        "--layers, 65, --layers",
        "--dropout, -0.1, --dropout",
        "--dropout, 1, --dropout",
        "--dropout, NaN, --dropout",
        "--no-such-option, 1, --no-such-option",
    })
    void invalidOptionValuesAreRefusedWithAUsageCode(String option, String value, String mentions) throws IOException {
        Cli r = Cli.run(option, value, corpus().toString());
        assertOneLineError(r, ExitCode.USAGE, mentions);
        assertTrue(r.out().isEmpty(), "nothing on stdout: " + r.out());
    }

    @Test
    void aMissingCorpusArgumentIsAUsageError() {
        assertOneLineError(Cli.run("--hidden", "10"), ExitCode.USAGE, "CORPUS");
    }

    @Test
    void aSequenceLongerThanTheCorpusIsAUsageError() throws IOException {
        Path p = dir.resolve("short.txt");
        Files.writeString(p, "abcdefghij");   // 10 characters: room for T = 9, not 10
        assertOneLineError(Cli.run("--seq-length", "10", p.toString()), ExitCode.USAGE, "--seq-length");
        Cli ok = Cli.run("--save", dir.resolve("ok.ckpt").toString(), "--seq-length", "9", "--hidden", "4", "--iterations", "3", "--sample-every", "0", p.toString());
        assertEquals(ExitCode.OK, ok.code(), ok.err());
    }

    @Test
    void aMissingFileIsNamed() {
        Path p = dir.resolve("nope.txt");
        assertOneLineError(Cli.run(p.toString()), ExitCode.INPUT, "no such file");
    }

    @Test
    void aDirectoryIsRefused() {
        assertOneLineError(Cli.run(dir.toString()), ExitCode.INPUT, "is a directory");
    }

    @Test
    void anUnreadableFileIsRefused() throws IOException {
        Path p = corpus();
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(p), "running as root: every file is readable");
        assertOneLineError(Cli.run(p.toString()), ExitCode.INPUT, "permission denied");
    }

    @Test
    void anEmptyFileIsRefused() throws IOException {
        Path p = Files.createFile(dir.resolve("empty.txt"));
        assertOneLineError(Cli.run(p.toString()), ExitCode.INPUT, "is empty");
    }

    @Test
    void aSingleDistinctCharacterIsRefused() throws IOException {
        Path p = dir.resolve("aaaa.txt");
        Files.writeString(p, "a".repeat(500));
        assertOneLineError(Cli.run(p.toString()), ExitCode.INPUT, "only one distinct character");
    }

    @Test
    void malformedUtf8IsRefusedWithItsByteOffset() throws IOException {
        Path p = dir.resolve("latin1.txt");
        byte[] bytes = "caf\u00e9 au lait, ".repeat(5).getBytes(StandardCharsets.ISO_8859_1);
        Files.write(p, bytes);   // 0xE9 at offset 3, followed by a space: not UTF-8
        assertOneLineError(Cli.run(p.toString()), ExitCode.INPUT, "byte offset 3");
    }

    @Test
    void gradcheckPassesAndPrintsEveryMatrix() throws IOException {
        Cli r = Cli.run("--gradcheck", "--hidden", "12", "--seq-length", "6", corpus().toString());
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        for (String name : new String[] {"Wxh", "Whh", "Why", "bh ", "by "}) {
            assertTrue(r.out().contains("  " + name), name + " missing: " + r.out());
        }
        assertTrue(r.out().contains("PASS"));
    }

    @Test
    void gradcheckPassesForTheGatedCells() throws IOException {
        for (String cell : new String[] {"gru", "lstm"}) {
            Cli r = Cli.run("--cell", cell, "--gradcheck", "--hidden", "10", "--seq-length", "5", "--batch-size", "2",
                    corpus().toString());
            assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("gradient check: " + cell.toUpperCase()), r.out());
            assertTrue(r.out().contains("PASS"));
        }
        Cli bad = Cli.run("--cell", "lstm2", corpus().toString());
        assertEquals(ExitCode.USAGE, bad.code());
        assertTrue(bad.err().contains("--cell"), bad.err());
    }

    @Test
    void gradcheckCoversEveryLayerWithDropout() throws IOException {
        for (String cell : new String[] {"rnn", "gru", "lstm"}) {
            Cli r = Cli.run("--cell", cell, "--layers", "3", "--dropout", "0.5", "--gradcheck", "--hidden", "8",
                    "--seq-length", "5", "--batch-size", "2", corpus().toString());
            assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("3 layers, dropout 0.5, H=8"), r.out());
            for (String name : new String[] {"Wxh1", "Whh1", "bh1", "Why", "by", "Wxh2", "Whh2", "bh2", "Wxh3", "Whh3", "bh3"}) {
                assertTrue(r.out().contains("  " + name + " "), name + " missing: " + r.out());
            }
            assertTrue(r.out().contains("PASS"), r.out());
        }
    }

    @Test
    void dropoutWithOneLayerIsRefused() throws IOException {
        Cli r = Cli.run("--dropout", "0.2", corpus().toString());
        assertOneLineError(r, ExitCode.USAGE, "--layers 2 or more");
    }

    @Test
    void aTimeLimitStopsTrainingAndSavesIt() throws IOException {
        Path save = dir.resolve("limited.ckpt");
        Cli r = Cli.run("--save", save.toString(), "--time-limit", "0.5", "--iterations", "100000000",
                "--print-every", "1000", "--sample-every", "0", "--val-fraction", "0", corpus().toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*time limit of 0.5 s reached at iteration \\d+\n.*"), r.out());
        assertTrue(r.out().contains("saved " + save), r.out());
    }

    @Test
    void trainingPrintsLossLinesSamplesAndASummary() throws IOException {
        Cli r = Cli.run("--save", dir.resolve("t.ckpt").toString(), "--hidden", "16", "--seq-length", "10", "--iterations", "200", "--print-every", "50",
                "--sample-every", "100", "--sample-length", "30", corpus().toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertEquals(4, r.out().lines().filter(l -> l.startsWith("iter ")).count());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("----- sample at iter")).count());
        assertTrue(r.out().contains("vocabulary of 15 symbols"), r.out());
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("chars_per_s="), last);
        // 200 updates: updates 64, 128 and 192 were probed (whatever they allocated, a count)
        assertTrue(last.matches(".* heap_bytes_per_update=\\d+$"), last);
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void aRunTooShortToProbeSaysSo() throws IOException {
        Cli r = Cli.run("--save", dir.resolve("s.ckpt").toString(), "--hidden", "8", "--iterations", "60",
                "--sample-every", "0", corpus().toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.endsWith(" heap_bytes_per_update=-1"), last);
    }
}
