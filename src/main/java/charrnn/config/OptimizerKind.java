package charrnn.config;

/** The update rule of training, {@code --optimizer}; the rules themselves are in {@code charrnn.train}. */
public enum OptimizerKind {
    /** Adagrad, as min-char-rnn: the default. */
    ADAGRAD(0.1),
    /** RMSprop, as char-rnn. */
    RMSPROP(2e-3),
    /** Adam as PyTorch defines it, with decoupled weight decay (AdamW) when asked. */
    ADAM(2e-3);

    private final double defaultLearningRate;

    OptimizerKind(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    /** The step size used when {@code --learning-rate} is not given. */
    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    /** The name on the command line and in checkpoints: adagrad, rmsprop, adam. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The optimizer with this key. */
    public static OptimizerKind ofKey(String key) {
        for (OptimizerKind k : values()) {
            if (k.key().equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer " + key + " (expected adagrad, rmsprop or adam)");
    }
}
