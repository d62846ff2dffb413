package charrnn.train;

import charrnn.config.Hyperparameters;
import charrnn.data.Corpus;
import charrnn.data.Windows;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.model.Rnn;
import charrnn.sample.Sampler;
import org.ejml.data.DMatrixRMaj;

/**
 * The training loop: next window of every stream → forward → backward → clip → Adagrad, with
 * the hidden state carried from window to window. Everything it touches per update is
 * allocated in the constructor.
 */
public final class Trainer {
    /** Weight of the newest loss in the smoothed loss, as in min-char-rnn. */
    public static final double SMOOTHING = 0.001;

    /** Tags that derive independent random streams from the one seed. */
    static final long RNG_INIT = 0;
    static final long RNG_SAMPLE = 1;

    private final Hyperparameters hp;
    private final Corpus corpus;
    private final int H;
    private final int V;
    private final int T;
    private final int B;

    private final Params params;
    private final Params grads;
    private final Adagrad adagrad;
    private final Rnn rnn;
    private final Windows windows;
    private final DMatrixRMaj h;        // B×H hidden state carried between windows
    private final int[] inputs;         // T·B
    private final int[] targets;        // T·B
    private final boolean[] reset;      // B
    private final Sampler sampler;
    private final Rng sampleRng;
    private final double[] sampleState; // H
    private final int[] sampleOut;      // sample length

    private long iteration;
    private double smoothLoss;

    /**
     * @throws IllegalArgumentException if the corpus is shorter than one window of T+1
     *                                  characters
     */
    public Trainer(Hyperparameters hp, Corpus corpus) {
        this.hp = hp;
        this.corpus = corpus;
        H = hp.hidden();
        V = corpus.vocabulary().size();
        T = hp.seqLength();
        B = hp.batchSize();
        if (corpus.length() < T + 1) {
            throw new IllegalArgumentException("the corpus has " + corpus.length()
                    + " characters, fewer than one training window of --seq-length + 1 = " + (T + 1));
        }
        params = Params.initial(H, V, Rng.derived(hp.seed(), RNG_INIT));
        grads = new Params(H, V);
        adagrad = new Adagrad(hp.learningRate(), H, V);
        rnn = new Rnn(H, V, T, B);
        windows = new Windows(corpus.text(), 0, corpus.length(), T, B);
        h = new DMatrixRMaj(B, H);
        inputs = new int[T * B];
        targets = new int[T * B];
        reset = new boolean[B];
        sampler = new Sampler(params);
        sampleRng = Rng.derived(hp.seed(), RNG_SAMPLE);
        sampleState = new double[H];
        sampleOut = new int[hp.sampleLength()];
        smoothLoss = Math.log(V);
    }

    /** Trains for {@code --iterations} updates, reporting to {@code listener}. */
    public Summary run(TrainingListener listener) throws DivergedException {
        final long start = System.nanoTime();
        long lastReport = start;
        long lastReportIteration = iteration;
        while (iteration < hp.iterations()) {
            double loss = step();
            smoothLoss = (1 - SMOOTHING) * smoothLoss + SMOOTHING * loss;
            if (iteration % hp.printEvery() == 0 || iteration == hp.iterations()) {
                long now = System.nanoTime();
                double cps = (iteration - lastReportIteration) * hp.charsPerIteration() / ((now - lastReport) * 1e-9);
                listener.progress(iteration, charsSeen(), smoothLoss, cps);
                lastReport = now;
                lastReportIteration = iteration;
            }
            if (hp.sampleEvery() > 0 && iteration % hp.sampleEvery() == 0) {
                listener.sample(iteration, sample());
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        return new Summary(iteration, charsSeen(), seconds, smoothLoss);
    }

    /**
     * One update: the next window of every stream, forward, backward, clip, Adagrad.
     *
     * @return the window's mean loss, nats per character
     */
    public double step() throws DivergedException {
        windows.next(inputs, targets, reset);
        for (int b = 0; b < B; b++) {
            if (reset[b]) {
                java.util.Arrays.fill(h.data, b * H, (b + 1) * H, 0.0);
            }
        }
        double loss = rnn.forward(params, inputs, targets, h);
        grads.zero();
        rnn.backward(params, grads);
        iteration++;
        boolean finite = Clipping.clip(grads, hp.clip());
        if (!Double.isFinite(loss)) {
            throw new DivergedException(iteration, "the loss became " + loss);
        }
        if (!finite) {
            throw new DivergedException(iteration, "a gradient became infinite or NaN");
        }
        adagrad.step(params, grads);
        return loss;
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

    /**
     * The result of a run.
     *
     * @param iterations  updates made
     * @param chars       characters trained on
     * @param seconds     wall-clock time of the loop
     * @param smoothLoss  final smoothed training loss, nats per character
     */
    public record Summary(long iterations, long chars, double seconds, double smoothLoss) {
        public double charsPerSecond() {
            return chars / seconds;
        }
    }
}
