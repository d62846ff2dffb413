package charrnn.model;

import charrnn.config.Cell;
import org.ejml.data.DMatrixRMaj;

/**
 * Forward and backward passes of a stack of L recurrent layers over one window of T steps for
 * B streams, with every buffer allocated once, here. For the tanh RNN:
 *
 * <pre>
 *   h⁰_t = tanh(Wxh⁰·x_t + Whh⁰·h⁰_{t-1} + bh⁰)                      layer 0 reads the character
 *   hˡ_t = tanh(Wxhˡ·(mˡ_t⊙hˡ⁻¹_t) + Whhˡ·hˡ_{t-1} + bhˡ)             layer l reads the one below
 *   y_t = Why·h^{L-1}_t + by
 *   p_t = softmax(y_t)
 *   ℓ   = mean over t and b of −ln p_t[x_{t+1}]        (reported, nats per character)
 *   J   = T·ℓ = Σ_t mean_b −ln p_t[x_{t+1}]              (differentiated)
 * </pre>
 *
 * mˡ_t is the dropout mask between layers l−1 and l: each entry 0 with probability q and
 * 1/(1−q) otherwise (inverted dropout, so nothing changes when it is off), drawn anew for each
 * window in training and all ones (no dropout) when q = 0, as in evaluation and sampling. The
 * GRU and LSTM replace the tanh step by theirs (see {@code GruLayer}, {@code LstmLayer}),
 * with the same input Wxhˡ·(...) + bhˡ. Each cell is a pair of methods, its step forward and
 * its backpropagation, in a {@code Layer} subclass of its own.
 *
 * <p>Activations are stored as rows (row {@code t*B + b}), so the column vector h_t of the
 * equations is a row here, and a product such as {@code Whh·h_{t-1}} is computed as
 * {@code h_{t-1}·Whhᵀ}, a combination of the rows of Whhᵀ. Since x_t is one-hot,
 * {@code Wxh⁰·x_t} is column x_t of Wxh⁰, read directly. Every product goes through
 * {@link Kernels#combine}. Each layer's input term is computed for all T steps at once before
 * its recurrence runs, since the layer below has finished by then.
 */
public final class Rnn {
    public final int H;
    public final int V;
    public final int T;
    public final int B;
    /** L, layers stacked. */
    public final int L;
    public final Cell cell;
    private final int G;                // gate blocks of the cell
    private final int S;                // carried state per stream and layer: H, or 2H for the LSTM
    private final Kernels k;
    private final double gradScale;     // 1/B of the whole batch this part belongs to
    private final double dropout;       // q, between layers; 0 for none
    private final int firstStream;      // the batch's index of this model's stream 0 (for the masks)
    private final Rng maskRng = new Rng(0);
    private long dropoutKey;

    // forward cache, kept for backward
    private final int[] xs;             // T·B   inputs x_t
    private final int[] targets;        // T·B   x_{t+1}
    private final Layer[] layers;
    private final DMatrixRMaj ps;       // T·B×V p_t; backward turns it into dy in place
    private final DMatrixRMaj WhyT;     // H×V   Whyᵀ, for the output layer

    /**
     * One layer's buffers (its activations, their gradients, its workspaces) and its cell's
     * step forward and its backpropagation, side by side. Each cell is a subclass holding only
     * what that cell needs; {@link #newLayer} is the one place the cell is chosen.
     */
    private abstract class Layer {
        final int l;
        final DMatrixRMaj hs;       // (T+1)·B×H: block 0 is h_{-1}, block t+1 is h_t
        final DMatrixRMaj ax;       // T·B×G·H  Wxh·(input_t) + bh, every gate
        final DMatrixRMaj WhhT;     // H×G·H    Whhᵀ, for the recurrence
        final DMatrixRMaj WxhT;     // H×G·H    Wxhᵀ, for the input term (layers above 0; null for layer 0)
        final DMatrixRMaj mask;     // T·B×H    m_t (layers above 0, with dropout; else null)
        final DMatrixRMaj in;       // T·B×H    m_t⊙h_t of the layer below (with a mask; else null)
        final DMatrixRMaj dhs;      // T·B×H    ∂J/∂h_t from above (the output layer or the layer above)
        final DMatrixRMaj dhnext;   // B×H      ∂J/∂h_t through step t+1

