package charrnn.model;

import charrnn.config.Cell;
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
 * {@code h_{t-1}·Whhᵀ}, a combination of the rows of Whhᵀ. Since x_t is one-hot,
 * {@code Wxh·x_t} is column x_t of Wxh, read directly. Every product goes through
 * {@link Kernels#combine}.
 */
public final class Rnn {
    public final int H;
    public final int V;
    public final int T;
    public final int B;
    public final Cell cell;
    private final int G;                // gate blocks of the cell
    private final int S;                // carried state per stream: H, or 2H for the LSTM
    private final Kernels k;
    private final double gradScale;     // 1/B of the whole batch this part belongs to

    // forward cache, kept for backward
    private final int[] xs;             // T·B   inputs x_t
    private final int[] targets;        // T·B   x_{t+1}
    private final DMatrixRMaj hs;       // (T+1)·B×H: block 0 is h_{-1}, block t+1 is h_t
    private final DMatrixRMaj ps;       // T·B×V p_t; backward turns it into dy in place
    private final DMatrixRMaj WhhT;     // H×G·H Whhᵀ, for the forward recurrence
    private final DMatrixRMaj WhyT;     // H×V   Whyᵀ, for the output layer
    // backward workspaces
    private final DMatrixRMaj dhs;      // T·B×H dh_t, then dhraw_t in place
    private final DMatrixRMaj dhnext;   // B×H   Whhᵀ·dhraw_{t+1}
    // GRU and LSTM (null for the tanh RNN)
    private final DMatrixRMaj gates;    // T·B×G·H the gates of each step: z, r, n or i, f, g, o
    private final DMatrixRMaj gh;       // T·B×G·H Whh·h_{t-1} (GRU), or the gates' pre-activations (LSTM)
    private final DMatrixRMaj dgx;      // T·B×G·H ∂J/∂(Wxh·x + bh) per gate (for the LSTM, also for Whh·h)
    private final DMatrixRMaj dgh;      // T·B×G·H ∂J/∂(Whh·h_{t-1}) per gate (GRU)
    private final DMatrixRMaj dhz;      // B×H     z⊙dh, the direct path to h_{t-1} (GRU)
    // LSTM only
    private final DMatrixRMaj cs;       // (T+1)·B×H c: block 0 is c_{-1}, block t+1 is c_t
    private final DMatrixRMaj dcnext;   // B×H     ∂J/∂c_{t} from step t+1

    public Rnn(int H, int V, int T, int B) {
        this(H, V, T, B, Kernels.best(), B);
    }

    /**
     * @param kernels      the arithmetic to run on
     * @param batchStreams B of the whole batch when this model runs a part of it (its gradient
     *                     is then that part's share of the batch mean); else B
     */
    public Rnn(int H, int V, int T, int B, Kernels kernels, int batchStreams) {
        this(H, V, T, B, kernels, batchStreams, Cell.RNN);
    }

    /**
     * @param kernels      the arithmetic to run on
     * @param batchStreams B of the whole batch this model runs a part of (else B)
     * @param cell         the recurrent cell
     */
    public Rnn(int H, int V, int T, int B, Kernels kernels, int batchStreams, Cell cell) {
        this.cell = cell;
        this.G = cell.gates();
        this.S = cell.stateWidth(H);
        this.H = H;
        this.V = V;
        this.T = T;
        this.B = B;
        this.k = kernels;
        this.gradScale = 1.0 / batchStreams;
        xs = new int[T * B];
        targets = new int[T * B];
        hs = new DMatrixRMaj((T + 1) * B, H);
        ps = new DMatrixRMaj(T * B, V);
        WhhT = new DMatrixRMaj(H, G * H);
        WhyT = new DMatrixRMaj(H, V);
        dhs = new DMatrixRMaj(T * B, H);
        dhnext = new DMatrixRMaj(B, H);
        boolean gated = cell != Cell.RNN;
        boolean gru = cell == Cell.GRU;
        boolean lstm = cell == Cell.LSTM;
        gates = gated ? new DMatrixRMaj(T * B, G * H) : null;
        gh = gated ? new DMatrixRMaj(T * B, G * H) : null;
        dgx = gated ? new DMatrixRMaj(T * B, G * H) : null;
        dgh = gru ? new DMatrixRMaj(T * B, G * H) : null;
        dhz = gru ? new DMatrixRMaj(B, H) : null;
        cs = lstm ? new DMatrixRMaj((T + 1) * B, H) : null;
        dcnext = lstm ? new DMatrixRMaj(B, H) : null;
    }

    /**
     * Runs the window forward and returns its mean loss in nats per character.
     *
     * @param inputs  T·B indices x_t, entry t·B+b
     * @param targets T·B indices x_{t+1}
     * @param h       B×H: on entry h_{-1} of each stream, on return h_{T-1}
     */
    public double forward(Params p, int[] inputs, int[] targets, DMatrixRMaj h) {
        if (p.G != G) {
            throw new IllegalArgumentException("parameters of a " + Cell.ofGates(p.G).key() + " cell for a " + cell.key() + " model");
        }
        System.arraycopy(inputs, 0, xs, 0, T * B);
        System.arraycopy(targets, 0, this.targets, 0, T * B);
        final double[] hd = hs.data;
        // the carried state: h_{-1}, and for the LSTM c_{-1} after it in each row
        for (int b = 0; b < B; b++) {
            System.arraycopy(h.data, b * S, hd, b * H, H);
            if (cs != null) {
                System.arraycopy(h.data, b * S + H, cs.data, b * H, H);
            }
        }
        transpose(p.Whh, WhhT);
        transpose(p.Why, WhyT);
        final double[] wxh = p.Wxh.data;

        for (int t = 0; t < T && cell == Cell.GRU; t++) {
            forwardGru(p, t);
        }
        for (int t = 0; t < T && cell == Cell.LSTM; t++) {
            forwardLstm(p, t);
        }
        for (int t = 0; t < T && cell == Cell.RNN; t++) {
            // h_t = tanh(Wxh·x_t + Whh·h_{t-1} + bh), for the B streams at once
            k.combineRows(B, hd, t * B * H, H, 1, H, WhhT.data, 0, H, hd, (t + 1) * B * H, H, H, false);
            for (int b = 0; b < B; b++) {
                final int row = ((t + 1) * B + b) * H;
                final int x = xs[t * B + b];
                for (int i = 0; i < H; i++) {
                    hd[row + i] += wxh[i * V + x];
                }
                k.addTanh(hd, row, p.bh.data, H);
            }
        }

        final double[] pd = ps.data;
        double loss = 0;
        // y_t = Why·h_t + by, every t at once
        k.combineRows(T * B, hd, B * H, H, 1, H, WhyT.data, 0, V, pd, 0, V, V, false);
        for (int r = 0; r < T * B; r++) {
            // p_t = softmax(y_t) ;  −ln p_t[x_{t+1}] = ln Σ e^y − y[x_{t+1}]
            final int target = this.targets[r];
            final double yTarget = pd[r * V + target] + p.by.data[target];
            loss += k.softmax(pd, r * V, p.by.data, V) - yTarget;
        }

        for (int b = 0; b < B; b++) {
            System.arraycopy(hd, (T * B + b) * H, h.data, b * S, H);
            if (cs != null) {
                System.arraycopy(cs.data, (T * B + b) * H, h.data, b * S + H, H);
            }
        }
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
        backwardOutput(p, g);
        if (cell == Cell.GRU) {
            backwardGru(p, g);
            return;
        }
        if (cell == Cell.LSTM) {
            backwardLstm(p, g);
            return;
        }
        final double[] hd = hs.data;
        final double[] dhd = dhs.data;

        final double[] dn = dhnext.data;
        dhnext.zero();
        for (int t = T - 1; t >= 0; t--) {
            // dhraw = (1 − h_t⊙h_t)⊙(dh + dhnext)
            for (int b = 0; b < B; b++) {
                final int r = t * B + b;
                k.tanhBackward(dhd, r * H, hd, (B + r) * H, dn, b * H, H);
            }
            // dhnext = Whhᵀ·dhraw                (not needed before the window's first step)
            if (t > 0) {
                k.combineRows(B, dhd, t * B * H, H, 1, H, p.Whh.data, 0, H, dn, 0, H, H, false);
            }
        }

        weightGradients(dhd, dhd, g);
    }

    /**
     * The gradients of Wxh, bh and Whh from those of the gates' pre-activations, every cell's
     * last step of backpropagation:
     * <pre>
     *   dbh += dx_t ;  dWxh[:, x_t] += dx_t     (x_t is one-hot: one column per step)
     *   dWhh += Σ_t dr_t·h_{t-1}ᵀ                (h_{t-1} is block t of hs)
     * </pre>
     *
     * @param dx T·B×G·H, ∂J/∂(Wxh·x_t + bh)
     * @param dr T·B×G·H, ∂J/∂(Whh·h_{t-1}); the same array as dx where the two are equal
     */
    private void weightGradients(double[] dx, double[] dr, Params g) {
        final int GH = G * H;
        final int rows = T * B;
        final double[] dwxh = g.Wxh.data;
        for (int r = 0; r < rows; r++) {
            k.add(dx, r * GH, g.bh.data, 0, GH);
            final int x = xs[r];
            for (int j = 0; j < GH; j++) {
                dwxh[j * V + x] += dx[r * GH + j];
            }
        }
        k.combineRows(GH, dr, 0, 1, GH, rows, hs.data, 0, H, g.Whh.data, 0, H, H, true);
    }

    /**
     * The output layer's part of backpropagation, the same for every cell: dy, dWhy, dby, and
     * dh_t = Whyᵀ·dy_t for every t at once, into {@code dhs}.
     */
    private void backwardOutput(Params p, Params g) {
        final double[] pd = ps.data;
        final int rows = T * B;
        // dy = (p_t − 1[x_{t+1}]) / B
        for (int r = 0; r < rows; r++) {
            pd[r * V + targets[r]] -= 1.0;
        }
        k.scale(pd, 0, rows * V, gradScale);
        // dWhy += Σ_t dy_t·h_tᵀ ;  dby += Σ_t dy_t
        k.combineRows(V, pd, 0, 1, V, rows, hs.data, B * H, H, g.Why.data, 0, H, H, true);
        for (int r = 0; r < rows; r++) {
            k.add(pd, r * V, g.by.data, 0, V);
        }
        // dh_t = Whyᵀ·dy_t, every t at once; the recurrent part is added by each cell
        k.combineRows(rows, pd, 0, V, 1, V, p.Why.data, 0, H, dhs.data, 0, H, H, false);
    }

    private static double sigmoid(double a) {
        return 1.0 / (1.0 + Math.exp(-a));
    }

    /**
     * One GRU step for the B streams:
     * <pre>
     *   z = σ(Wz·x + Uz·h + bz)      r = σ(Wr·x + Ur·h + br)
     *   n = tanh(Wn·x + bn + r⊙(Un·h))
     *   h' = (1 − z)⊙n + z⊙h
     * </pre>
     */
    private void forwardGru(Params p, int t) {
        final double[] hd = hs.data;
        final double[] gd = gates.data;
        final double[] ghd = gh.data;
        final double[] wxh = p.Wxh.data;
        final double[] bh = p.bh.data;
        final int G3 = 3 * H;
        // Uz·h, Ur·h, Un·h for the B streams at once
        k.combineRows(B, hd, t * B * H, H, 1, H, WhhT.data, 0, G3, ghd, t * B * G3, G3, G3, false);
        for (int b = 0; b < B; b++) {
            final int r = t * B + b;
            final int x = xs[r];
            final int prev = r * H;                 // h_{t-1}: block t of hs
            final int next = (B + r) * H;           // h_t: block t+1
            final int go = r * G3;
            for (int i = 0; i < H; i++) {
                final double z = sigmoid(wxh[i * V + x] + bh[i] + ghd[go + i]);
                final double rr = sigmoid(wxh[(H + i) * V + x] + bh[H + i] + ghd[go + H + i]);
                final double n = Math.tanh(wxh[(2 * H + i) * V + x] + bh[2 * H + i] + rr * ghd[go + 2 * H + i]);
                gd[go + i] = z;
                gd[go + H + i] = rr;
                gd[go + 2 * H + i] = n;
                hd[next + i] = (1 - z) * n + z * hd[prev + i];
            }
        }
    }

    /**
     * Backpropagation through the GRU steps, t downward, from dh_t = Whyᵀ·dy_t (in dhs):
     * <pre>
     *   dh   = Whyᵀ·dy + dhnext
     *   dn̂   = dh⊙(1 − z)⊙(1 − n²)                     (n̂: n before tanh)
     *   dẑ   = dh⊙(h − n)⊙z⊙(1 − z)
     *   dr̂   = dn̂⊙(Un·h)⊙r⊙(1 − r)
     *   d(Wx·x + b) = [dẑ, dr̂, dn̂]      d(Uh·h) = [dẑ, dr̂, dn̂⊙r]
     *   dhnext = z⊙dh + Whhᵀ·d(Uh·h)
     * </pre>
     */
    private void backwardGru(Params p, Params g) {
        final double[] hd = hs.data;
        final double[] dhd = dhs.data;
        final double[] gd = gates.data;
        final double[] ghd = gh.data;
        final double[] dx = dgx.data;
        final double[] dhh = dgh.data;
        final double[] dn = dhnext.data;
        final double[] dz = dhz.data;
        final int G3 = 3 * H;
        dhnext.zero();
        for (int t = T - 1; t >= 0; t--) {
            for (int b = 0; b < B; b++) {
                final int r = t * B + b;
                final int prev = r * H;
                final int go = r * G3;
                for (int i = 0; i < H; i++) {
                    final double dh = dhd[r * H + i] + dn[b * H + i];
                    final double z = gd[go + i];
                    final double rr = gd[go + H + i];
                    final double n = gd[go + 2 * H + i];
                    final double dnHat = dh * (1 - z) * (1 - n * n);
                    final double dzHat = dh * (hd[prev + i] - n) * z * (1 - z);
                    final double drHat = dnHat * ghd[go + 2 * H + i] * rr * (1 - rr);
                    dx[go + i] = dzHat;
                    dx[go + H + i] = drHat;
                    dx[go + 2 * H + i] = dnHat;
                    dhh[go + i] = dzHat;
                    dhh[go + H + i] = drHat;
                    dhh[go + 2 * H + i] = dnHat * rr;
                    dz[b * H + i] = z * dh;
                }
            }
            if (t > 0) {
                // dhnext = z⊙dh + Whhᵀ·d(Uh·h)
                k.combineRows(B, dhh, t * B * G3, G3, 1, G3, p.Whh.data, 0, H, dn, 0, H, H, false);
                k.add(dz, 0, dn, 0, B * H);
            }
        }
        weightGradients(dx, dhh, g);
    }

    /**
     * One LSTM step for the B streams (gates packed i, f, g, o):
     * <pre>
     *   a = Wxh·x + bh + Whh·h
     *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
     *   c' = f⊙c + i⊙g      h' = o⊙tanh(c')
     * </pre>
     */
    private void forwardLstm(Params p, int t) {
        final double[] hd = hs.data;
        final double[] cd = cs.data;
        final double[] gd = gates.data;
        final double[] ad = gh.data;
        final double[] wxh = p.Wxh.data;
        final double[] bh = p.bh.data;
        final int G4 = 4 * H;
        // Whh·h_{t-1}, every gate, the B streams at once
        k.combineRows(B, hd, t * B * H, H, 1, H, WhhT.data, 0, G4, ad, t * B * G4, G4, G4, false);
        for (int b = 0; b < B; b++) {
            final int r = t * B + b;
            final int x = xs[r];
            final int prev = r * H;
            final int next = (B + r) * H;
            final int go = r * G4;
            for (int j = 0; j < G4; j++) {
                ad[go + j] += wxh[j * V + x] + bh[j];
            }
            for (int i = 0; i < H; i++) {
                final double ig = sigmoid(ad[go + i]);
                final double fg = sigmoid(ad[go + H + i]);
                final double gg = Math.tanh(ad[go + 2 * H + i]);
                final double og = sigmoid(ad[go + 3 * H + i]);
                final double c = fg * cd[prev + i] + ig * gg;
                gd[go + i] = ig;
                gd[go + H + i] = fg;
                gd[go + 2 * H + i] = gg;
                gd[go + 3 * H + i] = og;
                cd[next + i] = c;
                hd[next + i] = og * Math.tanh(c);
            }
        }
    }

    /**
     * Backpropagation through the LSTM steps, t downward:
     * <pre>
     *   dh = Whyᵀ·dy + dhnext            dc = dh⊙o⊙(1 − tanh²c) + dcnext
     *   dâ = [dc⊙g⊙i(1−i), dc⊙c_{t-1}⊙f(1−f), dc⊙i⊙(1−g²), dh⊙tanh(c)⊙o(1−o)]
     *   dcnext = dc⊙f        dhnext = Whhᵀ·dâ
     * </pre>
     */
    private void backwardLstm(Params p, Params g) {
        final double[] dhd = dhs.data;
        final double[] cd = cs.data;
        final double[] gd = gates.data;
        final double[] da = dgx.data;
        final double[] dn = dhnext.data;
        final double[] dc = dcnext.data;
        final int G4 = 4 * H;
        dhnext.zero();
        dcnext.zero();
        for (int t = T - 1; t >= 0; t--) {
            for (int b = 0; b < B; b++) {
                final int r = t * B + b;
                final int prev = r * H;
                final int next = (B + r) * H;
                final int go = r * G4;
                for (int i = 0; i < H; i++) {
                    final double dh = dhd[r * H + i] + dn[b * H + i];
                    final double ig = gd[go + i];
                    final double fg = gd[go + H + i];
                    final double gg = gd[go + 2 * H + i];
                    final double og = gd[go + 3 * H + i];
                    final double tc = Math.tanh(cd[next + i]);
                    final double dcell = dh * og * (1 - tc * tc) + dc[b * H + i];
                    da[go + i] = dcell * gg * ig * (1 - ig);
                    da[go + H + i] = dcell * cd[prev + i] * fg * (1 - fg);
                    da[go + 2 * H + i] = dcell * ig * (1 - gg * gg);
                    da[go + 3 * H + i] = dh * tc * og * (1 - og);
                    dc[b * H + i] = dcell * fg;
                }
            }
            if (t > 0) {
                // dhnext = Whhᵀ·dâ
                k.combineRows(B, da, t * B * G4, G4, 1, G4, p.Whh.data, 0, H, dn, 0, H, H, false);
            }
        }
        weightGradients(da, da, g);
    }

    /** Tile edge of {@link #transpose}: a tile of the source and one of the target stay in L1. */
    private static final int TILE = 16;

    /**
     * dst = srcᵀ, tile by tile (EJML's transpose walks the target with a stride of a whole row
     * per element, which for these sizes costs as much as a tenth of a training step).
     */
    static void transpose(DMatrixRMaj src, DMatrixRMaj dst) {
        final int rows = src.numRows;
        final int cols = src.numCols;
        final double[] a = src.data;
        final double[] t = dst.data;
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            final int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                final int j1 = Math.min(cols, j0 + TILE);
                for (int j = j0; j < j1; j++) {
                    for (int i = i0; i < i1; i++) {
                        t[j * rows + i] = a[i * cols + j];
                    }
                }
            }
        }
    }

    /** J/L: the factor between the differentiated objective and the mean loss. */
    public double objectiveScale() {
        return T;
    }

    /** The state after step t of stream b in the last forward pass, into {@code out} (length S). */
    public void hiddenAt(int t, int b, double[] out) {
        System.arraycopy(hs.data, ((t + 1) * B + b) * H, out, 0, H);
        if (cs != null) {
            System.arraycopy(cs.data, ((t + 1) * B + b) * H, out, H, H);
        }
    }
}
