package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Precision;
import charrnn.io.CheckpointFile;
import charrnn.sample.Sampler;
import charrnn.train.TrainingState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleEvalTest {
    @TempDir
    static Path dir;
    static Path corpus;
    static Path model;

    @BeforeAll
    static void train() throws Exception {
        corpus = dir.resolve("c.txt");
        StringBuilder sb = new StringBuilder();
        String[] words = {"alpha ", "beta ", "gamma ", "delta\n", "epsilon, "};
        charrnn.model.Rng rng = new charrnn.model.Rng(3);
        while (sb.length() < 20_000) {
            sb.append(words[(int) (rng.nextDouble() * words.length)]);
        }
        Files.writeString(corpus, sb.toString());
        model = dir.resolve("m.ckpt");
        Cli r = Cli.run("--hidden", "24", "--seq-length", "16", "--iterations", "600", "--sample-every", "0",
                "--print-every", "600", "--val-fraction", "0", "--save", model.toString(), corpus.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void theSameSeedGivesTheSameTextAndAnotherSeedOther() {
        Cli a = Cli.run("sample", "--checkpoint", model.toString(), "--length", "300", "--seed", "1");
        Cli b = Cli.run("sample", "--checkpoint", model.toString(), "--length", "300", "--seed", "1");
        Cli c = Cli.run("sample", "--checkpoint", model.toString(), "--length", "300", "--seed", "2");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertNotEquals(a.out(), c.out());
        assertTrue(a.err().isEmpty());
        assertEquals(301, a.out().stripTrailing().codePointCount(0, a.out().stripTrailing().length()) + trailingSpace(a.out()));
    }

    private static int trailingSpace(String out) {
        String body = out.substring(0, out.length() - 1);   // the final newline is not part of the text
        return body.length() - body.stripTrailing().length();
    }

    @Test
    void aLongSampleIsTheSameTextWrittenInChunks() {
        Cli longer = Cli.run("sample", "--checkpoint", model.toString(), "--length", "10000", "--seed", "4");
        Cli shorter = Cli.run("sample", "--checkpoint", model.toString(), "--length", "300", "--seed", "4");
        assertEquals(0, longer.code(), longer.err());
        String a = longer.out();
        String b = shorter.out().substring(0, shorter.out().length() - 1);   // without the final newline
        assertTrue(a.startsWith(b), "the first 300 characters agree whatever the length");
        assertEquals(10_001, a.substring(0, a.length() - 1).codePointCount(0, a.length() - 1));
    }

    @Test
    void thePrimeIsPrintedFirstAndArgmaxIgnoresTheSeed() {
        Cli a = Cli.run("sample", "--checkpoint", model.toString(), "--prime", "gamma ", "--length", "50", "--argmax", "--seed", "1");
        Cli b = Cli.run("sample", "--checkpoint", model.toString(), "--prime", "gamma ", "--length", "50", "--argmax", "--seed", "9");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().startsWith("gamma "), a.out());
        assertEquals(a.out(), b.out());
    }

    @Test
    void anUnknownPrimeCharacterIsNamed() {
        Cli r = Cli.run("sample", "--checkpoint", model.toString(), "--prime", "alphaZ");
        assertEquals(ExitCode.USAGE, r.code());
        assertEquals(1, r.errLines().length);
        assertTrue(r.err().contains("'Z' (U+005A) is not in the model's vocabulary"), r.err());
        assertTrue(r.out().isEmpty());
    }

    @Test
    void invalidTemperaturesAreRefused() {
        for (String t : new String[] {"0", "-1", "NaN", "Infinity"}) {
            Cli r = Cli.run("sample", "--checkpoint", model.toString(), "--temperature", t);
            assertEquals(ExitCode.USAGE, r.code(), t);
            assertTrue(r.err().contains("--temperature"), r.err());
        }
    }

    @Test
    void invalidTopKAndTopPAreRefusedWithOneLine() {
        for (String[] bad : new String[][] {{"--top-k", "-1"}, {"--top-p", "0"}, {"--top-p", "1.5"}, {"--top-p", "NaN"},
                {"--top-k", "x"}}) {
            Cli r = Cli.run("sample", "--checkpoint", model.toString(), bad[0], bad[1]);
            assertEquals(ExitCode.USAGE, r.code(), bad[0] + " " + bad[1]);
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().contains(bad[0]), r.err());
        }
    }

    @Test
    void topKAndTopPKeepTheSeedsText() {
        Cli a = Cli.run("sample", "--checkpoint", model.toString(), "--length", "300", "--seed", "1", "--top-p", "0.9",
                "--top-k", "6", "--temperature", "1.2");
        Cli b = Cli.run("sample", "--checkpoint", model.toString(), "--length", "300", "--seed", "1", "--top-p", "0.9",
                "--top-k", "6", "--temperature", "1.2");
        Cli plain = Cli.run("sample", "--checkpoint", model.toString(), "--length", "300", "--seed", "1",
                "--temperature", "1.2");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertNotEquals(a.out(), plain.out(), "the cut changes the text");
        // top-1 is greedy decoding, whatever the seed
        Cli top1 = Cli.run("sample", "--checkpoint", model.toString(), "--prime", "gamma ", "--length", "80",
                "--top-k", "1", "--seed", "7");
        Cli greedy = Cli.run("sample", "--checkpoint", model.toString(), "--prime", "gamma ", "--length", "80",
                "--argmax");
        assertEquals(greedy.out(), top1.out());
    }

    /** Entropy, in nats, of the characters of a text. */
    private static double unigramEntropy(String text) {
        Map<Integer, Integer> counts = new HashMap<>();
        text.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        double n = text.codePointCount(0, text.length());
        double h = 0;
        for (int c : counts.values()) {
            h -= c / n * Math.log(c / n);
        }
        return h;
    }

    @Test
    void lowerTemperatureGivesLessVariedText() {
        double previous = -1;
        for (String t : new String[] {"0.3", "1.0", "2.0"}) {
            Cli r = Cli.run("sample", "--checkpoint", model.toString(), "--length", "6000", "--temperature", t);
            double h = unigramEntropy(r.out());
            assertTrue(h > previous, "entropy at temperature " + t + " is " + h + ", not above " + previous);
            previous = h;
        }
    }

    @Test
    void evalOnTheTrainingCorpusAgreesWithAStepByStepComputation() throws Exception {
        Cli r = Cli.run("eval", "--checkpoint", model.toString(), corpus.toString());
        assertEquals(0, r.code(), r.err());
        TrainingState s = CheckpointFile.read(model);
        int[] x = Files.readString(corpus).codePoints().map(c -> s.vocabulary().indexOf(c)).toArray();
        Sampler sampler = new Sampler(s.params(), Precision.FLOAT64);
        double[] p = new double[s.vocabulary().size()];
        double total = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            sampler.feed(x[i]);
            sampler.probabilities(1.0, p);
            total -= Math.log(p[x[i + 1]]);
        }
        double loss = total / (x.length - 1);
        String expected = String.format(java.util.Locale.ROOT, "%d characters predicted, loss %.4f nats/char  %.4f bits/char  perplexity %.3f",
                x.length - 1, loss, loss / Math.log(2), Math.exp(loss));
        assertTrue(r.out().contains(expected), r.out() + " vs " + expected);
        assertTrue(loss < 0.75 * Math.log(s.vocabulary().size()), "the model learned something: " + loss);
    }

    @Test
    void evalCountsAndReportsCharactersOutsideTheVocabulary() throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "alpha beta Ωmega gamma ΩΩ delta\n", StandardCharsets.UTF_8);
        Cli r = Cli.run("eval", "--checkpoint", model.toString(), text.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("outside the vocabulary: 3 characters skipped, 1 distinct: 'Ω' (U+03A9) ×3"), r.out());
        assertTrue(r.out().contains("28 characters predicted"), r.out());   // 32 characters, 3 unknown, the first not predicted
    }

    @Test
    void evalRefusesABadCheckpoint() throws Exception {
        Cli r = Cli.run("eval", "--checkpoint", corpus.toString(), corpus.toString());
        assertEquals(ExitCode.INPUT, r.code());
        assertEquals(1, r.errLines().length);
        assertTrue(r.err().contains("not a charrnn checkpoint"), r.err());
    }
}
