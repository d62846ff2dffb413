package charrnn.cli;

import charrnn.config.Hyperparameters;
import charrnn.io.CheckpointFile;
import charrnn.io.MetricsLog;
import charrnn.io.OutputException;
import charrnn.train.DivergedException;
import charrnn.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One training run as the command line carries it out: the metrics log opened for it, Ctrl-C
 * and SIGTERM turned into a stop, the time limit, a closed standard output, the final
 * checkpoint, and every way the run can fail turned into one {@link Failure} line (a log that
 * cannot be written still leaves the run saved; a checkpoint that cannot be written leaves the
 * previous one intact; a diverged run saves nothing).
 */
final class TrainingRun {
    private final Trainer trainer;
    private final Hyperparameters hp;
    private final Path savePath;
    private final Path bestPath;
    private final Path logFile;          // null without --log
    private final long resumedAt;        // the update a resumed run starts from; -1 for a fresh run
    private final double timeLimit;      // seconds; 0 for none
    private final boolean staleBest;     // bestPath holds an earlier run's best checkpoint
    private final PrintWriter out;

    TrainingRun(Trainer trainer, Hyperparameters hp, Path savePath, Path bestPath, Path logFile, long resumedAt,
                double timeLimit, boolean staleBest, PrintWriter out) {
        this.trainer = trainer;
        this.hp = hp;
        this.savePath = savePath;
        this.bestPath = bestPath;
        this.logFile = logFile;
        this.resumedAt = resumedAt;
        this.timeLimit = timeLimit;
        this.staleBest = staleBest;
        this.out = out;
    }

    /** Trains to the end, to a stop or to a failure, and prints the summary. */
    int run() throws OutputException {
        Reporter reporter;
        Trainer.Summary s;
        // the trainer's threads and the metrics log are closed however the run ends
        try (StopSignal stop = new StopSignal(); Trainer workers = trainer;
             MetricsLog log = logFile == null ? null : MetricsLog.open(logFile, resumedAt)) {
            reporter = new Reporter(out, savePath, bestPath, log, System.console() != null,
                    trainer.iteration(), hp.iterations());
            try {
                final long start = System.nanoTime();
                // a limit beyond a century is no limit: nanoTime + limit must not overflow
                final long deadline = timeLimit > 0 && timeLimit < 3e9 ? start + (long) (timeLimit * 1e9) : Long.MAX_VALUE;
                s = trainer.run(reporter, () -> stop.getAsBoolean() || reporter.outputClosed()
                        || (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0));
                reporter.finish();
                if (stop.getAsBoolean()) {
                    out.printf(Locale.ROOT, "interrupted at iteration %d%n", trainer.iteration());
                } else if (!reporter.outputClosed() && trainer.iteration() < hp.iterations()) {
                    out.printf(Locale.ROOT, "time limit of %s s reached at iteration %d%n", timeLimit, trainer.iteration());
                }
                CheckpointFile.write(savePath, trainer.state());
                out.printf(Locale.ROOT, "saved %s at iteration %d%n", savePath, trainer.iteration());
            } catch (Reporter.LogFailure e) {
                reporter.finish();
                String saved;
                try {
                    CheckpointFile.write(savePath, trainer.state());
                    saved = "saved " + savePath;
                } catch (IOException again) {
                    saved = "the checkpoint could not be saved either: " + CheckpointFile.reason(again);
                }
                throw Failure.output(String.format(Locale.ROOT, "cannot write the metrics log %s at iteration %d: %s; "
                        + "training stopped, %s", logFile, trainer.iteration(), CheckpointFile.reason((IOException) e.getCause()), saved));
            } catch (DivergedException e) {
                reporter.finish();
                throw new Failure(ExitCode.FAILED, String.format(Locale.ROOT, "training diverged: %s; try a lower "
                                + "--learning-rate (now %s)%s; the last checkpoint, if any, is intact",
                        e.getMessage(), hp.learningRate(), hp.clip() > 0 ? "" : " or turn clipping on with --clip"));
            } catch (IOException e) {
                reporter.finish();
                throw Failure.output(String.format(Locale.ROOT, "cannot write checkpoint %s at iteration %d: %s; "
                                + "training stopped, the previous checkpoint is intact", reporter.writing(),
                        trainer.iteration(), CheckpointFile.reason(e)));
            }
        } catch (OutputException e) {
            throw e;
        } catch (IOException e) {
            throw Failure.output("cannot close the metrics log " + logFile + ": " + CheckpointFile.reason(e));
        }
        if (reporter.outputClosed()) {
            throw Failure.output(String.format(Locale.ROOT, "standard output was closed or is full; training stopped at "
                    + "iteration %d and saved %s", trainer.iteration(), savePath));
        }
        boolean noBest = !reporter.validated();
        out.printf(Locale.ROOT, "done: %d iterations, %d characters; this run %.1f s, %.0f chars/s; "
                        + "final loss %.4f nats/char (%.4f bits/char)%n",
                s.iterations(), s.chars(), s.seconds(), s.charsPerSecond(), s.smoothLoss(), Reporter.bits(s.smoothLoss()));
        if (staleBest && noBest) {
            out.printf(Locale.ROOT, "note: %s is an earlier run's best checkpoint, not this run's (no validation pass "
                    + "has run yet)%n", bestPath);
        }
        out.printf(Locale.ROOT, "chars_per_s=%.1f iterations=%d chars=%d seconds=%.3f loss_nats=%.4f loss_bits=%.4f "
                        + "heap_bytes_per_update=%d%n",
                s.charsPerSecond(), s.iterations(), s.chars(), s.seconds(), s.smoothLoss(), Reporter.bits(s.smoothLoss()),
                s.heapBytesPerUpdate());
        out.flush();
        if (reporter.outputClosed()) {
            throw Failure.output("standard output was closed or is full after training; " + savePath + " is saved");
        }
        return ExitCode.OK;
    }
}
