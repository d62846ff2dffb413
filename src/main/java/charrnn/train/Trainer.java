package charrnn.train;

import charrnn.config.Hyperparameters;
import charrnn.data.Corpus;
import charrnn.data.Windows;
import charrnn.model.BatchRnn;
import charrnn.model.ExactMath;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.model.Rnn;
import charrnn.model.Warmup;
import charrnn.sample.Sampler;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The training loop: next window of every stream → forward → backward → clip → optimizer step
 * at the schedule's learning rate, with
 * the hidden state carried from window to window, and the held-out tail of the corpus
 * evaluated now and then. Everything it touches per update is allocated in the constructor.
 */
public final class Trainer implements AutoCloseable {
    /** Weight of the newest loss in the smoothed loss, as in min-char-rnn. */
    public static final double SMOOTHING = 0.001;
    /** Updates between two samples of what an update allocates (see {@link Summary}). */
    static final int PROBE_EVERY = 64;
    /** The samples the summary's figure is the median of: the run's last, after the JIT's warm-up. */
    private static final int PROBES_KEPT = 32;

    /** Tags that derive independent random streams from the one seed. */
    static final long RNG_INIT = 0;
    static final long RNG_SAMPLE = 1;
    static final long RNG_DROPOUT = 2;

    private final Hyperparameters hp;
    private final Corpus corpus;
    private final int H;
    private final int V;
    private final int T;
    private final int B;
    private final int S;                 // state per stream, every layer: L·H, or L·2H with the LSTM's c
    private final int trainEnd;          // the corpus is [0, trainEnd) training, [trainEnd, n) held out

    private final Kernels kernels;
    private final Params params;
    private final Params grads;
    private final Optimizer optimizer;
    private final LearningRate schedule;
    private final BatchRnn rnn;
    private final Windows windows;
    private final DMatrixRMaj h;        // B×S state carried between windows
    private final int[] inputs;         // T·B
    private final int[] targets;        // T·B
    private final boolean[] reset;      // B
    private final Sampler sampler;
    private final Rng sampleRng;
    private final long dropoutSeed;     // the masks of update n come from (dropoutSeed, n)
    private final Rng dropoutRng;
    private final double[] sampleState; // S
    private final int[] sampleOut;      // sample length
    private final HeldOut evaluator;    // null without a held-out part

    /** The clock of the speed figures, in nanoseconds; tests set one that they control. */
    LongSupplier clock = System::nanoTime;

    private long iteration;
    private double rate;                // the learning rate of the last update
    private double smoothLoss;
    private double bestValLoss = Double.NaN;
    private long bestValIteration;

    /**
     * A fresh run.
     *
     * @throws IllegalArgumentException if the corpus cannot hold one training window of T+1
     *                                  characters besides its held-out part
     */
    public Trainer(Hyperparameters hp, Corpus corpus) {
        this(hp, corpus, Runtime.getRuntime().availableProcessors());
    }

    /**
     * A fresh run on up to {@code threads} threads (the result does not depend on how many).
     *
     * @throws IllegalArgumentException as {@link #Trainer(Hyperparameters, Corpus)}
     */
    public Trainer(Hyperparameters hp, Corpus corpus, int threads) {
        this(hp, corpus, threads, Kernels.best());
    }

    /**
     * A fresh run on {@code kernels} (every implementation gives the same bits; tests run each).
     *
     * @throws IllegalArgumentException as {@link #Trainer(Hyperparameters, Corpus)}
     */
    public Trainer(Hyperparameters hp, Corpus corpus, int threads, Kernels kernels) {
        this.hp = hp;
        this.corpus = corpus;
        H = hp.hidden();
        V = corpus.vocabulary().size();
        T = hp.seqLength();
        B = hp.batchSize();
        trainEnd = trainingLength(hp, corpus.length());
        this.kernels = kernels;
        final int G = hp.cell().gates();
        final int L = hp.layers();
        params = Params.initial(H, V, G, L, Rng.derived(hp.seed(), RNG_INIT));
        grads = new Params(H, V, G, L);
        optimizer = Optimizer.of(hp, params, kernels);
        schedule = new LearningRate(hp);
        rnn = new BatchRnn(H, V, T, B, kernels, hp.precision(), threads, hp.cell(), L, hp.dropout());
        windows = new Windows(corpus.text(), 0, trainEnd, T, B, hp.resetEvery());
        S = charrnn.model.Rnn.stateWidth(hp.cell(), H, L);
        h = new DMatrixRMaj(B, S);
        inputs = new int[T * B];
        targets = new int[T * B];
        reset = new boolean[B];
        sampler = new Sampler(params, kernels, hp.precision());
        sampleRng = Rng.derived(hp.seed(), RNG_SAMPLE);
        dropoutSeed = Rng.derived(hp.seed(), RNG_DROPOUT).nextLong();
        dropoutRng = new Rng(0);
        sampleState = new double[S];
        sampleOut = new int[hp.sampleLength()];
        evaluator = trainEnd < corpus.length() ? new HeldOut(params, trainEnd, corpus.length(), threads, kernels, hp.precision()) : null;
        smoothLoss = ExactMath.log(V);
    }

