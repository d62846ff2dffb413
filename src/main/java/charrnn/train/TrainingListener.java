package charrnn.train;

/** What the training loop reports as it goes; the command line turns it into lines of text. */
public interface TrainingListener {

    /**
     * A loss report, every {@code --print-every} updates.
     *
     * @param iteration      updates made so far
     * @param chars          characters trained on so far
     * @param smoothLoss     exponentially smoothed training loss, nats per character
     * @param charsPerSecond speed since the previous report
     */
    void progress(long iteration, long chars, double smoothLoss, double charsPerSecond);

    /** A sample drawn from the model, every {@code --sample-every} updates. */
    void sample(long iteration, String text);
}