        Layer(int l) {
            this.l = l;
            final int GH = G * H;
            hs = new DMatrixRMaj((T + 1) * B, H);
            ax = new DMatrixRMaj(T * B, GH);
            WhhT = new DMatrixRMaj(H, GH);
            WxhT = l == 0 ? null : new DMatrixRMaj(H, GH);                    // layer 0 reads one-hot x
            mask = l == 0 || dropout == 0 ? null : new DMatrixRMaj(T * B, H);
            in = mask != null ? new DMatrixRMaj(T * B, H) : null;
            dhs = new DMatrixRMaj(T * B, H);
            dhnext = new DMatrixRMaj(B, H);
        }

        /** One step of the recurrence for the B streams: h_t (and c_t) from h_{t-1} and ax. */
        abstract void forward(int t);

        /**
         * Backpropagation through the window's steps, t downward, from dh_t in {@link #dhs};
         * then the weight gradients and ∂J/∂h_t of the layer below (see {@link #weightGradients}).
         */
        abstract void backward(Params p, Params g);

        /**
         * The carried state of stream b, as it is laid out in a row of the state matrix (h, then
         * c for the LSTM), read into block 0: the state before the window.
         */
        void loadState(double[] row, int at, int b) {
            System.arraycopy(row, at, hs.data, b * H, H);
        }

        /** The state of stream b after step t (block t+1), into a row laid out as {@link #loadState} reads it. */
        void storeState(int t, int b, double[] row, int at) {
            System.arraycopy(hs.data, ((t + 1) * B + b) * H, row, at, H);
        }

        /** This layer's input, the rows m_t⊙h_t of the layer below: its array. */
        double[] input() {
            return in != null ? in.data : layers[l - 1].hs.data;
        }

        /** Where {@link #input()} starts: h_0 of the layer below is its block 1. */
        int inputOffset() {
            return in != null ? 0 : B * H;
        }
    }

    /** The layer of this model's cell: the one place the cell is chosen. */
    private Layer newLayer(int l) {
        return switch (cell) {
            case RNN -> new TanhLayer(l);
            case GRU -> new GruLayer(l);
            case LSTM -> new LstmLayer(l);
        };
    }

    /** The tanh RNN's layer. */
    private final class TanhLayer extends Layer {
        TanhLayer(int l) {
            super(l);
        }

        /**
         * <pre>
         *   h_t = tanh(Whh·h_{t-1} + (Wxh·x_t + bh))     for the B streams at once
         * </pre>
         */
        @Override
        void forward(int t) {
            final double[] hd = hs.data;
            // Whh·h_{t-1}: h_{t-1} is block t of hs, h_t block t+1
            k.combineRows(B, hd, t * B * H, H, 1, H, WhhT.data, 0, H, hd, (t + 1) * B * H, H, H, false);
            for (int b = 0; b < B; b++) {
                final int r = t * B + b;
                k.addTanh(hd, (B + r) * H, ax.data, r * H, H);
            }
        }

        /**
         * <pre>
         *   dhraw = (1 − h_t⊙h_t)⊙(dh_t + dhnext)      (into dhs, in place)
         *   dhnext = Whhᵀ·dhraw
         * </pre>
         */
        @Override
        void backward(Params p, Params g) {
            final double[] hd = hs.data;
            final double[] dhraw = dhs.data;
            final double[] next = dhnext.data;
            dhnext.zero();
            for (int t = T - 1; t >= 0; t--) {
                // dhraw = (1 − h_t⊙h_t)⊙(dh + dhnext)
                for (int b = 0; b < B; b++) {
                    final int r = t * B + b;
                    k.tanhBackward(dhraw, r * H, hd, (B + r) * H, next, b * H, H);
                }
                // dhnext = Whhᵀ·dhraw                (not needed before the window's first step)
                if (t > 0) {
                    k.combineRows(B, dhraw, t * B * H, H, 1, H, p.Whh[l].data, 0, H, next, 0, H, H, false);
                }
            }
            weightGradients(p, this, dhraw, dhraw, g);
        }
    }

