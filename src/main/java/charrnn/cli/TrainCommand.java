package charrnn.cli;

import charrnn.check.GradientCheck;
import charrnn.config.Hyperparameters;
import charrnn.data.Corpus;
import charrnn.data.InputException;
import charrnn.data.Windows;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.train.DivergedException;
import charrnn.train.Trainer;
import charrnn.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The root command: trains a character-level RNN on a corpus, or checks its gradients. */
@Command(name = "charrnn",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Trains a character-level language model (a single-layer tanh RNN) on a UTF-8 "
                + "text file, printing the falling loss and text sampled from the model as it learns.",
        footer = {"",
            "Loss is the mean cross-entropy of the next character, in nats and in bits per character; "
                + "an untrained model scores about ln V nats (V = vocabulary size).",
            "",
            "Exit codes: 0 success; 1 gradient check failed or training diverged; 2 bad option; "
                + "3 unusable input file; 4 cannot write output; 70 internal error."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CORPUS", description = "UTF-8 text file to train on.")
    Path corpus;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "" + Hyperparameters.DEFAULT_HIDDEN,
            description = "Hidden units of the RNN (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--seq-length", paramLabel = "T", defaultValue = "" + Hyperparameters.DEFAULT_SEQ_LENGTH,
            description = "Characters per window of backpropagation through time (default: ${DEFAULT-VALUE}).")
    int seqLength;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "" + Hyperparameters.DEFAULT_BATCH_SIZE,
            description = "Independent streams through the corpus trained together; the loss is "
                    + "averaged over B×T characters (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "" + Hyperparameters.DEFAULT_LEARNING_RATE,
            description = "Adagrad step size (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--clip", paramLabel = "C", defaultValue = "" + Hyperparameters.DEFAULT_CLIP,
            description = "Clip every gradient entry into [-C, C]; 0 turns clipping off (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + Hyperparameters.DEFAULT_ITERATIONS,
            description = "Parameter updates to make; each reads B×T characters "
                    + "(default: ${DEFAULT-VALUE}, 1.25 million characters at B=1, T=25).")
    long iterations;

    @Option(names = "--print-every", paramLabel = "N", defaultValue = "" + Hyperparameters.DEFAULT_PRINT_EVERY,
            description = "Updates between two loss lines (default: ${DEFAULT-VALUE}).")
    long printEvery;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "" + Hyperparameters.DEFAULT_SAMPLE_EVERY,
            description = "Updates between two samples; 0 for none (default: ${DEFAULT-VALUE}).")
    long sampleEvery;

    @Option(names = "--sample-length", paramLabel = "N", defaultValue = "" + Hyperparameters.DEFAULT_SAMPLE_LENGTH,
            description = "Characters per sample (default: ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Hyperparameters.DEFAULT_SEED,
            description = "Seed of every random choice: the same seed gives the same run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--gradcheck",
            description = "Instead of training, compare backpropagation with finite differences on every "
                    + "parameter, on the first window of the corpus; exit 0 if it passes, 1 if not.")
    boolean gradcheck;

    @Option(names = "--verbose", description = "Show stack traces of internal errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Hyperparameters hp;
        try {
            hp = new Hyperparameters(hidden, seqLength, batchSize, learningRate, clip, iterations,
                    printEvery, sampleEvery, sampleLength, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Corpus data;
        try {
            data = Corpus.load(corpus);
        } catch (InputException e) {
            err.println("charrnn: " + e.getMessage());
            return ExitCode.INPUT;
        }
        if (data.length() < hp.seqLength() + 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(
                    "--seq-length %d needs %d characters, but %s has only %d",
                    hp.seqLength(), hp.seqLength() + 1, data.name(), data.length()));
        }
        int V = data.vocabulary().size();
        out.printf(Locale.ROOT, "corpus %s: %d characters, vocabulary of %d symbols, %d byte%s per character in memory%n",
                data.name(), data.length(), V, data.text().bytesPerChar(), data.text().bytesPerChar() == 1 ? "" : "s");
        return gradcheck ? gradientCheck(hp, data, out) : train(hp, data, out, err);
    }

    private int train(Hyperparameters hp, Corpus data, PrintWriter out, PrintWriter err) {
        Trainer trainer = new Trainer(hp, data);
        int V = data.vocabulary().size();
        out.printf(Locale.ROOT, "model tanh RNN: H=%d T=%d B=%d, %d parameters, seed %d; "
                        + "untrained loss ln V = %.4f nats/char (%.4f bits/char)%n",
                hp.hidden(), hp.seqLength(), hp.batchSize(), trainer.params().count(), hp.seed(),
                Math.log(V), Math.log(V) / Math.log(2));
        out.flush();
        Trainer.Summary s;
        try {
            s = trainer.run(new Reporter(out));
        } catch (DivergedException e) {
            err.printf(Locale.ROOT, "charrnn: training diverged: %s; try a lower --learning-rate (now %s)%s%n",
                    e.getMessage(), hp.learningRate(), hp.clip() > 0 ? "" : " or turn clipping on with --clip");
            return ExitCode.FAILED;
        }
        out.printf(Locale.ROOT, "done: %d iterations, %d characters in %.1f s, %.0f chars/s, "
                        + "final loss %.4f nats/char (%.4f bits/char)%n",
                s.iterations(), s.chars(), s.seconds(), s.charsPerSecond(), s.smoothLoss(), bits(s.smoothLoss()));
        out.printf(Locale.ROOT, "chars_per_s=%.1f iterations=%d chars=%d seconds=%.3f loss_nats=%.4f loss_bits=%.4f%n",
                s.charsPerSecond(), s.iterations(), s.chars(), s.seconds(), s.smoothLoss(), bits(s.smoothLoss()));
        return ExitCode.OK;
    }

    private int gradientCheck(Hyperparameters hp, Corpus data, PrintWriter out) {
        int H = hp.hidden();
        int V = data.vocabulary().size();
        int T = hp.seqLength();
        int B = hp.batchSize();
        Rng rng = new Rng(hp.seed());
        Params params = GradientCheck.probeModel(H, V, rng);
        DMatrixRMaj h0 = GradientCheck.probeState(B, H, rng);
        int[] inputs = new int[T * B];
        int[] targets = new int[T * B];
        new Windows(data.text(), 0, data.length(), T, B).next(inputs, targets, new boolean[B]);
        out.printf(Locale.ROOT, "gradient check: H=%d T=%d B=%d V=%d, %d parameters, on the first window of each stream,%n"
                        + "  a probe model drawn from seed %d (weights large enough for every derivative to register),%n"
                        + "  centred differences at eps=%.0e and eps/2 with Richardson extrapolation, no clipping%n",
                H, T, B, V, params.count(), hp.seed(), GradientCheck.STEP);
        out.flush();
        GradientCheck.Report report = GradientCheck.checkRnn(params, T, B, inputs, targets,
                h0, GradientCheck.TOLERANCE, true);
        for (int k = 0; k < report.results().size(); k++) {
            GradientCheck.Result r = report.results().get(k);
            int cols = params.all()[k].numCols;
            out.printf(Locale.ROOT, "  %-4s %6d entries checked, max relative error %.3e "
                            + "(at [%d,%d]: analytic %.9e, numeric %.9e)%n",
                    r.name(), r.checked(), r.maxRelativeError(), r.worstIndex() / cols, r.worstIndex() % cols,
                    r.worstAnalytic(), r.worstNumeric());
        }
        out.printf(Locale.ROOT, "  relative error = |analytic - numeric| / max(|analytic|, |numeric|, %.1e), "
                + "the floor being the smallest derivative the differences resolve%n", report.floor());
        boolean pass = report.passed();
        out.printf(Locale.ROOT, "%s: max relative error %.3e %s tolerance %.0e%n", pass ? "PASS" : "FAIL",
                report.maxRelativeError(), pass ? "within" : "exceeds", report.tolerance());
        return pass ? ExitCode.OK : ExitCode.FAILED;
    }

    static double bits(double nats) {
        return nats / Math.log(2);
    }

    /** Prints training progress as grep-friendly lines. */
    private static final class Reporter implements TrainingListener {
        private final PrintWriter out;

        Reporter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
            out.printf(Locale.ROOT, "iter %d  chars %d  loss %.4f nats/char  %.4f bits/char  %.0f chars/s%n",
                    iteration, chars, smoothLoss, bits(smoothLoss), charsPerSecond);
            out.flush();
        }

        @Override
        public void sample(long iteration, String text) {
            out.printf(Locale.ROOT, "----- sample at iter %d -----%n%s%n----- end of sample -----%n", iteration, text);
            out.flush();
        }
    }
}
