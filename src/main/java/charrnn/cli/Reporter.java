package charrnn.cli;

import charrnn.io.CheckpointFile;
import charrnn.train.TrainingListener;
import charrnn.train.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** Prints training progress as grep-friendly lines and saves the checkpoints. */
final class Reporter implements TrainingListener {
    private final PrintWriter out;
    private final Path save;
    private final Path best;
    private Path writing;

    Reporter(PrintWriter out, Path save, Path best) {
        this.out = out;
        this.save = save;
        this.best = best;
        this.writing = save;
    }

    static double bits(double nats) {
        return nats / Math.log(2);
    }

    /** The file being written when a write failed. */
    Path writing() {
        return writing;
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

    @Override
    public void validation(long iteration, double loss, boolean isBest) {
        out.printf(Locale.ROOT, "val iter %d  loss %.4f nats/char  %.4f bits/char  perplexity %.3f%s%n",
                iteration, loss, bits(loss), Math.exp(loss), isBest ? "  (best, saved to " + best + ")" : "");
        out.flush();
    }

    @Override
    public void checkpoint(TrainingState state, boolean isBest) throws IOException {
        writing = isBest ? best : save;
        CheckpointFile.write(writing, state);
        writing = save;
    }
}
