package charrnn.train;

import charrnn.config.Precision;
import charrnn.data.EncodedText;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rnn;
import org.ejml.data.DMatrixRMaj;

/**
 * The mean loss of a model over a span of text, read in order from a zero hidden state, one
 * stream: every character after the first is predicted from all those before it. Buffers are
 * allocated once, for windows of T characters.
 */
public final class Evaluator {
    /** Window length used for long texts: long enough that the per-window overhead vanishes. */
    public static final int DEFAULT_WINDOW = 100;

    private final int T;
    private final Rnn rnn;
    private final int[] inputs;
    private final int[] targets;
    private final DMatrixRMaj h;
    private final Params params;
    private final Kernels kernels;
    private final Precision precision;
    private Rnn tail;                  // for a last window shorter than T, kept for the next call

    /** An evaluator computing in {@code precision} on the fastest kernels. */
    public Evaluator(Params params, int T, Precision precision) {
        this(params, T, Kernels.best(), precision);
    }

    /** An evaluator that runs on {@code kernels}, computing in {@code precision}. */
    public Evaluator(Params params, int T, Kernels kernels, Precision precision) {
        this.params = params;
        this.T = T;
        this.kernels = kernels;
        this.precision = precision;
        this.rnn = model(params, T);
        this.inputs = new int[T];
        this.targets = new int[T];
        this.h = new DMatrixRMaj(1, params.shape().stateWidth());
    }

    /**
     * Mean of −ln p(x_{i+1} | x_from..x_i) over i in [from, to−1), in nats per character.
     *
     * @throws IllegalArgumentException if the span holds fewer than 2 characters
     */
    public double meanLoss(EncodedText text, int from, int to) {
        if (to - from < 2) {
            throw new IllegalArgumentException("a span of fewer than 2 characters has nothing to predict");
        }
        h.zero();
        double total = 0;
        int p = from;
        int predicted = 0;
        while (p + 1 < to) {
            int n = Math.min(T, to - 1 - p);
            for (int t = 0; t < n; t++) {
                inputs[t] = text.at(p + t);
                targets[t] = text.at(p + t + 1);
            }
            // the weights are copied into the compute format in the first window only
            total += n == T ? rnn.forward(params, inputs, targets, h, p > from) * T : tail(n);
            predicted += n;
            p += n;
        }
        return total / predicted;
    }

    /** The summed loss of a last, shorter window of n steps (its model is made once per length). */
    private double tail(int n) {
        if (tail == null || tail.T != n) {
            tail = model(params, n);
        }
        return tail.forward(params, inputs, targets, h) * n;
    }

    /** The model of {@code params} over windows of T characters, one stream, no dropout. */
    private Rnn model(Params params, int T) {
        return new Rnn(params.H, params.V, T, 1, kernels, precision, 1, params.cell, params.L, 0, 0);
    }
}