    /** The GRU's layer, gates packed z, r, n (the reset gate applied after the recurrent product). */
    private final class GruLayer extends Layer {
        final DMatrixRMaj gates;    // T·B×3H  z, r, n of each step
        final DMatrixRMaj uh;       // T·B×3H  Whh·h_{t-1}: Uz·h, Ur·h, Un·h
        final DMatrixRMaj dax;      // T·B×3H  ∂J/∂(Wxh·x + bh) per gate
        final DMatrixRMaj duh;      // T·B×3H  ∂J/∂(Whh·h_{t-1}) per gate
        final DMatrixRMaj zdh;      // B×H     z⊙dh, the direct path to h_{t-1}

        GruLayer(int l) {
            super(l);
            gates = new DMatrixRMaj(T * B, 3 * H);
            uh = new DMatrixRMaj(T * B, 3 * H);
            dax = new DMatrixRMaj(T * B, 3 * H);
            duh = new DMatrixRMaj(T * B, 3 * H);
            zdh = new DMatrixRMaj(B, H);
        }

        /**
         * With a = Wxh·input + bh (in ax):
         * <pre>
         *   z = σ(a_z + Uz·h)      r = σ(a_r + Ur·h)
         *   n = tanh(a_n + r⊙(Un·h))
         *   h' = (1 − z)⊙n + z⊙h
         * </pre>
         */
        @Override
        void forward(int t) {
            final double[] hd = hs.data;
            final int G3 = 3 * H;
            // Uz·h, Ur·h, Un·h for the B streams at once
            k.combineRows(B, hd, t * B * H, H, 1, H, WhhT.data, 0, G3, uh.data, t * B * G3, G3, G3, false);
            for (int b = 0; b < B; b++) {
                final int r = t * B + b;
                // h_{t-1} is block t of hs, h_t block t+1
                k.gruForward(ax.data, uh.data, gates.data, r * G3, hd, r * H, (B + r) * H, H);
            }
        }

        /**
         * <pre>
         *   dh   = dh_t + dhnext
         *   dn̂   = dh⊙(1 − z)⊙(1 − n²)                     (n̂: n before tanh)
         *   dẑ   = dh⊙(h − n)⊙z⊙(1 − z)
         *   dr̂   = dn̂⊙(Un·h)⊙r⊙(1 − r)
         *   d(Wx·x + b) = [dẑ, dr̂, dn̂]      d(Uh·h) = [dẑ, dr̂, dn̂⊙r]
         *   dhnext = z⊙dh + Whhᵀ·d(Uh·h)
         * </pre>
         */
        @Override
        void backward(Params p, Params g) {
            final double[] next = dhnext.data;
            final int G3 = 3 * H;
            dhnext.zero();
            for (int t = T - 1; t >= 0; t--) {
                for (int b = 0; b < B; b++) {
                    final int r = t * B + b;
                    k.gruBackward(dhs.data, r * H, next, zdh.data, b * H, gates.data, uh.data, r * G3,
                            hs.data, r * H, dax.data, duh.data, H);
                }
                if (t > 0) {
                    // dhnext = z⊙dh + Whhᵀ·d(Uh·h)
                    k.combineRows(B, duh.data, t * B * G3, G3, 1, G3, p.Whh[l].data, 0, H, next, 0, H, H, false);
                    k.add(zdh.data, 0, next, 0, B * H);
                }
            }
            weightGradients(p, this, dax.data, duh.data, g);
        }
    }

