package charrnn.config;

/** How the learning rate changes over the updates, {@code --lr-schedule}; the formulas are in {@code charrnn.train.LearningRate}. */
public enum Schedule {
    /** The learning rate throughout (after any warm-up). */
    CONSTANT,
    /** Multiplied by a factor every N updates, as char-rnn and torch-rnn decay it. */
    STEP,
    /** Half a cosine from the learning rate down to a minimum at the last update, as nanoGPT. */
    COSINE;

    /** The name on the command line and in checkpoints: constant, step, cosine. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The schedule with this key. */
    public static Schedule ofKey(String key) {
        for (Schedule s : values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown learning-rate schedule " + key + " (expected constant, step or cosine)");
    }
}
