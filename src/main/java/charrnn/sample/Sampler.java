package charrnn.sample;

import charrnn.config.Cell;
import charrnn.config.Precision;
import charrnn.model.ExactMath;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.model.Rnn;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Generates text one character at a time from a model's parameters:
 * <pre>
 *   h = cell(x, h)                 (the recurrent step of the model's cell, one character)
 *   p = softmax((Why·h + by) / τ)
 *   top-k:  keep the K likeliest characters of p (ties: the lower index first)
 *   top-p:  of those, keep the fewest likeliest whose probability sums to P or more (nucleus)
 *   x ~ p restricted to the kept characters and renormalised       (or x = argmax p)
 * </pre>
 * The temperature τ rescales the scores: below 1 it sharpens the distribution (safer, more
 * repetitive text), above 1 it flattens it (more varied, more mistakes). Top-k (Fan, Lewis and
 * Dauphin, 2018) and top-p (Holtzman et al., "The Curious Case of Neural Text Degeneration",
 * 2020) cut off the unlikely tail, in that order, after the temperature, as Hugging Face's
 * generate does. K = 0 or K ≥ V and P = 1 cut nothing. The likeliest character is always kept,
 * so argmax is the same with or without them. Buffers are allocated once. The parameters are read as they are when a sequence starts (at construction
 * and at every {@link #setHidden}) and must not change until the next one starts.
 */
public final class Sampler {
    private final Params p;
    private final int H;
    private final int V;
    private final DMatrixRMaj state;  // 1×(L·S) the carried state of every layer (see Rnn.forward)
    private final int top;            // where the top layer's h starts in it
    private final DMatrixRMaj h;      // H×1 h of the top layer
    private final DMatrixRMaj y;      // V×1 scores, then probabilities
    private final Rnn step;           // the cell, one step of one stream
    private final int[] x1 = new int[1];
    private final int[] order;        // V indices, likeliest first, for top-k and top-p
    private final int[] scratch;      // V, for sorting them
    private boolean sameWeights;      // p unchanged since the last step: the model reuses its transposes

    /** A sampler whose model computes in {@code precision} on the fastest kernels. */
    public Sampler(Params p, Precision precision) {
        this(p, Kernels.best(), precision);
    }

    /** A sampler whose model runs on {@code kernels}, computing in {@code precision}. */
    public Sampler(Params p, Kernels kernels, Precision precision) {
        this.p = p;
        this.H = p.H;
        this.V = p.V;
        Cell cell = p.cell;
        state = new DMatrixRMaj(1, Rnn.stateWidth(cell, H, p.L));
        top = (p.L - 1) * cell.stateWidth(H);
        h = new DMatrixRMaj(H, 1);
        y = new DMatrixRMaj(V, 1);
        order = new int[V];
        scratch = new int[V];
        step = new Rnn(H, V, 1, 1, kernels, precision, 1, cell, p.L, 0, 0);
    }

    /**
     * Starts a sequence from the carried state {@code values} (length L·S, as
     * {@link Rnn#hiddenAt} gives it), with the parameters as they are now.
     */
    public void setHidden(double[] values) {
        sameWeights = false;
        System.arraycopy(values, 0, state.data, 0, state.numCols);
        System.arraycopy(state.data, top, h.data, 0, H);
    }

    /** Reads character {@code x}: advances the hidden state and leaves p(next | ..., x) ready. */
    public void feed(int x) {
        // h = cell(x, h)
        x1[0] = x;
        step.advance(p, x1, state, sameWeights);
        sameWeights = true;
        System.arraycopy(state.data, top, h.data, 0, H);
    }

    /**
     * Draws the next character from p = softmax((Why·h + by)/τ) given the characters fed so far.
     *
     * @param temperature τ &gt; 0
     * @param argmax      take the most probable character instead of drawing (no randomness used)
     */
    public int draw(Rng rng, double temperature, boolean argmax) {
        return draw(rng, temperature, 0, 1.0, argmax);
    }

    /**
     * Draws the next character from p = softmax((Why·h + by)/τ) cut to its top-k, then its
     * top-p, and renormalised.
     *
     * @param topK K, 0 (or V or more) for no cut
     * @param topP P in (0, 1], 1 for no cut
     */
    public int draw(Rng rng, double temperature, int topK, double topP, boolean argmax) {
        final int best = scores();
        if (argmax) {
            return best;
        }
        final double sum = filter(exponentiate(best, temperature), topK, topP);
        final double[] e = y.data;
        double u = rng.nextDouble() * sum;
        for (int j = 0; j < V; j++) {
            u -= e[j];
            if (u < 0) {
                return j;
            }
        }
        return best;   // u landed on the rounding remainder of the sum
    }

    /** p(next | characters fed so far) at temperature τ, into {@code out} (length V). */
    public void probabilities(double temperature, double[] out) {
        probabilities(temperature, 0, 1.0, out);
    }

    /** The distribution {@link #draw(Rng, double, int, double, boolean)} draws from, into {@code out} (length V). */
    public void probabilities(double temperature, int topK, double topP, double[] out) {
        final double sum = filter(exponentiate(scores(), temperature), topK, topP);
        for (int j = 0; j < V; j++) {
            out[j] = y.data[j] / sum;
        }
    }

    /** y = Why·h + by; returns the index of the largest score. */
    private int scores() {
        // y = Why·h + by
        CommonOps_DDRM.mult(p.Why, h, y);
        CommonOps_DDRM.addEquals(y, p.by);
        final double[] s = y.data;
        int best = 0;
        for (int j = 1; j < V; j++) {
            if (s[j] > s[best]) {
                best = j;
            }
        }
        return best;
    }

    /** y ← exp((y − y[best]) / τ), the unnormalised softmax; returns its sum. */
    private double exponentiate(int best, double temperature) {
        final double[] s = y.data;
        final double max = s[best];
        double sum = 0;
        for (int j = 0; j < V; j++) {
            s[j] = ExactMath.exp((s[j] - max) / temperature);
            sum += s[j];
        }
        return sum;
    }

    /**
     * Zeroes the characters top-k and top-p cut from the unnormalised probabilities y (whose
     * sum is {@code sum}); returns the sum of those kept.
     */
    private double filter(double sum, int topK, double topP) {
        final boolean cutK = topK > 0 && topK < V;
        if (!cutK && topP >= 1) {
            return sum;
        }
        final double[] e = y.data;
        for (int j = 0; j < V; j++) {
            order[j] = j;
        }
        sortByProbability(0, V);
        int keep = cutK ? topK : V;
        if (topP < 1) {
            double kept = 0;
            for (int i = 0; i < keep; i++) {
                kept += e[order[i]];
            }
            // the fewest likeliest whose share of what top-k kept reaches P
            double cumulative = 0;
            for (int i = 0; i < keep; i++) {
                cumulative += e[order[i]];
                if (cumulative >= topP * kept) {
                    keep = i + 1;
                    break;
                }
            }
        }
        for (int i = keep; i < V; i++) {
            e[order[i]] = 0;
        }
        double total = 0;
        for (int j = 0; j < V; j++) {
            total += e[j];
        }
        return total;
    }

    /** Sorts order[from, to) by y descending, ties by index ascending: a stable merge sort. */
    private void sortByProbability(int from, int to) {
        if (to - from < 2) {
            return;
        }
        final int mid = (from + to) >>> 1;
        sortByProbability(from, mid);
        sortByProbability(mid, to);
        final double[] e = y.data;
        int a = from;
        int b = mid;
        int k = from;
        while (a < mid && b < to) {
            scratch[k++] = e[order[b]] > e[order[a]] ? order[b++] : order[a++];
        }
        while (a < mid) {
            scratch[k++] = order[a++];
        }
        while (b < to) {
            scratch[k++] = order[b++];
        }
        System.arraycopy(scratch, from, order, from, to - from);
    }

    /**
     * Continues from the current hidden state: feeds {@code first}, then draws {@code n}
     * characters, feeding each one back.
     *
     * @param out receives the n drawn indices
     */
    public void generate(int first, int n, Rng rng, double temperature, boolean argmax, int[] out) {
        generate(first, n, rng, temperature, 0, 1.0, argmax, out);
    }

    /** {@link #generate(int, int, Rng, double, boolean, int[])} with top-k and top-p cuts. */
    public void generate(int first, int n, Rng rng, double temperature, int topK, double topP, boolean argmax,
                         int[] out) {
        int x = first;
        for (int i = 0; i < n; i++) {
            feed(x);
            x = draw(rng, temperature, topK, topP, argmax);
            out[i] = x;
        }
    }
}
