package charrnn.cli;

import charrnn.check.GradientCheck;
import charrnn.config.Hyperparameters;
import charrnn.data.Corpus;
import charrnn.data.InputException;
import charrnn.data.Vocabulary;
import charrnn.data.Windows;
import charrnn.io.CheckpointFile;
import charrnn.io.MetricsLog;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.train.DivergedException;
import charrnn.train.Trainer;
import charrnn.train.TrainingState;
import java.io.IOException;
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
        subcommands = {SampleCommand.class, EvalCommand.class, PlotCommand.class},
        description = "Trains a character-level language model (a single-layer tanh RNN) on a UTF-8 "
                + "text file, printing the falling loss and text sampled from the model as it learns, "
                + "and saving checkpoints to resume, sample from and evaluate.",
        footer = {"",
            "Loss is the mean cross-entropy of the next character, in nats and in bits per character; "
                + "an untrained model scores about ln V nats (V = vocabulary size).",
            "",
            "Exit codes: 0 success; 1 gradient check failed or training diverged; 2 bad option; "
                + "3 unusable input file; 4 cannot write output; 70 internal error; 130 interrupted."})
public final class TrainCommand implements Callable<Integer> {

    /** Default checkpoint file, in the current folder. */
    static final String DEFAULT_SAVE = "charrnn.ckpt";

    @Spec
    CommandLine.Model.CommandSpec spec;

