package charrnn.config;

/**
 * Every knob of a training run, in one place. The command line builds it; every other package
 * reads it. The compact constructor refuses values that cannot work, with a message that names
 * the option, so the command line can print it as it is.
 *
 * <p>Legend of the dimension letters used throughout the code: H hidden units, V vocabulary
 * size, T sequence length (time steps per window), B batch size (independent streams).
 *
 * @param hidden        H, hidden units of each layer
 * @param seqLength     T, characters per window of backpropagation through time
 * @param batchSize     B, independent streams trained together
 * @param learningRate  the optimizer's step size (the schedule's peak)
 * @param clip          element-wise gradient clip bound; 0 turns clipping off
 * @param iterations    parameter updates to make
 * @param printEvery    updates between two loss lines
 * @param sampleEvery   updates between two samples; 0 turns samples off
 * @param sampleLength  characters per sample
 * @param seed          the one source of every random choice
 * @param valFraction   fraction of the corpus, at its end, held out for validation; 0 for none
 * @param evalEvery     updates between two validation passes
 * @param checkpointEvery updates between two checkpoints
 * @param resetEvery    windows of a stream between two resets of its hidden state to zero;
 *                      0 resets only where the stream wraps to the start of the corpus
 * @param cell          the recurrent cell
 * @param layers        L, recurrent layers stacked, each reading the hidden states of the one below
 * @param dropout       probability of zeroing each hidden unit passed from one layer to the next,
 *                      during training only; 0 for none (it needs 2 layers or more)
 * @param optim         the optimizer, its learning-rate schedule and the global-norm clip
 * @param precision     the format the forward and backward passes compute in (the weights and
 *                      the optimizer's memory are float64 either way)
 */