    /**
     * A run that continues from {@code state}, exactly as if it had never stopped: weights,
     * optimizer memory, carried state, stream positions, iteration, smoothed loss, the samples'
     * random state and the best validation loss come back. The corpus must have the state's
     * vocabulary; hp must keep what {@link Hyperparameters#requireResumable} names (cell,
     * layers, H, T, B, seed, reset period, validation split, optimizer).
     *
     * @throws IllegalArgumentException if they differ
     */
    public Trainer(Hyperparameters hp, Corpus corpus, TrainingState state, int threads) {
        this(hp, corpus, state, threads, Kernels.best());
    }

    /** {@link #Trainer(Hyperparameters, Corpus, TrainingState, int)} on {@code kernels}. */
    public Trainer(Hyperparameters hp, Corpus corpus, TrainingState state, int threads, Kernels kernels) {
        this(hp, corpus, threads, kernels);
        state.hp().requireResumable(hp);
        if (!state.vocabulary().equals(corpus.vocabulary())) {
            throw new IllegalArgumentException("the corpus's vocabulary differs from the checkpoint's");
        }
        params.setTo(state.params());
        optimizer.restore(state.optimizerState(), state.optimizerSteps());
        h.setTo(state.hidden());
        iteration = state.iteration();
        smoothLoss = state.smoothLoss();
        windows.setPositions(state.positions());
        sampleRng.setState(state.sampleRngState());
        bestValLoss = state.bestValLoss();
        bestValIteration = state.bestValIteration();
    }

    /**
     * Bytes a run of these shapes on a corpus of {@code corpusLength} characters allocates when it
     * is built, counted from the buffers it keeps: parameters, gradient and the optimizer's
     * memory, then the models that run the training batch, the
     * sampler, and the validation of the held-out text (its pieces' full windows, their last,
     * shorter one, and the evaluator of what they leave). What {@code --hidden} and
     * {@code --batch-size} cost; the command line refuses a run that would not fit.
     *
     * @throws IllegalArgumentException as {@link #trainingLength}
     */
    public static double memoryEstimate(Hyperparameters hp, int V, int corpusLength) {
        int B = hp.batchSize();
        int T = hp.seqLength();
        long S = Rnn.stateWidth(hp.cell(), hp.hidden(), hp.layers());
        double weights = parameters(hp, V) * (2 + Optimizer.buffers(hp.optim().optimizer())) * Double.BYTES;
        // the training batch and what the trainer keeps for it; the sampler's one-step model
        double models = batch(hp, V, T, B, hp.dropout()) + (double) B * S * Double.BYTES + 2.0 * T * B * Integer.BYTES
                + model(hp, V, 1, 1);
        int heldOut = corpusLength - trainingLength(hp, corpusLength);
        if (heldOut != 0) {
            // the evaluator of what the pieces leave, and the pieces side by side
            models += model(hp, V, HeldOut.WINDOW, 1) + S * Double.BYTES + 2.0 * HeldOut.WINDOW * Integer.BYTES;
            int K = HeldOut.pieces(heldOut);
            if (K != 1) {
                int tail = (heldOut - 1) / K % HeldOut.WINDOW;
                models += heldOutBatch(hp, V, HeldOut.WINDOW, K) + (tail == 0 ? 0 : heldOutBatch(hp, V, tail, K))
                        + (double) K * S * Double.BYTES + 2.0 * HeldOut.WINDOW * K * Integer.BYTES;
            }
        }
        return weights + models + SMALL_OBJECTS;
    }

    /** Bytes of the many small objects a run builds besides its buffers (headers, views, lists, the pool). */
    private static final double SMALL_OBJECTS = 64 << 10;

    private static double parameters(Hyperparameters hp, int V) {
        return new charrnn.model.Shape(hp.cell(), hp.hidden(), V, hp.layers()).parameterCount();
    }

