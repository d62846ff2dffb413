package charrnn.cli;

import charrnn.data.Corpus;
import charrnn.data.InputException;
import charrnn.data.Vocabulary;
import charrnn.io.CheckpointFile;
import charrnn.model.Kernels;
import charrnn.model.Warmup;
import charrnn.train.Evaluator;
import charrnn.train.TrainingState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code charrnn eval}: how well a saved model predicts a text. */
@Command(name = "charrnn eval",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Prints the mean loss of a saved model on a UTF-8 text file, read in order from an empty "
                + "memory: nats and bits per character, and perplexity (e to the loss: the number of equally "
                + "likely characters the model is as unsure as). Characters outside the model's vocabulary "
                + "cannot be predicted: they are left out, counted and reported.")
final class EvalCommand implements Callable<Integer> {
    /** Unknown characters listed by name in the report. */
    private static final int LISTED = 10;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, description = "Checkpoint to evaluate.")
    Path checkpoint;

    @Parameters(paramLabel = "TEXTFILE", description = "UTF-8 text to evaluate on.")
    Path textFile;

    @CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = spec.commandLine().getOut();
        Map<Integer, Long> unknown = new TreeMap<>();
        TrainingState state = CheckpointFile.read(checkpoint);
        Warmup.start(Kernels.best(), state.hp().precision(), state.hp().cell(), state.hp().layers(),
                state.vocabulary().size(), false);
        Corpus text = Corpus.load(textFile, state.vocabulary(), unknown);
        if (text.length() < 2) {
            throw Failure.input(textFile + " has " + text.length()
                    + " character in the model's vocabulary; at least 2 are needed to predict one");
        }
        double loss = new Evaluator(state.params(), Evaluator.DEFAULT_WINDOW, state.hp().precision()).meanLoss(text.text(), 0, text.length());
        out.printf(Locale.ROOT, "eval %s: %d characters predicted, loss %.4f nats/char  %.4f bits/char  perplexity %.3f%n",
                textFile, text.length() - 1, loss, Reporter.bits(loss), Math.exp(loss));
        if (!unknown.isEmpty()) {
            long skipped = unknown.values().stream().mapToLong(Long::longValue).sum();
            String listed = unknown.entrySet().stream()
                    .sorted(Map.Entry.<Integer, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(LISTED)
                    .map(e -> Vocabulary.describe(e.getKey()) + " ×" + e.getValue())
                    .collect(Collectors.joining(", "));
            out.printf(Locale.ROOT, "outside the vocabulary: %d characters skipped, %d distinct: %s%s%n",
                    skipped, unknown.size(), listed, unknown.size() > LISTED ? ", ..." : "");
        }
        SampleCommand.requireOpen(out);
        return ExitCode.OK;
    }
}
