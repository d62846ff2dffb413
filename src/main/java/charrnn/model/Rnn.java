package charrnn.model;

import org.ejml.data.DMatrixRMaj;

/**
 * Forward and backward passes of the single-layer tanh RNN over one window of T steps for B
 * streams, with every buffer allocated once, here.
 *
 * <pre>
 *   h_t = tanh(Wxh·x_t + Whh·h_{t-1} + bh)
 *   y_t = Why·h_t + by
 *   p_t = softmax(y_t)
 *   L   = mean over t and b of −ln p_t[x_{t+1}]        (reported, nats per character)
 *   J   = T·L = Σ_t mean_b −ln p_t[x_{t+1}]              (differentiated)
 * </pre>
 *
 * Activations are stored as rows (row {@code t*B + b}), so the column vector h_t of the
 * equations is a row here, and a product such as {@code Whh·h_{t-1}} is computed as
 * {@code h_{t-1}·Whhᵀ}. Since x_t is one-hot, {@code Wxh·x_t} is column x_t of Wxh, read
 * directly.
 */
public final class Rnn {
    public final int H;
    public final int V;
    public final int T;
    public final int B;

    // forward cache, kept for backward
    private final int[] xs;             // T·B   inputs x_t
    private final int[] targets;        // T·B   x_{t+1}
    private final DMatrixRMaj hprev;    // B×H   h_{-1}, the state the window started from
    private final DMatrixRMaj hs;       // T·B×H h_t
    private final DMatrixRMaj ps;       // T·B×V p_t; backward turns it into dy in place
    // backward workspaces
    private final DMatrixRMaj dhs;      // T·B×H dh_t, then dhraw_t in place
    private final DMatrixRMaj dhnext;   // B×H   Whhᵀ·dhraw_{t+1}

    public Rnn(int H, int V, int T, int B) {
        this.H = H;
        this.V = V;
        this.T = T;
        this.B = B;
        xs = new int[T * B];
        targets = new int[T * B];
        hprev = new DMatrixRMaj(B, H);
        hs = new DMatrixRMaj(T * B, H);
        ps = new DMatrixRMaj(T * B, V);
        dhs = new DMatrixRMaj(T * B, H);
        dhnext = new DMatrixRMaj(B, H);
    }

    /**
     * Runs the window forward and returns its mean loss in nats per character.
     *
     * @param inputs  T·B indices x_t, entry t·B+b
     * @param targets T·B indices x_{t+1}
     * @param h       B×H: on entry h_{-1} of each stream, on return h_{T-1}
     */
    public double forward(Params p, int[] inputs, int[] targets, DMatrixRMaj h) {
        System.arraycopy(inputs, 0, xs, 0, T * B);
        System.arraycopy(targets, 0, this.targets, 0, T * B);
        hprev.setTo(h);
        final double[] hd = hs.data;
        final double[] wxh = p.Wxh.data;
        final double[] bh = p.bh.data;

        for (int t = 0; t < T; t++) {
            // h_t = tanh(Wxh·x_t + Whh·h_{t-1} + bh)
            if (t == 0) {
                Kernels.multTransB(hprev, 0, B, p.Whh, hs, 0, false);
            } else {
                Kernels.multTransB(hs, (t - 1) * B, B, p.Whh, hs, t * B, false);
            }
            for (int b = 0; b < B; b++) {
                final int row = (t * B + b) * H;
                final int x = xs[t * B + b];
                for (int i = 0; i < H; i++) {
                    hd[row + i] = Math.tanh(hd[row + i] + wxh[i * V + x] + bh[i]);
                }
            }
        }

        // y_t = Why·h_t + by, for every t at once
        Kernels.multTransB(hs, 0, T * B, p.Why, ps, 0, false);
        // p_t = softmax(y_t);  L = mean of −ln p_t[x_{t+1}] = mean of (ln Σ e^y − y[x_{t+1}])
        final double[] pd = ps.data;
        final double[] by = p.by.data;
        double loss = 0;
        for (int r = 0; r < T * B; r++) {
            final int row = r * V;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < V; j++) {
                double y = pd[row + j] + by[j];
                pd[row + j] = y;
                max = Math.max(max, y);
            }
            final double yTarget = pd[row + this.targets[r]];
            double sum = 0;
            for (int j = 0; j < V; j++) {
                double e = Math.exp(pd[row + j] - max);
                pd[row + j] = e;
                sum += e;
            }
            loss += Math.log(sum) + max - yTarget;
            final double inv = 1.0 / sum;
            for (int j = 0; j < V; j++) {
                pd[row + j] *= inv;
            }
        }

