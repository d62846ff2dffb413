package charrnn.explain;

import charrnn.config.Cell;
import charrnn.config.Precision;
import charrnn.data.Vocabulary;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rnn;
import charrnn.train.Evaluator;
import org.ejml.data.DMatrixRMaj;

/**
 * What a model made of a text, character by character: read in order from an empty memory, as
 * {@code eval} reads it, so that the mean of {@link #nats} is {@code eval}'s loss.
 *
 * <p>Legend: N characters shown, K of them in the vocabulary (the model reads only those, in
 * order: a character outside it is skipped, as {@code eval} skips it), V symbols, L layers of H
 * units. Character k (of the K) is predicted from characters 0..k−1 by p_{k−1}; the first is
 * not predicted.
 */
public final class Reading {
    /** Guesses kept per character. */
    public static final int TOP = 5;

    public final Cell cell;
    public final int H;
    public final int L;
    public final Vocabulary vocabulary;
    /** N, the text as shown, every character. */
    final int[] text;
    /** K, where each character the model reads stands in {@link #text}. */
    final int[] at;
    /** K, the vocabulary index of each character read. */
    final int[] symbol;
    /** K, −ln p_{k−1}[x_k] in nats; NaN for k = 0. */
    final double[] nats;
    /** K, rank of x_k in p_{k−1} (1 for the likeliest); 0 for k = 0. */
    final int[] rank;
    /** K·TOP, the symbols of p_{k−1}'s likeliest guesses, likeliest first (row k; row 0 empty). */
    final int[] top;
    /** K·TOP, their probabilities. */
    final double[] topP;
    /**
     * K·(L·H), each unit's value after reading x_k: layer l's units are columns l·H..l·H+H−1;
     * the hidden state h for the tanh RNN and the GRU, the cell state c for the LSTM.
     */
    final float[] units;

    private Reading(Cell cell, int H, int L, Vocabulary vocabulary, int[] text, int K) {
        this.cell = cell;
        this.H = H;
        this.L = L;
        this.vocabulary = vocabulary;
        this.text = text;
        this.at = new int[K];
        this.symbol = new int[K];
        this.nats = new double[K];
        this.rank = new int[K];
        this.top = new int[K * TOP];
        this.topP = new double[K * TOP];
        this.units = new float[K * L * H];
    }

    /** K, the characters read. */
    public int read() {
        return at.length;
    }

    /** Units per layer times layers: the columns of {@link #units}. */
    public int width() {
        return L * H;
    }

    /** The mean of −ln p over the K − 1 characters predicted, in nats: {@code eval}'s loss. */
    public double meanNats() {
        double total = 0;
        for (int k = 1; k < nats.length; k++) {
            total += nats[k];
        }
        return total / (nats.length - 1);
    }

    /**
     * Runs the model {@code p} of {@code cell} over {@code text}.
     *
     * @throws IllegalArgumentException if fewer than 2 characters of the text are in the vocabulary
     */
    public static Reading of(Params p, Cell cell, Vocabulary vocabulary, int[] text) {
        int K = 0;
        for (int cp : text) {
            K += vocabulary.contains(cp) ? 1 : 0;
        }
        if (K < 2) {
            throw new IllegalArgumentException("fewer than 2 characters of the vocabulary: nothing to predict");
        }
        Reading r = new Reading(cell, p.H, p.L, vocabulary, text, K);
        for (int i = 0, k = 0; i < text.length; i++) {
            int s = vocabulary.indexOf(text[i]);
            if (s >= 0) {
                r.at[k] = i;
                r.symbol[k++] = s;
            }
        }
        r.nats[0] = Double.NaN;
        r.run(p);
        return r;
    }

    /**
     * Reads x_0..x_{K−1} in windows of {@link Evaluator#DEFAULT_WINDOW} steps, the state carried
     * across, as {@code eval} does; step k's output p_k predicts x_{k+1}, and the state after it
     * gives the units of x_k. The last step's target is a stand-in: nothing follows x_{K−1}.
     */
    private void run(Params p) {
        final int K = at.length;
        final int V = vocabulary.size();
        final int T = Evaluator.DEFAULT_WINDOW;
        final int S = cell.stateWidth(H);
        DMatrixRMaj h = new DMatrixRMaj(1, Rnn.stateWidth(cell, H, L));
        Rnn rnn = null;
        int[] inputs = new int[T];
        int[] targets = new int[T];
        double[] probs = new double[V];
        double[] state = new double[L * S];
        for (int from = 0; from < K; from += T) {
            int n = Math.min(T, K - from);
            // a new model copies the weights into its compute format; the same one reuses its copy
            final boolean sameWeights = rnn != null && rnn.T == n;
            if (!sameWeights) {
                rnn = new Rnn(H, V, n, 1, Kernels.best(), Precision.FLOAT64, 1, cell, L, 0, 0);
            }
            for (int t = 0; t < n; t++) {
                inputs[t] = symbol[from + t];
                targets[t] = from + t + 1 < K ? symbol[from + t + 1] : 0;
            }
            rnn.forward(p, inputs, targets, h, sameWeights);
            for (int t = 0; t < n; t++) {
                final int k = from + t;
                rnn.hiddenAt(t, 0, state);
                // the units after x_k: h of each layer, or its c for the LSTM (stored after h)
                final int shown = cell == Cell.LSTM ? H : 0;
                for (int l = 0; l < L; l++) {
                    for (int i = 0; i < H; i++) {
                        units[k * L * H + l * H + i] = (float) state[l * S + shown + i];
                    }
                }
                if (k + 1 < K) {
                    rnn.probabilitiesAt(t, 0, probs);
                    predicted(k + 1, probs);
                }
            }
        }
    }

    /** Records how p, the distribution after x_{k−1}, scored x_k. */
    private void predicted(int k, double[] p) {
        final double pk = p[symbol[k]];
        // −ln p[x_k]
        nats[k] = -Math.log(pk);
        int above = 0;
        for (double q : p) {
            above += q > pk ? 1 : 0;
        }
        rank[k] = above + 1;
        // the TOP likeliest, by repeated selection (ties: the lower index first)
        for (int j = 0; j < TOP; j++) {
            int best = -1;
            for (int v = 0; v < p.length; v++) {
                if (!chosen(k, j, v) && (best < 0 || p[v] > p[best])) {
                    best = v;
                }
            }
            top[k * TOP + j] = best;
            topP[k * TOP + j] = best < 0 ? 0 : p[best];
        }
    }

    private boolean chosen(int k, int j, int v) {
        for (int i = 0; i < j; i++) {
            if (top[k * TOP + i] == v) {
                return true;
            }
        }
        return false;
    }

    /** Bits of surprise of character k: −log₂ p. */
    public double bits(int k) {
        return nats[k] / Math.log(2);
    }
}
