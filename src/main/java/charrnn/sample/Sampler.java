package charrnn.sample;

import charrnn.config.Cell;
import charrnn.model.ExactMath;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rnn;
import charrnn.model.Rng;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Generates text one character at a time from a model's parameters:
 * <pre>
 *   h = cell(x, h)                 (the recurrent step of the model's cell, one character)
 *   p = softmax((Why·h + by) / τ)
 *   x ~ p            (or x = argmax p)
 * </pre>
 * The temperature τ rescales the scores: below 1 it sharpens the distribution (safer, more
 * repetitive text), above 1 it flattens it (more varied, more mistakes). Buffers are
 * allocated once. The parameters are read as they are when a sequence starts (at construction
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
    private boolean sameWeights;      // p unchanged since the last step: the model reuses its transposes

    public Sampler(Params p) {
        this(p, Kernels.best());
    }

    /** A sampler whose model runs on {@code kernels}. */
    public Sampler(Params p, Kernels kernels) {
        this.p = p;
        this.H = p.H;
        this.V = p.V;
        Cell cell = Cell.ofGates(p.G);
        state = new DMatrixRMaj(1, Rnn.stateWidth(cell, H, p.L));
        top = (p.L - 1) * cell.stateWidth(H);
        h = new DMatrixRMaj(H, 1);
        y = new DMatrixRMaj(V, 1);
        step = new Rnn(H, V, 1, 1, kernels, 1, cell, p.L, 0, 0);
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
        final int best = scores();
        if (argmax) {
            return best;
        }
        final double sum = exponentiate(best, temperature);
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
        final double sum = exponentiate(scores(), temperature);
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
     * Continues from the current hidden state: feeds {@code first}, then draws {@code n}
     * characters, feeding each one back.
     *
     * @param out receives the n drawn indices
     */
    public void generate(int first, int n, Rng rng, double temperature, boolean argmax, int[] out) {
        int x = first;
        for (int i = 0; i < n; i++) {
            feed(x);
            x = draw(rng, temperature, argmax);
            out[i] = x;
        }
    }
}