        System.arraycopy(hd, (T - 1) * B * H, h.data, 0, B * H);
        return loss / (T * B);
    }

    /**
     * Backpropagation through time over the window of the last {@link #forward}; adds ∂J/∂θ
     * to {@code g} (the caller zeroes it first), where J = T·L is the window's loss summed over
     * its T steps and averaged over the B streams. At B = 1 this is min-char-rnn's objective
     * and its {@code dy = p − 1[target]}; Adagrad's ε and the clip bound are calibrated to
     * gradients of this size (with the mean over T instead, they are T times smaller, ε starts
     * to dominate their squares, and training is measurably slower).
     */
    public void backward(Params p, Params g) {
        final double[] pd = ps.data;
        final double[] hd = hs.data;
        final double[] dhd = dhs.data;
        final double scale = 1.0 / B;

        // dy = (p_t − 1[x_{t+1}]) / B            (J averages over streams: 1/B, applied once here)
        for (int r = 0; r < T * B; r++) {
            final int row = r * V;
            pd[row + targets[r]] -= 1.0;
            for (int j = 0; j < V; j++) {
                pd[row + j] *= scale;
            }
        }
        // dWhy += dy·h_tᵀ ;  dby += dy        (summed over every t and b)
        Kernels.multAddTransA(ps, 0, hs, 0, T * B, g.Why);
        final double[] dby = g.by.data;
        for (int r = 0; r < T * B; r++) {
            for (int j = 0; j < V; j++) {
                dby[j] += pd[r * V + j];
            }
        }
        // dh_t = Whyᵀ·dy_t, for every t at once; dhnext is added below
        Kernels.mult(ps, 0, T * B, p.Why, dhs, 0, false);

        final double[] dn = dhnext.data;
        for (int t = T - 1; t >= 0; t--) {
            // dh = Whyᵀ·dy + dhnext ;  dhraw = (1 − h_t⊙h_t)⊙dh
            for (int k = 0; k < B * H; k++) {
                final int at = t * B * H + k;
                final double dh = t == T - 1 ? dhd[at] : dhd[at] + dn[k];
                dhd[at] = (1.0 - hd[at] * hd[at]) * dh;
            }
            // dhnext = Whhᵀ·dhraw                (not needed before the window's first step)
            if (t > 0) {
                Kernels.mult(dhs, t * B, B, p.Whh, dhnext, 0, false);
            }
        }

        // dbh += dhraw ;  dWxh[:, x_t] += dhraw  (x_t is one-hot: one column per step)
        final double[] dbh = g.bh.data;
        final double[] dwxh = g.Wxh.data;
        for (int r = 0; r < T * B; r++) {
            final int row = r * H;
            final int x = xs[r];
            for (int i = 0; i < H; i++) {
                dbh[i] += dhd[row + i];
                dwxh[i * V + x] += dhd[row + i];
            }
        }
        // dWhh += dhraw_t·h_{t-1}ᵀ: h_{-1} for the first step, the stored h_{t-1} after it
        Kernels.multAddTransA(dhs, 0, hprev, 0, B, g.Whh);
        if (T > 1) {
            Kernels.multAddTransA(dhs, B, hs, 0, (T - 1) * B, g.Whh);
        }
    }

    /** J/L: the factor between the differentiated objective and the mean loss. */
    public double objectiveScale() {
        return T;
    }

    /** h_{t} of stream b after the last forward pass, into {@code out} (length H). */
    public void hiddenAt(int t, int b, double[] out) {
        System.arraycopy(hs.data, (t * B + b) * H, out, 0, H);
    }
}
