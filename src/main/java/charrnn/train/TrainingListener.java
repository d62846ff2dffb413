package charrnn.train;

import java.io.IOException;

/** What the training loop reports as it goes; the command line turns it into lines and files. */
public interface TrainingListener {

    /**
     * A loss report, every {@code --print-every} updates.
     *
     * @param iteration      updates made so far
     * @param chars          characters trained on so far
     * @param smoothLoss     exponentially smoothed training loss, nats per character
     * @param charsPerSecond speed since the previous report
     * @throws IOException if what the report is written to fails; training then stops
     */
    void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) throws IOException;

    /**
     * A loss report with the learning rate of the last update; by default the report without it.
     *
     * @param learningRate the schedule's rate at update {@code iteration}
     */
    default void progress(long iteration, long chars, double smoothLoss, double charsPerSecond, double learningRate)
            throws IOException {
        progress(iteration, chars, smoothLoss, charsPerSecond);
    }

    /** After every update: cheap, for progress indicators. */
    default void tick(long iteration) {
    }

    /** A sample drawn from the model, every {@code --sample-every} updates. */
    void sample(long iteration, String text);

    /**
     * The mean loss on the held-out text, every {@code --eval-every} updates.
     *
     * @param best whether it is the lowest so far
     */
    default void validation(long iteration, double loss, boolean best) {
    }

    /**
     * Time to save: every {@code --checkpoint-every} updates, and after a new best validation
     * loss. The state refers to live buffers: write it before returning.
     *
     * @param best whether this is a new best validation loss (else a periodic checkpoint)
     * @throws IOException if it cannot be saved; training then stops
     */
    default void checkpoint(TrainingState state, boolean best) throws IOException {
    }
}