    /** The LSTM's layer, gates packed i, f, g, o; its state is h and the cell state c. */
    private final class LstmLayer extends Layer {
        final DMatrixRMaj gates;    // T·B×4H  i, f, g, o of each step
        final DMatrixRMaj a;        // T·B×4H  the gates' pre-activations
        final DMatrixRMaj da;       // T·B×4H  ∂J/∂a, which is also ∂J/∂(Wxh·x + bh) and ∂J/∂(Whh·h)
        final DMatrixRMaj cs;       // (T+1)·B×H c: block 0 is c_{-1}, block t+1 is c_t
        final DMatrixRMaj dcnext;   // B×H     ∂J/∂c_t through step t+1

        LstmLayer(int l) {
            super(l);
            gates = new DMatrixRMaj(T * B, 4 * H);
            a = new DMatrixRMaj(T * B, 4 * H);
            da = new DMatrixRMaj(T * B, 4 * H);
            cs = new DMatrixRMaj((T + 1) * B, H);
            dcnext = new DMatrixRMaj(B, H);
        }

        /**
         * <pre>
         *   a = Wxh·input + bh + Whh·h
         *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
         *   c' = f⊙c + i⊙g      h' = o⊙tanh(c')
         * </pre>
         */
        @Override
        void forward(int t) {
            final double[] ad = a.data;
            final int G4 = 4 * H;
            // a = Whh·h_{t-1} + (Wxh·input + bh), every gate, the B streams at once
            k.combineRows(B, hs.data, t * B * H, H, 1, H, WhhT.data, 0, G4, ad, t * B * G4, G4, G4, false);
            k.add(ax.data, t * B * G4, ad, t * B * G4, B * G4);
            for (int b = 0; b < B; b++) {
                final int r = t * B + b;
                k.lstmForward(ad, gates.data, r * G4, cs.data, hs.data, r * H, (B + r) * H, H);
            }
        }

        /**
         * <pre>
         *   dh = dh_t + dhnext               dc = dh⊙o⊙(1 − tanh²c) + dcnext
         *   dâ = [dc⊙g⊙i(1−i), dc⊙c_{t-1}⊙f(1−f), dc⊙i⊙(1−g²), dh⊙tanh(c)⊙o(1−o)]
         *   dcnext = dc⊙f        dhnext = Whhᵀ·dâ
         * </pre>
         */
        @Override
        void backward(Params p, Params g) {
            final double[] next = dhnext.data;
            final int G4 = 4 * H;
            dhnext.zero();
            dcnext.zero();
            for (int t = T - 1; t >= 0; t--) {
                for (int b = 0; b < B; b++) {
                    final int r = t * B + b;
                    k.lstmBackward(dhs.data, r * H, next, dcnext.data, b * H, gates.data, r * G4,
                            cs.data, r * H, (B + r) * H, da.data, H);
                }
                if (t > 0) {
                    // dhnext = Whhᵀ·dâ
                    k.combineRows(B, da.data, t * B * G4, G4, 1, G4, p.Whh[l].data, 0, H, next, 0, H, H, false);
                }
            }
            weightGradients(p, this, da.data, da.data, g);
        }

        @Override
        void loadState(double[] row, int at, int b) {
            super.loadState(row, at, b);
            System.arraycopy(row, at + H, cs.data, b * H, H);
        }

        @Override
        void storeState(int t, int b, double[] row, int at) {
            super.storeState(t, b, row, at);
            System.arraycopy(cs.data, ((t + 1) * B + b) * H, row, at + H, H);
        }
    }