    /** Bytes of a batch of B streams of T steps on the kernels a run uses. */
    private static double batch(Hyperparameters hp, int V, int T, int B, double dropout) {
        return BatchRnn.bytes(Kernels.best(), hp.precision(), hp.cell(), hp.hidden(), V, T, B, hp.layers(), dropout);
    }

    /** Bytes of the held-out pieces' batch of K streams of T steps (in parts of {@link HeldOut#PIECES_PER_PART}). */
    private static double heldOutBatch(Hyperparameters hp, int V, int T, int K) {
        return BatchRnn.bytes(Kernels.best(), hp.precision(), hp.cell(), hp.hidden(), V, T, K, hp.layers(), 0,
                HeldOut.PIECES_PER_PART);
    }

    /** Bytes of one model of B streams of T steps, without dropout. */
    private static double model(Hyperparameters hp, int V, int T, int B) {
        return Rnn.bytes(Kernels.best(), hp.precision(), hp.cell(), hp.hidden(), V, T, B, hp.layers(), 0);
    }

    /**
     * Characters of the corpus used for training: all but the held-out tail. A tail of fewer
     * than 2 characters cannot be evaluated, so a corpus that short is not split at all.
     *
     * @throws IllegalArgumentException if fewer than T+1 characters are left to train on
     */
    public static int trainingLength(Hyperparameters hp, int corpusLength) {
        int held = (int) Math.floor(corpusLength * hp.valFraction());
        if (held < 2) {
            held = 0;
        }
        int train = corpusLength - held;
        if (train < hp.seqLength() + 1) {
            throw new IllegalArgumentException(String.format(
                    "--seq-length %d needs %d characters to train on, but the corpus has %d%s",
                    hp.seqLength(), hp.seqLength() + 1, train,
                    held > 0 ? " once " + held + " are held out by --val-fraction" : ""));
        }
        return train;
    }

    /**
     * Trains until {@code --iterations} updates have been made or {@code stop} says so
     * (checked before every update), reporting to {@code listener}.
     *
     * @throws IOException if the listener cannot save a checkpoint
     */
    public Summary run(TrainingListener listener, BooleanSupplier stop) throws DivergedException, IOException {
        final long start = clock.getAsLong();
        // the Vector API's kernels compiled first (the wait counts in the run's time)
        Warmup.await(stop);
        final long firstIteration = iteration;
        long lastReport = start;
        long lastReportIteration = iteration;
        final HeapProbe heap = new HeapProbe();
        final long[] heapRecent = new long[PROBES_KEPT];   // the last probes' counts, a ring
        int heapProbes = 0;
        while (iteration < hp.iterations() && !stop.getAsBoolean()) {
            // every PROBE_EVERY-th update but the run's first: what its step allocated (the
            // threads noted once, at the first probe, when the workers have all started)
            final boolean probe = iteration > firstIteration && iteration % PROBE_EVERY == 0;
            if (probe) {
                if (heapProbes == 0) {
                    heap.noteThreads();
                }
                heap.mark();
            }
            double loss = step();
            final long allocated = probe ? heap.since() : -1;
            if (allocated >= 0) {
                heapRecent[heapProbes++ % PROBES_KEPT] = allocated;
            }
            smoothLoss = (1 - SMOOTHING) * smoothLoss + SMOOTHING * loss;
            listener.tick(iteration);
            // validation first, so that the loss line of the same update can report it
            if (evaluator != null && iteration % hp.evalEvery() == 0) {
                double val = validationLoss();
                boolean best = Double.isNaN(bestValLoss) || val < bestValLoss;
                if (best) {
                    bestValLoss = val;
                    bestValIteration = iteration;
                }
                listener.validation(iteration, val, best);
                if (best) {
                    listener.checkpoint(state(), true);
                }
            }
            if (iteration % hp.printEvery() == 0 || iteration == hp.iterations()) {
                long now = clock.getAsLong();
                double cps = (iteration - lastReportIteration) * hp.charsPerIteration() / ((now - lastReport) * 1e-9);
                listener.progress(iteration, charsSeen(), smoothLoss, cps, rate);
                lastReport = now;
                lastReportIteration = iteration;
            }
            if (hp.sampleEvery() > 0 && iteration % hp.sampleEvery() == 0) {
                listener.sample(iteration, sample());
            }
            if (iteration % hp.checkpointEvery() == 0) {
                listener.checkpoint(state(), false);
            }
        }
        double seconds = (clock.getAsLong() - start) * 1e-9;
        return new Summary(iteration, charsSeen(), (iteration - firstIteration) * hp.charsPerIteration(),
                seconds, smoothLoss, median(heapRecent, Math.min(heapProbes, PROBES_KEPT)));
    }