    // optional to picocli so that the subcommands parse; required below when training
    @Parameters(paramLabel = "CORPUS", arity = "0..1", description = "UTF-8 text file to train on.")
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
            description = "Train until N updates have been made in all (a resumed run counts those before it); "
                    + "each update reads B×T characters (default: ${DEFAULT-VALUE}, 1.25 million characters at B=1, T=25).")
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

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "" + Hyperparameters.DEFAULT_VAL_FRACTION,
            description = "Fraction of the corpus, at its end, held out to measure the loss on unseen text; "
                    + "0 turns validation off (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "" + Hyperparameters.DEFAULT_EVAL_EVERY,
            description = "Updates between two passes over the held-out text (default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--reset-every", paramLabel = "R", defaultValue = "" + Hyperparameters.DEFAULT_RESET_EVERY,
            description = "Start a stream's hidden state from zero every R windows (R×T characters), besides "
                    + "where it wraps to the start of the corpus, so the model learns to begin from an empty "
                    + "memory, as eval and sample do; 0 resets only at the wrap (default: ${DEFAULT-VALUE}).")
    int resetEvery;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Checkpoint file, written atomically every --checkpoint-every updates and when training "
                    + "ends or is interrupted; the best on held-out text goes to FILE with .best before its "
                    + "extension (default: " + DEFAULT_SAVE + ", or the --resume file).")
    Path save;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "" + Hyperparameters.DEFAULT_CHECKPOINT_EVERY,
            description = "Updates between two checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--log", paramLabel = "FILE.csv",
            description = "Write a CSV row per loss line: iteration, characters, smoothed training loss, "
                    + "latest validation loss, characters/s, elapsed seconds (appended to when resuming).")
    Path logFile;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run saved in this checkpoint, exactly where it stopped, on the same corpus. "
                    + "The model's shape, batch size, seed and validation split come from it.")
    Path resume;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for a batch; it is split into parts of 16 streams, so more threads than "
                    + "B/16 do not help, and the result is the same for any N (default: the number of processors, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--gradcheck",
            description = "Instead of training, compare backpropagation with finite differences on every "
                    + "parameter, on the first window of the corpus; exit 0 if it passes, 1 if not.")
    boolean gradcheck;

    @CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (corpus == null) {
            throw usage("Missing required parameter: 'CORPUS'");
        }
        TrainingState resumed = null;
        if (resume != null) {
            try {
                resumed = CheckpointFile.read(resume);
            } catch (InputException e) {
                err.println("charrnn: " + e.getMessage());
                return ExitCode.INPUT;
            }
        }
        Hyperparameters hp = hyperparameters(resumed);
        Corpus data;
        final long loadStart = System.nanoTime();
        try {
            data = Corpus.load(corpus);
        } catch (InputException e) {
            err.println("charrnn: " + e.getMessage());
            return ExitCode.INPUT;
        }
        final double loadSeconds = (System.nanoTime() - loadStart) * 1e-9;
        try {
            Trainer.trainingLength(hp, data.length());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        out.printf(Locale.ROOT, "corpus %s: %d characters, vocabulary of %d symbols, %d byte%s per character in memory, "
                        + "read in %.2f s%n",
                data.name(), data.length(), data.vocabulary().size(), data.text().bytesPerChar(),
                data.text().bytesPerChar() == 1 ? "" : "s", loadSeconds);
        if (gradcheck) {
            return gradientCheck(hp, data, out);
        }
        if (resumed != null && !resumed.vocabulary().equals(data.vocabulary())) {
            err.println("charrnn: " + vocabularyMismatch(data, resumed));
            return ExitCode.INPUT;
        }
        return train(hp, data, resumed, out, err);
    }

    /**
     * The run's settings: the options as given, or when resuming the checkpoint's, with the
     * options given explicitly taking over where they may.
     */
    private Hyperparameters hyperparameters(TrainingState resumed) {
        try {
            if (resumed == null) {
                return new Hyperparameters(hidden, seqLength, batchSize, learningRate, clip, iterations,
                        printEvery, sampleEvery, sampleLength, seed, valFraction, evalEvery, checkpointEvery, resetEvery);
            }
            Hyperparameters s = resumed.hp();
            requireKept("--hidden", hidden, s.hidden());
            requireKept("--seq-length", seqLength, s.seqLength());
            requireKept("--batch-size", batchSize, s.batchSize());
            requireKept("--seed", seed, s.seed());
            requireKept("--reset-every", resetEvery, s.resetEvery());
            if (given("--val-fraction") && valFraction != s.valFraction()) {
                throw usage("--val-fraction " + valFraction + " differs from the checkpoint's " + s.valFraction()
                        + "; a resumed run keeps its validation split");
            }
            return new Hyperparameters(s.hidden(), s.seqLength(), s.batchSize(),
                    given("--learning-rate") ? learningRate : s.learningRate(),
                    given("--clip") ? clip : s.clip(),
                    given("--iterations") ? iterations : s.iterations(),
                    given("--print-every") ? printEvery : s.printEvery(),
                    given("--sample-every") ? sampleEvery : s.sampleEvery(),
                    given("--sample-length") ? sampleLength : s.sampleLength(),
                    s.seed(), s.valFraction(),
                    given("--eval-every") ? evalEvery : s.evalEvery(),
                    given("--checkpoint-every") ? checkpointEvery : s.checkpointEvery(), s.resetEvery());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void requireKept(String option, long value, long saved) {
        if (given(option) && value != saved) {
            throw usage(option + " " + value + " differs from the checkpoint's " + saved
                    + "; a resumed run keeps its model shape, batch size, seed and reset period");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private String vocabularyMismatch(Corpus data, TrainingState resumed) {
        Vocabulary now = data.vocabulary();
        Vocabulary then = resumed.vocabulary();
        String example = "";
        for (int cp : now.codePoints()) {
            if (!then.contains(cp)) {
                example = "; " + Vocabulary.describe(cp) + " is not in the checkpoint's";
                break;
            }
        }
        if (example.isEmpty()) {
            for (int cp : then.codePoints()) {
                if (!now.contains(cp)) {
                    example = "; the checkpoint's " + Vocabulary.describe(cp) + " is not in the corpus";
                    break;
                }
            }
        }
        return "cannot resume " + resume + " on " + data.name() + ": its vocabulary (" + now.size()
                + " symbols) differs from the checkpoint's (" + then.size() + ")" + example;
    }

    private int train(Hyperparameters hp, Corpus data, TrainingState resumed, PrintWriter out, PrintWriter err) {
        Path savePath = save != null ? save : resume != null ? resume : Path.of(DEFAULT_SAVE);
        Path bestPath = bestPath(savePath);
        try {
            CheckpointFile.requireWritable(savePath);
        } catch (IOException e) {
            err.println("charrnn: cannot write checkpoints to " + savePath + ": " + CheckpointFile.reason(e));
            return ExitCode.OUTPUT;
        }
        Trainer trainer;
        try {
            if (threads < 1) {
                throw usage("--threads must be 1 or more, got " + threads);
            }
            trainer = resumed == null ? new Trainer(hp, data, threads) : new Trainer(hp, data, resumed, threads);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        int V = data.vocabulary().size();
        out.printf(Locale.ROOT, "model tanh RNN: H=%d T=%d B=%d, %d parameters, seed %d; "
                        + "untrained loss ln V = %.4f nats/char (%.4f bits/char)%n",
                hp.hidden(), hp.seqLength(), hp.batchSize(), trainer.params().count(), hp.seed(),
                Math.log(V), Reporter.bits(Math.log(V)));
        out.printf(Locale.ROOT, "kernels: %s; %d thread%s%s%n", trainer.kernels(), trainer.parallelism(),
                trainer.parallelism() == 1 ? "" : "s", Kernels.vectorModuleMissing()
                        ? " (for the vectorised kernels, run java --add-modules jdk.incubator.vector -jar ...)" : "");
        out.printf(Locale.ROOT, "validation: %s; checkpoints: %s%n",
                trainer.heldOut() > 0 ? "the last " + trainer.heldOut() + " characters, every " + hp.evalEvery() + " updates"
                        : "off",
                savePath + (trainer.heldOut() > 0 ? ", best at " + bestPath : ""));
        if (resumed != null) {
            out.printf(Locale.ROOT, "resuming %s at iteration %d of %d%s%n", resume, trainer.iteration(), hp.iterations(),
                    trainer.iteration() >= hp.iterations() ? ": nothing left to train (raise --iterations)" : "");
        }
        out.flush();

        MetricsLog log = null;
        if (logFile != null) {
            try {
                log = MetricsLog.open(logFile);
            } catch (IOException e) {
                err.println("charrnn: cannot write the metrics log " + logFile + ": " + CheckpointFile.reason(e));
                return ExitCode.OUTPUT;
            }
        }
        Reporter reporter = new Reporter(out, savePath, bestPath, log, System.console() != null,
                trainer.iteration(), hp.iterations());
        Trainer.Summary s;
        // the trainer's threads and the metrics log are closed however the run ends
        try (StopSignal stop = new StopSignal(); Trainer workers = trainer; MetricsLog metrics = log) {
            try {
                s = trainer.run(reporter, stop);
                reporter.finish();
                if (stop.getAsBoolean()) {
                    out.printf(Locale.ROOT, "interrupted at iteration %d%n", trainer.iteration());
                }
                CheckpointFile.write(savePath, trainer.state());
                out.printf(Locale.ROOT, "saved %s at iteration %d%n", savePath, trainer.iteration());
            } catch (java.io.UncheckedIOException e) {
                reporter.finish();
                String saved;
                try {
                    CheckpointFile.write(savePath, trainer.state());
                    saved = "saved " + savePath;
                } catch (IOException again) {
                    saved = "the checkpoint could not be saved either: " + CheckpointFile.reason(again);
                }
                err.printf(Locale.ROOT, "charrnn: cannot write the metrics log %s at iteration %d: %s; training stopped, %s%n",
                        logFile, trainer.iteration(), CheckpointFile.reason(e.getCause()), saved);
                return ExitCode.OUTPUT;
            } catch (DivergedException e) {
                reporter.finish();
                err.printf(Locale.ROOT, "charrnn: training diverged: %s; try a lower --learning-rate (now %s)%s; "
                                + "the last checkpoint, if any, is intact%n",
                        e.getMessage(), hp.learningRate(), hp.clip() > 0 ? "" : " or turn clipping on with --clip");
                return ExitCode.FAILED;
            } catch (IOException e) {
                reporter.finish();
                err.printf(Locale.ROOT, "charrnn: cannot write checkpoint %s at iteration %d: %s; training stopped, "
                        + "the previous checkpoint is intact%n", reporter.writing(), trainer.iteration(),
                        CheckpointFile.reason(e));
                return ExitCode.OUTPUT;
            }
        } catch (IOException e) {
            err.println("charrnn: cannot close the metrics log " + logFile + ": " + CheckpointFile.reason(e));
            return ExitCode.OUTPUT;
        }
        out.printf(Locale.ROOT, "done: %d iterations, %d characters; this run %.1f s, %.0f chars/s; "
                        + "final loss %.4f nats/char (%.4f bits/char)%n",
                s.iterations(), s.chars(), s.seconds(), s.charsPerSecond(), s.smoothLoss(), Reporter.bits(s.smoothLoss()));
        out.printf(Locale.ROOT, "chars_per_s=%.1f iterations=%d chars=%d seconds=%.3f loss_nats=%.4f loss_bits=%.4f%n",
                s.charsPerSecond(), s.iterations(), s.chars(), s.seconds(), s.smoothLoss(), Reporter.bits(s.smoothLoss()));
        return ExitCode.OK;
    }

    /** charrnn.ckpt → charrnn.best.ckpt; a name without an extension gets .best appended. */
    static Path bestPath(Path save) {
        String name = save.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String best = dot > 0 ? name.substring(0, dot) + ".best" + name.substring(dot) : name + ".best";
        return save.resolveSibling(best);
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
}
