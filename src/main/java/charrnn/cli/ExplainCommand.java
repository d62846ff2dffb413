package charrnn.cli;

import charrnn.data.InputException;
import charrnn.data.TextPrefix;
import charrnn.explain.Page;
import charrnn.explain.Reading;
import charrnn.io.CheckpointFile;
import charrnn.io.OutputException;
import charrnn.io.OutputFile;
import charrnn.train.TrainingState;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code charrnn explain}: a text as a saved model reads it, on one HTML page. */
@Command(name = "charrnn explain",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Writes one self-contained HTML page showing a UTF-8 text as a saved model reads it, from an "
                + "empty memory as eval does: each character shaded by its surprise (−log₂ p), the model's top 5 "
                + "guesses on hover or keyboard focus, the bits per character and where they went, the text "
                + "shaded by any hidden unit, units found to follow the line position, quotes, brackets or words, "
                + "and with --compare a second model on the same text.",
        footer = {"", "Exit codes: 0 success; 2 bad option; 3 unusable checkpoint or text; 4 cannot write the page "
                + "(it exists and charrnn did not write it, or it is one of the inputs)."})
final class ExplainCommand implements Callable<Integer> {
    /** Default of --max-chars: a page of this many characters stays responsive in a browser. */
    static final int DEFAULT_MAX_CHARS = 20_000;
    /** Largest --max-chars: a page of a million characters is already about 250 MB at H=100. */
    static final int MAX_CHARS_LIMIT = 1_000_000;
    /** How much of an existing file is searched for the marker of a page charrnn wrote. */

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, description = "Checkpoint to explain.")
    Path checkpoint;

    @Parameters(paramLabel = "TEXTFILE", description = "UTF-8 text to read with the model.")
    Path textFile;

    @Option(names = {"-o", "--output"}, paramLabel = "PAGE.html",
            description = "Page to write (default: the text's name with .html, in the current folder). "
                    + "An existing file is replaced only if charrnn explain wrote it.")
    Path output;

    @Option(names = "--compare", paramLabel = "OTHER", description = "A second checkpoint of the same vocabulary, "
            + "shown against the first on the same text.")
    Path compare;

    @Option(names = "--max-chars", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_CHARS,
            description = "Show at most the first N characters of the text (default: ${DEFAULT-VALUE}).")
    int maxChars;

    @CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InputException, OutputException {
        PrintWriter out = spec.commandLine().getOut();
        if (maxChars < 2 || maxChars > MAX_CHARS_LIMIT) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-chars must be between 2 and " + MAX_CHARS_LIMIT + ", not " + maxChars);
        }
        Path page = output != null ? output : defaultOutput(textFile);
        List<Path> inputs = new ArrayList<>(List.of(checkpoint, textFile));
        if (compare != null) {
            inputs.add(compare);
        }
        OutputFile.requireReplaceable(page, OutputFile.Kind.HTML, inputs);
        TrainingState a = CheckpointFile.read(checkpoint);
        TrainingState b = null;
        if (compare != null) {
            b = CheckpointFile.read(compare);
            if (!b.vocabulary().equals(a.vocabulary())) {
                throw Failure.input(compare + " has another vocabulary than " + checkpoint
                        + " (" + b.vocabulary().size() + " symbols against " + a.vocabulary().size()
                        + "): two models are compared on the same characters");
            }
        }
        TextPrefix text = TextPrefix.read(textFile, maxChars);
        int[] cps = text.codePoints();
        int known = 0;
        for (int cp : cps) {
            known += a.vocabulary().contains(cp) ? 1 : 0;
        }
        if (known < 2) {
            throw Failure.input(textFile + (text.truncated() ? " starts with " : " has ") + known
                    + (known == 1 ? " character" : " characters") + " in the model's vocabulary"
                    + (text.truncated() ? " in its first " + maxChars : "") + "; at least 2 are needed to predict one");
        }
        Reading ra = Reading.of(a.params(), a.hp().cell(), a.vocabulary(), cps);
        Page.Model ma = new Page.Model(checkpoint.toString(), ra);
        Page.Model mb = null;
        if (b != null) {
            mb = new Page.Model(compare.toString(), Reading.of(b.params(), b.hp().cell(), b.vocabulary(), cps));
        }
        byte[] html = Page.render(textFile.toString(), text.truncated(), ma, mb).getBytes(StandardCharsets.UTF_8);
        OutputFile.write(page, OutputFile.Kind.HTML, html);
        double nats = ra.meanNats();
        out.printf(Locale.ROOT, "explain %s: %d characters shown%s, %d predicted, %.4f bits/char (%.4f nats/char)%n",
                textFile, cps.length, text.truncated() ? " (the first " + maxChars + ")" : "", ra.read() - 1,
                nats / Math.log(2), nats);
        if (mb != null) {
            double other = mb.reading().meanNats();
            out.printf(Locale.ROOT, "compare %s: %.4f bits/char, %+.4f against %s%n",
                    compare, other / Math.log(2), (other - nats) / Math.log(2), checkpoint);
        }
        out.printf(Locale.ROOT, "wrote %s (%d bytes)%n", page, html.length);
        SampleCommand.requireOpen(out);
        return ExitCode.OK;
    }

    /** The text's file name with its extension replaced by .html, in the current folder. */
    static Path defaultOutput(Path text) {
        String name = text.getFileName() == null ? "text" : text.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return Path.of((dot > 0 ? name.substring(0, dot) : name) + ".html");
    }
}