public record Hyperparameters(
        int hidden,
        int seqLength,
        int batchSize,
        double learningRate,
        double clip,
        long iterations,
        long printEvery,
        long sampleEvery,
        int sampleLength,
        long seed,
        double valFraction,
        long evalEvery,
        long checkpointEvery,
        int resetEvery,
        Cell cell,
        int layers,
        double dropout,
        Optimization optim,
        Precision precision) {

    public static final int DEFAULT_HIDDEN = 100;
    public static final int DEFAULT_SEQ_LENGTH = 25;
    public static final int DEFAULT_BATCH_SIZE = 1;
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final double DEFAULT_CLIP = 5.0;
    public static final long DEFAULT_ITERATIONS = 50_000;
    public static final long DEFAULT_PRINT_EVERY = 100;
    public static final long DEFAULT_SAMPLE_EVERY = 1_000;
    public static final int DEFAULT_SAMPLE_LENGTH = 200;
    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_VAL_FRACTION = 0.05;
    public static final long DEFAULT_EVAL_EVERY = 2_000;
    public static final long DEFAULT_CHECKPOINT_EVERY = 1_000;
    public static final int DEFAULT_RESET_EVERY = 100;
    public static final int DEFAULT_LAYERS = 1;
    public static final double DEFAULT_DROPOUT = 0;
    public static final Precision DEFAULT_PRECISION = Precision.FLOAT32;
    /** Deepest stack accepted. */
    public static final int MAX_LAYERS = 64;
    /** Largest held-out fraction: the rest must be left to train on. */
    public static final double MAX_VAL_FRACTION = 0.5;

    /** Longest sample printed during training. */
    public static final int MAX_SAMPLE_LENGTH = 1_000_000;

    /** Largest hidden size accepted: beyond it a single Whh would not fit a Java array. */
    public static final int MAX_HIDDEN = 16_384;

    public Hyperparameters {
        java.util.Objects.requireNonNull(cell, "cell");
        java.util.Objects.requireNonNull(optim, "optim");
        java.util.Objects.requireNonNull(precision, "precision");
        requirePositive("--hidden", hidden);
        if (hidden > MAX_HIDDEN) {
            throw new IllegalArgumentException("--hidden must be at most " + MAX_HIDDEN + ", got " + hidden);
        }
        requirePositive("--seq-length", seqLength);
        requirePositive("--batch-size", batchSize);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(
                    "--learning-rate must be a finite number above 0, got " + learningRate);
        }
        if (!(clip >= 0) || !Double.isFinite(clip)) {
            throw new IllegalArgumentException(
                    "--clip must be a finite number, 0 or above (0 turns clipping off), got " + clip);
        }
        requirePositive("--iterations", iterations);
        requirePositive("--print-every", printEvery);
        if (sampleEvery < 0) {
            throw new IllegalArgumentException(
                    "--sample-every must be 0 (no samples) or above, got " + sampleEvery);
        }
        requirePositive("--sample-length", sampleLength);
        if (sampleLength > MAX_SAMPLE_LENGTH) {
            throw new IllegalArgumentException("--sample-length must be at most " + MAX_SAMPLE_LENGTH
                    + " (use charrnn sample for longer texts), got " + sampleLength);
        }
        if (!(valFraction >= 0 && valFraction <= MAX_VAL_FRACTION)) {
            throw new IllegalArgumentException("--val-fraction must be between 0 (no validation) and "
                    + MAX_VAL_FRACTION + ", got " + valFraction);
        }
        requirePositive("--eval-every", evalEvery);
        requirePositive("--checkpoint-every", checkpointEvery);
        if (resetEvery < 0) {
            throw new IllegalArgumentException("--reset-every must be 0 (reset only at the corpus's end) or above, got "
                    + resetEvery);
        }
        requirePositive("--layers", layers);
        if (layers > MAX_LAYERS) {
            throw new IllegalArgumentException("--layers must be at most " + MAX_LAYERS + ", got " + layers);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be at least 0 and below 1, got " + dropout);
        }
        if (dropout > 0 && layers == 1) {
            throw new IllegalArgumentException("--dropout acts between stacked layers: it needs --layers 2 or more");
        }
        if (optim.schedule() == Schedule.COSINE && optim.warmup() >= iterations) {
            throw new IllegalArgumentException("--warmup (" + optim.warmup() + ") must be below --iterations ("
                    + iterations + ") for --lr-schedule cosine, which ends at --iterations");
        }
        if (optim.schedule() == Schedule.COSINE && optim.minLearningRate() > learningRate) {
            throw new IllegalArgumentException("--min-lr " + optim.minLearningRate()
                    + " must not be above --learning-rate " + learningRate + " for --lr-schedule cosine");
        }
    }

    /** These settings with {@code o} for the optimizer, schedule and global-norm clip. */
    public Hyperparameters withOptim(Optimization o) {
        return toBuilder().optim(o).build();
    }

    /** These settings with another peak learning rate. */
    public Hyperparameters withLearningRate(double lr) {
        return toBuilder().learningRate(lr).build();
    }

    /** These settings with another number of updates. */
    public Hyperparameters withIterations(long n) {
        return toBuilder().iterations(n).build();
    }

    /** The defaults of every option, as {@code --help} shows them. */
    public static Hyperparameters defaults() {
        return builder().build();
    }

    /** A builder that starts from every default: set what differs, by name. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder().hidden(hidden).seqLength(seqLength).batchSize(batchSize).learningRate(learningRate)
                .clip(clip).iterations(iterations).printEvery(printEvery).sampleEvery(sampleEvery)
                .sampleLength(sampleLength).seed(seed).valFraction(valFraction).evalEvery(evalEvery)
                .checkpointEvery(checkpointEvery).resetEvery(resetEvery).cell(cell).layers(layers).dropout(dropout)
                .optim(optim).precision(precision);
    }

    /** Settings built by name; {@link #build()} validates them as the record does. */
    public static final class Builder {
        private int hidden = DEFAULT_HIDDEN;
        private int seqLength = DEFAULT_SEQ_LENGTH;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double clip = DEFAULT_CLIP;
        private long iterations = DEFAULT_ITERATIONS;
        private long printEvery = DEFAULT_PRINT_EVERY;
        private long sampleEvery = DEFAULT_SAMPLE_EVERY;
        private int sampleLength = DEFAULT_SAMPLE_LENGTH;
        private long seed = DEFAULT_SEED;
        private double valFraction = DEFAULT_VAL_FRACTION;
        private long evalEvery = DEFAULT_EVAL_EVERY;
        private long checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
        private int resetEvery = DEFAULT_RESET_EVERY;
        private Cell cell = Cell.RNN;
        private int layers = DEFAULT_LAYERS;
        private double dropout = DEFAULT_DROPOUT;
        private Optimization optim = Optimization.defaults();
        private Precision precision = DEFAULT_PRECISION;

        private Builder() {
        }

        public Builder hidden(int v) { hidden = v; return this; }
        public Builder seqLength(int v) { seqLength = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder clip(double v) { clip = v; return this; }
        public Builder iterations(long v) { iterations = v; return this; }
        public Builder printEvery(long v) { printEvery = v; return this; }
        public Builder sampleEvery(long v) { sampleEvery = v; return this; }
        public Builder sampleLength(int v) { sampleLength = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder valFraction(double v) { valFraction = v; return this; }
        public Builder evalEvery(long v) { evalEvery = v; return this; }
        public Builder checkpointEvery(long v) { checkpointEvery = v; return this; }
        public Builder resetEvery(int v) { resetEvery = v; return this; }
        public Builder cell(Cell v) { cell = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }
        public Builder optim(Optimization v) { optim = v; return this; }
        public Builder precision(Precision v) { precision = v; return this; }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the option whose value cannot work
         */
        public Hyperparameters build() {
            return new Hyperparameters(hidden, seqLength, batchSize, learningRate, clip, iterations, printEvery,
                    sampleEvery, sampleLength, seed, valFraction, evalEvery, checkpointEvery, resetEvery, cell,
                    layers, dropout, optim, precision);
        }
    }

    /**
     * What a resumed run must keep from its checkpoint, by option: the model's shape, the
     * streams, the seed and the validation split. Everything else may be given anew.
     */
    private static final java.util.Map<String, java.util.function.Function<Hyperparameters, Object>> KEPT;

    static {
        java.util.Map<String, java.util.function.Function<Hyperparameters, Object>> kept = new java.util.LinkedHashMap<>();
        kept.put("--cell", hp -> hp.cell().key());
        kept.put("--layers", Hyperparameters::layers);
        kept.put("--hidden", Hyperparameters::hidden);
        kept.put("--seq-length", Hyperparameters::seqLength);
        kept.put("--batch-size", Hyperparameters::batchSize);
        kept.put("--seed", Hyperparameters::seed);
        kept.put("--reset-every", Hyperparameters::resetEvery);
        kept.put("--val-fraction", Hyperparameters::valFraction);
        kept.put("--optimizer", hp -> hp.optim().optimizer().key());
        KEPT = java.util.Collections.unmodifiableMap(kept);
    }

    /**
     * The settings of a run resumed from these (the checkpoint's): each option the user gave
     * ({@code given.test("--learning-rate")}) takes its value from {@code options}, the others
     * stay; an option that must be kept may be given only with the checkpoint's value.
     *
     * @throws IllegalArgumentException naming the first option given with another value than
     *                                  the checkpoint's, among those that must be kept
     */
    public Hyperparameters resumedWith(Hyperparameters options, java.util.function.Predicate<String> given) {
        for (var rule : KEPT.entrySet()) {
            if (given.test(rule.getKey())) {
                requireSame(rule.getKey(), rule.getValue(), options);
            }
        }
        return toBuilder()
                .learningRate(given.test("--learning-rate") ? options.learningRate : learningRate)
                .clip(given.test("--clip") ? options.clip : clip)
                .iterations(given.test("--iterations") ? options.iterations : iterations)
                .printEvery(given.test("--print-every") ? options.printEvery : printEvery)
                .sampleEvery(given.test("--sample-every") ? options.sampleEvery : sampleEvery)
                .sampleLength(given.test("--sample-length") ? options.sampleLength : sampleLength)
                .evalEvery(given.test("--eval-every") ? options.evalEvery : evalEvery)
                .checkpointEvery(given.test("--checkpoint-every") ? options.checkpointEvery : checkpointEvery)
                .dropout(given.test("--dropout") ? options.dropout : dropout)
                .optim(optim.resumedWith(options.optim, given))
                .precision(given.test("--precision") ? options.precision : precision)
                .build();
    }

    /**
     * Refuses settings that differ from these (a checkpoint's) in anything a resumed run must keep.
     *
     * @throws IllegalArgumentException naming the first such option
     */
    public void requireResumable(Hyperparameters other) {
        for (var rule : KEPT.entrySet()) {
            requireSame(rule.getKey(), rule.getValue(), other);
        }
    }

    private void requireSame(String option, java.util.function.Function<Hyperparameters, Object> value,
                             Hyperparameters other) {
        Object saved = value.apply(this);
        Object now = value.apply(other);
        if (!saved.equals(now)) {
            throw new IllegalArgumentException(option + " " + now + " differs from the checkpoint's " + saved
                    + "; a resumed run keeps its cell, layers, hidden size, window, batch size, seed, reset period, "
                    + "validation split and optimizer (whose memory the checkpoint holds: start a new run to change them)");
        }
    }

    /** Characters one update reads: B streams × T steps. */
    public long charsPerIteration() {
        return (long) batchSize * seqLength;
    }

    private static void requirePositive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be 1 or more, got " + value);
        }
    }
}
