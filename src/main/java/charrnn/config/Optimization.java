package charrnn.config;

/**
 * The knobs of the update rule, the learning-rate schedule and the global-norm clip: the part
 * of {@link Hyperparameters} that says how a gradient becomes a step. Built by name with the
 * {@code with...} methods from {@link #defaults()}. The compact constructor refuses values that
 * cannot work, with a message that names the option.
 *
 * @param optimizer       the update rule
 * @param beta1           Adam's decay of its mean of gradients (PyTorch's betas[0])
 * @param beta2           Adam's decay of its mean of squared gradients (PyTorch's betas[1])
 * @param decayRate       RMSprop's decay of its mean of squared gradients (char-rnn's decay_rate,
 *                        PyTorch's alpha)
 * @param weightDecay     Adam's decoupled weight decay (AdamW): θ ← θ·(1 − lr·wd) before each
 *                        step; 0 for plain Adam
 * @param schedule        how the learning rate changes over the updates
 * @param warmup          updates over which the rate climbs linearly from lr/W to lr; 0 for none
 * @param decayEvery      the step schedule's period, in updates
 * @param decayFactor     the step schedule's factor
 * @param minLearningRate where the cosine schedule ends
 * @param clipNorm        largest global L2 norm of the gradient (after --clip); 0 turns it off
 */
public record Optimization(
        OptimizerKind optimizer,
        double beta1,
        double beta2,
        double decayRate,
        double weightDecay,
        Schedule schedule,
        long warmup,
        long decayEvery,
        double decayFactor,
        double minLearningRate,
        double clipNorm) {

    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_DECAY_RATE = 0.95;
    public static final double DEFAULT_WEIGHT_DECAY = 0;
    public static final long DEFAULT_WARMUP = 0;
    public static final long DEFAULT_DECAY_EVERY = 10_000;
    public static final double DEFAULT_DECAY_FACTOR = 0.5;
    public static final double DEFAULT_MIN_LEARNING_RATE = 0;
    public static final double DEFAULT_CLIP_NORM = 0;

    public Optimization {
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        java.util.Objects.requireNonNull(schedule, "schedule");
        requireFraction("--beta1", beta1);
        requireFraction("--beta2", beta2);
        requireFraction("--decay-rate", decayRate);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be a finite number, 0 or above, got " + weightDecay);
        }
        if (weightDecay > 0 && optimizer != OptimizerKind.ADAM) {
            throw new IllegalArgumentException("--weight-decay is Adam's decoupled weight decay (AdamW): it needs "
                    + "--optimizer adam, not " + optimizer.key());
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 (none) or more updates, got " + warmup);
        }
        if (decayEvery <= 0) {
            throw new IllegalArgumentException("--lr-decay-every must be 1 or more, got " + decayEvery);
        }
        if (!(decayFactor > 0 && decayFactor <= 1)) {
            throw new IllegalArgumentException("--lr-decay-factor must be above 0 and at most 1, got " + decayFactor);
        }
        if (!(minLearningRate >= 0) || !Double.isFinite(minLearningRate)) {
            throw new IllegalArgumentException("--min-lr must be a finite number, 0 or above, got " + minLearningRate);
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException(
                    "--clip-norm must be a finite number, 0 or above (0 turns it off), got " + clipNorm);
        }
    }

    /** Adagrad at a constant rate, no global-norm clip: min-char-rnn's training, and every option's default. */
    public static Optimization defaults() {
        return new Optimization(OptimizerKind.ADAGRAD, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_DECAY_RATE,
                DEFAULT_WEIGHT_DECAY, Schedule.CONSTANT, DEFAULT_WARMUP, DEFAULT_DECAY_EVERY, DEFAULT_DECAY_FACTOR,
                DEFAULT_MIN_LEARNING_RATE, DEFAULT_CLIP_NORM);
    }

    public Optimization withOptimizer(OptimizerKind v) {
        return new Optimization(v, beta1, beta2, decayRate, weightDecay, schedule, warmup, decayEvery, decayFactor,
                minLearningRate, clipNorm);
    }

    public Optimization withBetas(double b1, double b2) {
        return new Optimization(optimizer, b1, b2, decayRate, weightDecay, schedule, warmup, decayEvery, decayFactor,
                minLearningRate, clipNorm);
    }

    public Optimization withDecayRate(double v) {
        return new Optimization(optimizer, beta1, beta2, v, weightDecay, schedule, warmup, decayEvery, decayFactor,
                minLearningRate, clipNorm);
    }

    public Optimization withWeightDecay(double v) {
        return new Optimization(optimizer, beta1, beta2, decayRate, v, schedule, warmup, decayEvery, decayFactor,
                minLearningRate, clipNorm);
    }

    public Optimization withSchedule(Schedule v) {
        return new Optimization(optimizer, beta1, beta2, decayRate, weightDecay, v, warmup, decayEvery, decayFactor,
                minLearningRate, clipNorm);
    }

    public Optimization withWarmup(long v) {
        return new Optimization(optimizer, beta1, beta2, decayRate, weightDecay, schedule, v, decayEvery, decayFactor,
                minLearningRate, clipNorm);
    }

    public Optimization withStepDecay(long every, double factor) {
        return new Optimization(optimizer, beta1, beta2, decayRate, weightDecay, schedule, warmup, every, factor,
                minLearningRate, clipNorm);
    }

    public Optimization withMinLearningRate(double v) {
        return new Optimization(optimizer, beta1, beta2, decayRate, weightDecay, schedule, warmup, decayEvery,
                decayFactor, v, clipNorm);
    }

    public Optimization withClipNorm(double v) {
        return new Optimization(optimizer, beta1, beta2, decayRate, weightDecay, schedule, warmup, decayEvery,
                decayFactor, minLearningRate, v);
    }

    private static void requireFraction(String option, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(option + " must be at least 0 and below 1, got " + v);
        }
    }

    /**
     * These settings (a checkpoint's) with each option the user gave ({@code given.test("--warmup")})
     * taken from {@code options}; the optimizer itself is kept (see Hyperparameters#resumedWith).
     */
    public Optimization resumedWith(Optimization options, java.util.function.Predicate<String> given) {
        return new Optimization(optimizer,
                given.test("--beta1") ? options.beta1 : beta1,
                given.test("--beta2") ? options.beta2 : beta2,
                given.test("--decay-rate") ? options.decayRate : decayRate,
                given.test("--weight-decay") ? options.weightDecay : weightDecay,
                given.test("--lr-schedule") ? options.schedule : schedule,
                given.test("--warmup") ? options.warmup : warmup,
                given.test("--lr-decay-every") ? options.decayEvery : decayEvery,
                given.test("--lr-decay-factor") ? options.decayFactor : decayFactor,
                given.test("--min-lr") ? options.minLearningRate : minLearningRate,
                given.test("--clip-norm") ? options.clipNorm : clipNorm);
    }
}
