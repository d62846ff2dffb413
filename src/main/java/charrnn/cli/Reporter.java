package charrnn.cli;

import charrnn.io.CheckpointFile;
import charrnn.io.MetricsLog;
import charrnn.train.TrainingListener;
import charrnn.train.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints training progress as grep-friendly lines, saves the checkpoints, writes the metrics log
 * and, on a terminal, keeps a progress line (percent done, time left) under the output.
 */
final class Reporter implements TrainingListener {
    /** Least time between two redraws of the progress line. */
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter out;
    private final Path save;
    private final Path best;
    private final MetricsLog log;          // null without --log
    private final boolean interactive;     // stdout is a terminal: show the progress line
    private final long target;             // --iterations
    private final long start = System.nanoTime();
    private final long firstIteration;
    private final double elapsedBefore;    // seconds trained by earlier processes, from the log
    private Path writing;
    private double lastVal;
    private boolean validated;
    private boolean outputClosed;
    private long lastRedraw;
    private boolean statusShown;

    Reporter(PrintWriter out, Path save, Path best, MetricsLog log, boolean interactive, long firstIteration, long target) {
        this.out = out;
        this.save = save;
        this.best = best;
        this.log = log;
        this.interactive = interactive;
        this.firstIteration = firstIteration;
        this.target = target;
        this.writing = save;
        this.elapsedBefore = log == null ? 0 : log.elapsedBefore();
        this.lastVal = log == null ? Double.NaN : log.lastValLoss();
    }

    /**
     * Whether standard output is closed or full (a reader such as head has gone): checked after
     * every line, and training then stops rather than compute what no one reads.
     */
    boolean outputClosed() {
        return outputClosed;
    }

    /** Whether this process has run a validation pass. */
    boolean validated() {
        return validated;
    }

    private void flush() {
        out.flush();
        if (out.checkError()) {
            outputClosed = true;
        }
    }

    /** Erases the progress line before a line of output takes its place. */
    private void clearStatus() {
        if (statusShown) {
            out.print("\r\033[K");
            statusShown = false;
        }
    }

    @Override
    public void tick(long iteration) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastRedraw < REDRAW_NANOS && iteration < target) {
            return;
        }
        lastRedraw = now;
        double done = (double) (iteration - firstIteration) / Math.max(1, target - firstIteration);
        double elapsed = (now - start) * 1e-9;
        String eta = done > 0 ? formatSeconds(elapsed * (1 - done) / done) : "?";
        out.printf(Locale.ROOT, "\r\033[K[%5.1f%%] iteration %d of %d, %s left",
                100.0 * iteration / Math.max(1, target), iteration, target, eta);
        flush();
        statusShown = true;
    }

    static String formatSeconds(double s) {
        long t = Math.round(s);
        if (t >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
        }
        return t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }

    /** Ends the progress line, if one is shown. */
    void finish() {
        clearStatus();
        flush();
    }

    static double bits(double nats) {
        return nats / Math.log(2);
    }

    /** The file being written when a write failed. */
    Path writing() {
        return writing;
    }

    /** The metrics log could not be written: unlike a checkpoint's, this failure leaves one to save. */
    static final class LogFailure extends IOException {
        private static final long serialVersionUID = 1L;

        LogFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Override
    public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) throws LogFailure {
        progress(iteration, chars, smoothLoss, charsPerSecond, Double.NaN);
    }

    @Override
    public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond, double learningRate)
            throws LogFailure {
        clearStatus();
        if (log != null) {
            try {
                log.row(iteration, chars, smoothLoss, lastVal, charsPerSecond,
                        elapsedBefore + (System.nanoTime() - start) * 1e-9, learningRate);
            } catch (IOException e) {
                throw new LogFailure(e);
            }
        }
        out.printf(Locale.ROOT, "iter %d  chars %d  loss %.4f nats/char  %.4f bits/char  lr %.3e  %.0f chars/s%n",
                iteration, chars, smoothLoss, bits(smoothLoss), learningRate, charsPerSecond);
        flush();
    }

    @Override
    public void sample(long iteration, String text) {
        clearStatus();
        out.printf(Locale.ROOT, "----- sample at iter %d -----%n%s%n----- end of sample -----%n", iteration, text);
        flush();
    }

    @Override
    public void validation(long iteration, double loss, boolean isBest) {
        clearStatus();
        lastVal = loss;
        validated = true;
        out.printf(Locale.ROOT, "val iter %d  loss %.4f nats/char  %.4f bits/char  perplexity %.3f%s%n",
                iteration, loss, bits(loss), Math.exp(loss), isBest ? "  (best, saved to " + best + ")" : "");
        flush();
    }

    @Override
    public void checkpoint(TrainingState state, boolean isBest) throws IOException {
        writing = isBest ? best : save;
        CheckpointFile.write(writing, state);
        writing = save;
    }
}