    /**
     * @param kernels      the arithmetic to run on
     * @param batchStreams B of the whole batch this model runs a part of (else B)
     * @param cell         the recurrent cell
     * @param layers       L, layers stacked
     * @param dropout      q, the dropout rate between layers in every forward pass (0 for none:
     *                     evaluation and sampling)
     * @param firstStream  the batch's index of this model's first stream: a stream's masks depend
     *                     on its index in the batch, not on how the batch is split
     */
    public Rnn(int H, int V, int T, int B, Kernels kernels, int batchStreams, Cell cell, int layers,
               double dropout, int firstStream) {
        if (layers < 1 || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("layers " + layers + ", dropout " + dropout);
        }
        this.cell = cell;
        this.G = cell.gates();
        this.S = cell.stateWidth(H);
        this.H = H;
        this.V = V;
        this.T = T;
        this.B = B;
        this.L = layers;
        this.k = kernels;
        this.gradScale = 1.0 / batchStreams;
        this.dropout = dropout;             // with one layer there is no mask to draw: no effect
        this.firstStream = firstStream;
        xs = new int[T * B];
        targets = new int[T * B];
        this.layers = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            this.layers[l] = newLayer(l);
        }
        ps = new DMatrixRMaj(T * B, V);
        WhyT = new DMatrixRMaj(H, V);
    }

    /** Width of the state carried per stream: S for each of the L layers (h, then c for the LSTM). */
    public static int stateWidth(Cell cell, int H, int layers) {
        return new Shape(cell, H, 1, layers).stateWidth();
    }

    /**
     * Chooses the dropout masks of the next forward passes: those of stream b are drawn from a
     * generator derived from {@code key} and b's index in the batch. The trainer sets a new key
     * for every update; the same key gives the same masks (as a gradient check needs).
     */
    public void setDropoutKey(long key) {
        dropoutKey = key;
    }

    /**
     * Runs the window forward and returns its mean loss in nats per character.
     *
     * @param inputs  T·B indices x_t, entry t·B+b
     * @param targets T·B indices x_{t+1}
     * @param h       B×(L·S): on entry the state before the window (per stream, layer 0's h, and
     *                for the LSTM its c, then layer 1's, ...), on return the state after it
     */
    public double forward(Params p, int[] inputs, int[] targets, DMatrixRMaj h) {
        System.arraycopy(targets, 0, this.targets, 0, T * B);
        runLayers(p, inputs, h, true);

        transpose(p.Why, WhyT);
        final double[] hd = layers[L - 1].hs.data;
        final double[] pd = ps.data;
        double loss = 0;
        // Why·h_t, every t at once (y_t = Why·h_t + by: the softmax below adds by)
        k.combineRows(T * B, hd, B * H, H, 1, H, WhyT.data, 0, V, pd, 0, V, V, false);
        for (int r = 0; r < T * B; r++) {
            // p_t = softmax(y_t) ;  −ln p_t[x_{t+1}] = ln Σ e^y − y[x_{t+1}]
            final int target = this.targets[r];
            final double yTarget = pd[r * V + target] + p.by.data[target];
            loss += k.softmax(pd, r * V, p.by.data, V) - yTarget;
        }
        return loss / (T * B);
    }

    /**
     * Runs the layers over the window, without the output layer: the state h moves on by T
     * characters and nothing is kept for {@link #backward}. For sampling, one character at a
     * time.
     *
     * @param sameWeights true if {@code p} is the object of the previous call of this model and
     *                    has not changed since: its transposes are then reused
     */
    public void advance(Params p, int[] inputs, DMatrixRMaj h, boolean sameWeights) {
        runLayers(p, inputs, h, !sameWeights);
    }

    /** The layers' part of {@link #forward}: reads h, runs every layer over the window, writes h. */
    private void runLayers(Params p, int[] inputs, DMatrixRMaj h, boolean transpose) {
        if (p.G != G || p.L != L) {
            throw new IllegalArgumentException("parameters of " + p.L + " " + p.cell.key()
                    + " layer(s) for a model of " + L + " " + cell.key() + " layer(s)");
        }
        final int width = L * S;
        if (h.numRows != B || h.numCols != width) {
            throw new IllegalArgumentException("a state of " + h.numRows + "×" + h.numCols + " where " + B + "×" + width
                    + " belongs");
        }
        System.arraycopy(inputs, 0, xs, 0, T * B);
        for (Layer layer : layers) {
            for (int b = 0; b < B; b++) {
                layer.loadState(h.data, b * width + layer.l * S, b);
            }
        }
        if (dropout > 0) {
            drawMasks();
        }
        for (Layer layer : layers) {
            if (transpose) {
                transpose(p.Whh[layer.l], layer.WhhT);
                if (layer.l > 0) {
                    transpose(p.Wxh[layer.l], layer.WxhT);
                }
            }
            inputTerm(p, layer);
            for (int t = 0; t < T; t++) {
                layer.forward(t);
            }
        }
        for (Layer layer : layers) {
            for (int b = 0; b < B; b++) {
                layer.storeState(T - 1, b, h.data, b * width + layer.l * S);
            }
        }
    }

    /**
     * mˡ_t for every layer above 0, step and stream: stream b's from its own generator, layer by
     * layer, step by step.
     */
    private void drawMasks() {
        final double keep = 1 / (1 - dropout);
        for (int b = 0; b < B; b++) {
            maskRng.reseed(dropoutKey, firstStream + b);
            for (int l = 1; l < L; l++) {
                final double[] m = layers[l].mask.data;
                for (int t = 0; t < T; t++) {
                    final int row = (t * B + b) * H;
                    for (int i = 0; i < H; i++) {
                        m[row + i] = maskRng.nextDouble() < dropout ? 0 : keep;
                    }
                }
            }
        }
    }

    /**
     * The input term of every step of a layer, into its ax:
     * <pre>
     *   layer 0:  Wxh·x_t + bh        (column x_t of Wxh)
     *   above:    Wxh·(m_t⊙h_t) + bh  (h_t of the layer below, all T steps at once)
     * </pre>
     */
    private void inputTerm(Params p, Layer layer) {
        final int GH = G * H;
        final int rows = T * B;
        final double[] a = layer.ax.data;
        final double[] bias = p.bh[layer.l].data;
        if (layer.l == 0) {
            final double[] wxh = p.Wxh[0].data;
            for (int r = 0; r < rows; r++) {
                final int x = xs[r];
                final int row = r * GH;
                for (int j = 0; j < GH; j++) {
                    a[row + j] = wxh[j * V + x] + bias[j];
                }
            }
            return;
        }
        if (layer.in != null) {
            // m_t⊙h_t
            final double[] below = layers[layer.l - 1].hs.data;
            final double[] m = layer.mask.data;
            final double[] in = layer.in.data;
            for (int i = 0; i < rows * H; i++) {
                in[i] = m[i] * below[B * H + i];
            }
        }
        k.combineRows(rows, layer.input(), layer.inputOffset(), H, 1, H, layer.WxhT.data, 0, GH, a, 0, GH, GH, false);
        for (int r = 0; r < rows; r++) {
            k.add(bias, 0, a, r * GH, GH);
        }
    }

    /**
     * Backpropagation through time over the window of the last {@link #forward}; adds ∂J/∂θ
     * to {@code g} (the caller zeroes it first), where J = T·ℓ is the window's loss summed over
     * its T steps and averaged over the B streams. At B = 1 this is min-char-rnn's objective
     * and its {@code dy = p − 1[target]}; Adagrad's ε and the clip bound are calibrated to
     * gradients of this size (with the mean over T instead, they are T times smaller, ε starts
     * to dominate their squares, and training is measurably slower). The layers are visited top
     * down; each hands ∂J/∂h_t of the layer below to it.
     */
    public void backward(Params p, Params g) {
        backwardOutput(p, g);
        for (int l = L - 1; l >= 0; l--) {
            layers[l].backward(p, g);
        }
    }

    /**
     * The gradients of a layer's Wxh, bh and Whh from those of its gates' pre-activations, and
     * ∂J/∂h_t of the layer below, every cell's last step of backpropagation:
     * <pre>
     *   dbh += dx_t
     *   dWxh[:, x_t] += dx_t                     layer 0 (x_t is one-hot: one column per step)
     *   dWxh += Σ_t dx_t·(m_t⊙h_t)ᵀ              above (h_t of the layer below)
     *   dh_t (below) = m_t⊙(Wxhᵀ·dx_t)
     *   dWhh += Σ_t dr_t·h_{t-1}ᵀ                (h_{t-1} is block t of hs)
     * </pre>
     *
     * @param dx T·B×G·H, ∂J/∂(Wxh·input_t + bh)
     * @param dr T·B×G·H, ∂J/∂(Whh·h_{t-1}); the same array as dx where the two are equal
     */
    private void weightGradients(Params p, Layer layer, double[] dx, double[] dr, Params g) {
        final int GH = G * H;
        final int rows = T * B;
        final double[] dbh = g.bh[layer.l].data;
        for (int r = 0; r < rows; r++) {
            k.add(dx, r * GH, dbh, 0, GH);
        }
        if (layer.l == 0) {
            final double[] dwxh = g.Wxh[0].data;
            for (int r = 0; r < rows; r++) {
                final int x = xs[r];
                for (int j = 0; j < GH; j++) {
                    dwxh[j * V + x] += dx[r * GH + j];
                }
            }
        } else {
            k.combineRows(GH, dx, 0, 1, GH, rows, layer.input(), layer.inputOffset(), H, g.Wxh[layer.l].data, 0, H, H, true);
            final double[] dbelow = layers[layer.l - 1].dhs.data;
            k.combineRows(rows, dx, 0, GH, 1, GH, p.Wxh[layer.l].data, 0, H, dbelow, 0, H, H, false);
            if (layer.mask != null) {
                final double[] m = layer.mask.data;
                for (int i = 0; i < rows * H; i++) {
                    dbelow[i] *= m[i];
                }
            }
        }
        k.combineRows(GH, dr, 0, 1, GH, rows, layer.hs.data, 0, H, g.Whh[layer.l].data, 0, H, H, true);
    }

    /**
     * The output layer's part of backpropagation, the same for every cell: dy, dWhy, dby, and
     * dh_t = Whyᵀ·dy_t of the top layer for every t at once, into its {@code dhs}.
     */
    private void backwardOutput(Params p, Params g) {
        final Layer top = layers[L - 1];
        final double[] pd = ps.data;
        final int rows = T * B;
        // dy = (p_t − 1[x_{t+1}]) / B
        for (int r = 0; r < rows; r++) {
            pd[r * V + targets[r]] -= 1.0;
        }
        k.scale(pd, 0, rows * V, gradScale);
        // dWhy += Σ_t dy_t·h_tᵀ ;  dby += Σ_t dy_t
        k.combineRows(V, pd, 0, 1, V, rows, top.hs.data, B * H, H, g.Why.data, 0, H, H, true);
        for (int r = 0; r < rows; r++) {
            k.add(pd, r * V, g.by.data, 0, V);
        }
        // dh_t = Whyᵀ·dy_t, every t at once; the recurrent part is added by each cell
        k.combineRows(rows, pd, 0, V, 1, V, p.Why.data, 0, H, top.dhs.data, 0, H, H, false);
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

    /** J/ℓ: the factor between the differentiated objective and the mean loss. */
    public double objectiveScale() {
        return T;
    }

    /** The dropout masks of layer l ≥ 1 in the last forward pass (T·B×H), or null without dropout. */
    DMatrixRMaj maskOf(int l) {
        return layers[l].mask;
    }

    /**
     * The state after step t of stream b in the last forward pass, every layer, into {@code out}
     * (length L·S, laid out as a row of {@link #forward}'s h).
     */
    public void hiddenAt(int t, int b, double[] out) {
        for (Layer layer : layers) {
            layer.storeState(t, b, out, layer.l * S);
        }
    }

    /**
     * p_t of stream b in the last {@link #forward}: the V probabilities of the character after
     * step t, into {@code out}. Valid until the next pass ({@link #backward} turns p into dy).
     */
    public void probabilitiesAt(int t, int b, double[] out) {
        System.arraycopy(ps.data, (t * B + b) * V, out, 0, V);
    }
}