    /**
     * One update: the next window of every stream, forward, backward, clip, optimizer step.
     *
     * @return the window's mean loss, nats per character
     */
    public double step() throws DivergedException {
        windows.next(inputs, targets, reset);
        for (int b = 0; b < B; b++) {
            if (reset[b]) {
                Arrays.fill(h.data, b * S, (b + 1) * S, 0.0);
            }
        }
        if (hp.dropout() > 0) {
            // the masks of this update follow from the seed and the update's number alone
            dropoutRng.reseed(dropoutSeed, iteration);
            rnn.setDropoutKey(dropoutRng.nextLong());
        }
        double loss = rnn.forwardBackward(params, inputs, targets, h, grads);
        if (!Double.isFinite(loss)) {
            throw new DivergedException(iteration + 1, "the loss became " + loss);
        }
        // clip (element-wise, then the global norm), then the optimizer's step at the
        // schedule's rate; a non-finite gradient ends the run (nothing of it is saved)
        rate = schedule.at(iteration + 1);
        double clip = hp.clip();
        if (hp.optim().clipNorm() > 0) {
            if (Double.isNaN(GradientClip.clip(grads, clip, hp.optim().clipNorm()))) {
                throw new DivergedException(iteration + 1, "a gradient became infinite or NaN");
            }
            clip = 0;   // done
        }
        if (!optimizer.step(params, grads, rate, clip, rnn)) {
            throw new DivergedException(iteration + 1, "a gradient became infinite or NaN");
        }
        iteration++;
        return loss;
    }

    /** Mean loss over the held-out tail of the corpus, nats per character. */
    public double validationLoss() {
        if (evaluator == null) {
            throw new IllegalStateException("no held-out text: --val-fraction is 0");
        }
        return evaluator.meanLoss(corpus.text());
    }

    /**
     * Draws {@code --sample-length} characters that continue stream 0 from where training
     * stands: its current hidden state, fed the character that follows its last window.
     */
    public String sample() {
        rnn.hiddenAt(T - 1, 0, sampleState);
        sampler.setHidden(sampleState);
        sampler.generate(targets[(T - 1) * B], sampleOut.length, sampleRng, 1.0, false, sampleOut);
        return corpus.vocabulary().decode(sampleOut, sampleOut.length);
    }

    /** The state to checkpoint, referring to the live buffers (see {@link TrainingState}). */
    public TrainingState state() {
        Params[] memory = optimizer.state();
        return new TrainingState(hp, corpus.vocabulary(), corpus.counts(), corpus.length(), params,
                memory[0], memory.length > 1 ? memory[1] : null, optimizer.steps(), h, iteration, smoothLoss, windows.positions(), sampleRng.state(),
                bestValLoss, bestValIteration);
    }

    public long charsSeen() {
        return iteration * hp.charsPerIteration();
    }

    public long iteration() {
        return iteration;
    }

    public double smoothLoss() {
        return smoothLoss;
    }

    public Params params() {
        return params;
    }

    /** Threads the batch runs on at most. */
    public int parallelism() {
        return rnn.parallelism();
    }

    /** Which kernels run the arithmetic. */
    public String kernels() {
        return kernels.ops(hp.precision()).describe();
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        rnn.close();
        if (evaluator != null) {
            evaluator.close();
        }
    }

    /** Characters held out for validation (0 without validation). */
    public int heldOut() {
        return corpus.length() - trainEnd;
    }

    /** The median of the first {@code n} of {@code values}, or −1 if n is 0. */
    private static long median(long[] values, int n) {
        if (n == 0) {
            return -1;
        }
        final long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return sorted[n / 2];
    }

    /**
     * The result of a run.
     *
     * @param iterations  updates made in all, counting those before a resume
     * @param chars       characters trained on in all
     * @param charsThisRun characters trained on by this process
     * @param seconds     wall-clock time of this process's loop
     * @param smoothLoss  final smoothed training loss, nats per character
     * @param heapBytesPerUpdate bytes the JVM's threads allocated during an update (the step
     *                    alone, sampled every {@value #PROBE_EVERY} updates; the median of the
     *                    last {@value #PROBES_KEPT} samples): a few hundred bytes at most (the
     *                    thread pool's task objects), since every buffer is made once; −1 if
     *                    none was sampled
     */
    public record Summary(long iterations, long chars, long charsThisRun, double seconds, double smoothLoss,
                          long heapBytesPerUpdate) {
        public double charsPerSecond() {
            return seconds > 0 ? charsThisRun / seconds : 0;
        }
    }
}
