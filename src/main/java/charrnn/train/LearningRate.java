package charrnn.train;

import charrnn.config.Hyperparameters;
import charrnn.config.Optimization;

/**
 * The learning rate of update n = 1, 2, ..., N (N = {@code --iterations}), from the peak rate
 * lr, the warm-up W and the schedule:
 * <pre>
 *   n ≤ W:      lr · n / W                                      (linear warm-up)
 *   constant:   lr
 *   step:       lr · f^⌊(n − 1) / E⌋                            (E = --lr-decay-every, f = --lr-decay-factor)
 *   cosine:     min + (lr − min) · ½·(1 + cos(π · (n − W) / (N − W)))     (min = --min-lr)
 * </pre>
 * The step schedule counts from update 1, warm-up or not, so the first E updates run at lr
 * (after warm-up) and the next E at lr·f, as char-rnn and torch-rnn decay; the cosine schedule
 * starts where the warm-up ends, as nanoGPT's. A pure function of n: a resumed run gets the same
 * rates.
 */
public final class LearningRate {
    private final double peak;
    private final Optimization o;
    private final long total;

    public LearningRate(Hyperparameters hp) {
        this.peak = hp.learningRate();
        this.o = hp.optim();
        this.total = hp.iterations();
    }

    /** The rate of update {@code n} (1 for the first). */
    public double at(long n) {
        final long W = o.warmup();
        if (n <= W) {
            return peak * n / W;
        }
        return switch (o.schedule()) {
            case CONSTANT -> peak;
            case STEP -> peak * StrictMath.pow(o.decayFactor(), (n - 1) / o.decayEvery());
            case COSINE -> {
                double progress = Math.min(1.0, (double) (n - W) / (total - W));
                double min = o.minLearningRate();
                yield min + (peak - min) * 0.5 * (1 + StrictMath.cos(Math.PI * progress));
            }
        };
    }
}
