package charrnn.model;

import charrnn.config.Cell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The passes of {@link Rnn} in one compute format, storage {@code A} ({@code double[]} for
 * float64, {@code float[]} for float32), written once against {@link Ops}. For the tanh RNN:
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
 * {@code h_{t-1}·Whhᵀ}. Since x_t is one-hot, {@code Wxh⁰·x_t} is column x_t of Wxh⁰, row x_t
 * of its transpose, read directly. Everything that does not depend on the step runs once over
 * the window's T·B rows: each layer's input term (the layer below has finished), the output
 * scores, and every weight gradient. Only the recurrence is a loop over time.
 *
 * <p>The parameters arrive in float64 ({@link Params}); each pass that sees new weights first
 * copies them into the compute format, in the layouts the products read (Whhᵀ for the
 * recurrence, Whh for its backpropagation, ...). Gradients are summed in the compute format and
 * added to the caller's float64 {@link Params} at the end.
 */
final class Net<A> {
    final int H;
    final int V;
    final int T;
    final int B;
    final int L;
    final Cell cell;
    private final int G;                // gate blocks of the cell
    private final int GH;               // G·H, the width of a layer's gates
    private final int S;                // carried state per stream and layer: H, or 2H for the LSTM
    private final Ops<A> k;
    private final double gradScale;     // 1/B of the whole batch this part belongs to
    private final double dropout;       // q, between layers; 0 for none
    private final int firstStream;      // the batch's index of this model's stream 0 (for the masks)
    private final Rng maskRng = new Rng(0);
    private long dropoutKey;

    private final int[] xs;             // T·B   inputs x_t
    private final int[] targets;        // T·B   x_{t+1}
    private final Layer[] layers;
    private final Mat<A> ps;            // T·B×V p_t; backward turns it into dy in place
    private final Weights<A> weights;   // in the compute format: this model's own, or shared by a batch's parts
    private final boolean loadsWeights; // false where the batch loads the shared copy
    private final Panels<A> WhyT;       // H×V   Whyᵀ, for the scores
    private final Panels<A> Why;        // V×H   for dh of the top layer
    private final A by;                 // V
    private final Mat<A> dWhy;          // V×H
    private final A dby;                // V
    private final double[] maskRow;     // H    one row of a mask, as drawn
    private final Panels<A> hPacked;    // T·B×H the right-hand factor of a weight gradient, packed

    /**
     * One layer's weights in the compute format, its activations, their gradients and its
     * workspaces, and its cell's step forward and backpropagation, side by side. Each cell is a
     * subclass holding only what that cell needs; {@link #newLayer} is the one place the cell
     * is chosen.
     */
    private abstract class Layer {
        final int l;
        final Panels<A> WhhT;       // H×G·H    Whhᵀ, for the recurrence
        final Panels<A> Whh;        // G·H×H    for its backpropagation
        final Mat<A> table;         // V×G·H    layer 0: Wxh⁰ᵀ, whose row x is column x of Wxh⁰ (else null)
        final Panels<A> WxhT;       // H×G·H    layers above 0: Wxhᵀ, for the input term (else null)
        final Panels<A> Wxh;        // G·H×H    layers above 0: for ∂J/∂h of the layer below (else null)
        final A bh;                 // G·H
        final Mat<A> dWhh;          // G·H×H
        final Mat<A> dWxh;          // G·H×H (layers above 0), or V×G·H: dWxh⁰ᵀ, a row per character
        final int[] seen;           // layer 0: the characters of the window, its rows of dWxh⁰ᵀ not +0 (else null)
        int seenCount;
        final boolean[] isSeen;     // layer 0: whether character x is in seen (else null)
        final A dbh;                // G·H
        final Mat<A> hs;            // (T+1)·B×H: block 0 is h_{-1}, block t+1 is h_t
        final Mat<A> ax;            // T·B×G·H  Wxh·(input_t) + bh, every gate
        final Mat<A> mask;          // T·B×H    m_t (layers above 0, with dropout; else null)
        final Mat<A> in;            // T·B×H    this layer's input: m_t⊙h_t of the layer below (layers above 0)
        final Mat<A> dhs;           // T·B×H    ∂J/∂h_t from above (the output layer or the layer above)
        final Mat<A> dhnext;        // B×H      ∂J/∂h_t through step t+1
        final Mat<A> hPrev;         // T·B×H    h_{t-1} for every t: blocks 0..T−1 of hs
        final Mat<A> hOut;          // T·B×H    h_t for every t: blocks 1..T of hs
        final List<Mat<A>> hAt;     // block t of hs, t = 0..T: h_{t-1}
        final List<Mat<A>> dhsAt;   // block t of dhs

        Layer(int l) {
            this.l = l;
            final Weights.Layer<A> w = weights.layers.get(l);
            WhhT = w.WhhT();
            Whh = w.Whh();
            table = w.table();
            WxhT = w.WxhT();
            Wxh = w.Wxh();
            bh = w.bh();
            dWhh = Mat.of(k, GH, H);
            dWxh = l == 0 ? Mat.of(k, V, GH) : Mat.of(k, GH, H);
            seen = l == 0 ? new int[V] : null;
            isSeen = l == 0 ? new boolean[V] : null;
            dbh = k.alloc(GH);
            hs = Mat.of(k, (T + 1) * B, H);
            ax = Mat.of(k, T * B, GH);
            mask = l == 0 || dropout == 0 ? null : Mat.of(k, T * B, H);
            dhs = Mat.of(k, T * B, H);
            dhnext = Mat.of(k, B, H);
            hPrev = hs.rows(0, T * B);
            hOut = hs.rows(B, T * B);
            in = l == 0 ? null : mask == null ? layers[l - 1].hOut : Mat.of(k, T * B, H);
            hAt = steps(hs);
            dhsAt = steps(dhs);
        }

        /** One step of the recurrence for the B streams: h_t (and c_t) from h_{t-1} and ax. */
        abstract void forward(int t);

        /**
         * Backpropagation through the window's steps, t downward, from dh_t in {@link #dhs};
         * then the weight gradients and ∂J/∂h_t of the layer below (see {@link #weightGradients}).
         */
        abstract void backward();

        /**
         * The carried state of stream b, as it is laid out in a row of the state matrix (h, then
         * c for the LSTM), read into block 0: the state before the window.
         */
        void loadState(double[] row, int at, int b) {
            k.load(row, at, hs.data(), b * H, H);
        }

        /** The state of stream b after step t (block t+1), into a row laid out as {@link #loadState} reads it. */
        void storeState(int t, int b, double[] row, int at) {
            k.store(hs.data(), ((t + 1) * B + b) * H, row, at, H);
        }

        /** Adds (or with {@code set}, writes) piece {@code piece} of {@code pieces} of this layer's gradients to {@code g}. */
        void addGradients(Params g, int piece, int pieces, boolean set) {
            addPiece(dWhh.data(), g.Whh[l].data, piece, pieces, set);
            if (l == 0) {
                // dWxh⁰ᵀ is held a row per character: a piece is a range of the rows of dWxh⁰
                final int from = Workers.start(GH, piece, pieces);
                final int to = Workers.start(GH, piece + 1, pieces);
                if (set) {
                    Arrays.fill(g.Wxh[0].data, from * V, to * V, 0.0);
                }
                // the other rows are +0, and g + 0 is g: g's entries are never −0 (they start at +0,
                // and a sum is −0 only of two −0)
                k.storeAddTransposed(dWxh, seen, seenCount, g.Wxh[0].data, from, to);
            } else {
                addPiece(dWxh.data(), g.Wxh[l].data, piece, pieces, set);
            }
            addPiece(dbh, g.bh[l].data, piece, pieces, set);
        }
    }

    /** The blocks of B rows of m, one per step: views made once, so the loop over t allocates nothing. */
    private List<Mat<A>> steps(Mat<A> m) {
        final List<Mat<A>> blocks = new ArrayList<>();
        for (int t = 0; t < m.rows() / B; t++) {
            blocks.add(m.rows(t * B, B));
        }
        return List.copyOf(blocks);
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
        final Mat<A> zs;            // T·B×H    z_t, the pre-activations, for tanh' in backward
        final List<Mat<A>> zAt;

        TanhLayer(int l) {
            super(l);
            zs = Mat.of(k, T * B, H);
            zAt = steps(zs);
        }

        /**
         * <pre>
         *   z_t = Whh·h_{t-1} + (Wxh·x_t + bh)     for the B streams at once
         *   h_t = tanh(z_t)
         * </pre>
         */
        @Override
        void forward(int t) {
            final Mat<A> z = zAt.get(t);
            k.mult(hAt.get(t), WhhT, z);
            k.add(ax.data(), t * B * H, zs.data(), z.off(), B * H);
            k.tanh(zs.data(), z.off(), hs.data(), hAt.get(t + 1).off(), B * H);
        }

        /**
         * <pre>
         *   dhraw = tanh'(z_t)⊙(dh_t + dhnext)      (into dhs, in place; tanh' = 1 − h_t⊙h_t)
         *   dhnext = Whhᵀ·dhraw
         * </pre>
         */
        @Override
        void backward() {
            final A next = dhnext.data();
            k.zero(next, 0, B * H);
            for (int t = T - 1; t >= 0; t--) {
                // dhraw = tanh'(z_t)⊙(dh + dhnext)
                for (int b = 0; b < B; b++) {
                    final int r = t * B + b;
                    k.tanhBackward(dhs.data(), r * H, zs.data(), r * H, next, b * H, H);
                }
                // dhnext = Whhᵀ·dhraw                (not needed before the window's first step)
                if (t > 0) {
                    k.mult(dhsAt.get(t), Whh, dhnext);
                }
            }
            weightGradients(this, dhs, dhs);
        }
    }

    /** The GRU's layer, gates packed z, r, n (the reset gate applied after the recurrent product). */
    private final class GruLayer extends Layer {
        final Mat<A> gates;     // T·B×3H  z, r, n of each step
        final Mat<A> uh;        // T·B×3H  Whh·h_{t-1}: Uz·h, Ur·h, Un·h
        final Mat<A> dax;       // T·B×3H  ∂J/∂(Wxh·x + bh) per gate
        final Mat<A> duh;       // T·B×3H  ∂J/∂(Whh·h_{t-1}) per gate
        final Mat<A> zdh;       // B×H     z⊙dh, the direct path to h_{t-1}
        final List<Mat<A>> uhAt;
        final List<Mat<A>> duhAt;

        GruLayer(int l) {
            super(l);
            gates = Mat.of(k, T * B, 3 * H);
            uh = Mat.of(k, T * B, 3 * H);
            dax = Mat.of(k, T * B, 3 * H);
            duh = Mat.of(k, T * B, 3 * H);
            zdh = Mat.of(k, B, H);
            uhAt = steps(uh);
            duhAt = steps(duh);
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
            final int G3 = 3 * H;
            // Uz·h, Ur·h, Un·h for the B streams at once
            k.mult(hAt.get(t), WhhT, uhAt.get(t));
            for (int b = 0; b < B; b++) {
                final int r = t * B + b;
                // h_{t-1} is block t of hs, h_t block t+1
                k.gruForward(ax.data(), uh.data(), gates.data(), r * G3, hs.data(), r * H, (B + r) * H, H);
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
        void backward() {
            final A next = dhnext.data();
            final int G3 = 3 * H;
            k.zero(next, 0, B * H);
            for (int t = T - 1; t >= 0; t--) {
                for (int b = 0; b < B; b++) {
                    final int r = t * B + b;
                    k.gruBackward(dhs.data(), r * H, next, zdh.data(), b * H, gates.data(), uh.data(), r * G3,
                            hs.data(), r * H, dax.data(), duh.data(), H);
                }
                if (t > 0) {
                    // dhnext = z⊙dh + Whhᵀ·d(Uh·h)
                    k.mult(duhAt.get(t), Whh, dhnext);
                    k.add(zdh.data(), 0, next, 0, B * H);
                }
            }
            weightGradients(this, dax, duh);
        }
    }

    /** The LSTM's layer, gates packed i, f, g, o; its state is h and the cell state c. */
    private final class LstmLayer extends Layer {
        final Mat<A> gates;     // T·B×4H  i, f, g, o of each step
        final Mat<A> a;         // T·B×4H  the gates' pre-activations
        final Mat<A> da;        // T·B×4H  ∂J/∂a, which is also ∂J/∂(Wxh·x + bh) and ∂J/∂(Whh·h)
        final Mat<A> cs;        // (T+1)·B×H c: block 0 is c_{-1}, block t+1 is c_t
        final Mat<A> dcnext;    // B×H     ∂J/∂c_t through step t+1
        final List<Mat<A>> aAt;
        final List<Mat<A>> daAt;

        LstmLayer(int l) {
            super(l);
            gates = Mat.of(k, T * B, 4 * H);
            a = Mat.of(k, T * B, 4 * H);
            da = Mat.of(k, T * B, 4 * H);
            cs = Mat.of(k, (T + 1) * B, H);
            dcnext = Mat.of(k, B, H);
            aAt = steps(a);
            daAt = steps(da);
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
            final int G4 = 4 * H;
            // a = Whh·h_{t-1} + (Wxh·input + bh), every gate, the B streams at once
            final Mat<A> at = aAt.get(t);
            k.mult(hAt.get(t), WhhT, at);
            k.add(ax.data(), t * B * G4, a.data(), at.off(), B * G4);
            for (int b = 0; b < B; b++) {
                final int r = t * B + b;
                k.lstmForward(a.data(), gates.data(), r * G4, cs.data(), hs.data(), r * H, (B + r) * H, H);
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
        void backward() {
            final A next = dhnext.data();
            final int G4 = 4 * H;
            k.zero(next, 0, B * H);
            k.zero(dcnext.data(), 0, B * H);
            for (int t = T - 1; t >= 0; t--) {
                for (int b = 0; b < B; b++) {
                    final int r = t * B + b;
                    k.lstmBackward(dhs.data(), r * H, next, dcnext.data(), b * H, gates.data(), r * G4,
                            cs.data(), r * H, (B + r) * H, da.data(), H);
                }
                if (t > 0) {
                    // dhnext = Whhᵀ·dâ
                    k.mult(daAt.get(t), Whh, dhnext);
                }
            }
            weightGradients(this, da, da);
        }

        @Override
        void loadState(double[] row, int at, int b) {
            super.loadState(row, at, b);
            k.load(row, at + H, cs.data(), b * H, H);
        }

        @Override
        void storeState(int t, int b, double[] row, int at) {
            super.storeState(t, b, row, at);
            k.store(cs.data(), ((t + 1) * B + b) * H, row, at + H, H);
        }
    }

    /** See {@link Rnn#Rnn}: a model with its own weights, which it loads itself. */
    Net(int H, int V, int T, int B, Ops<A> ops, int batchStreams, Cell cell, int layers, double dropout,
        int firstStream) {
        this(H, V, T, B, ops, batchStreams, cell, layers, dropout, firstStream, null, true);
    }

    /**
     * A model with the weights {@code shared} (another model's), or a copy of its own if null;
     * which it loads in each pass that sees new weights if {@code loadsWeights}, else its caller
     * loads them ({@link #weights()}).
     */
    Net(int H, int V, int T, int B, Ops<A> ops, int batchStreams, Cell cell, int layers, double dropout,
        int firstStream, Weights<A> shared, boolean loadsWeights) {
        this.cell = cell;
        this.G = cell.gates();
        this.GH = G * H;
        this.S = cell.stateWidth(H);
        this.H = H;
        this.V = V;
        this.T = T;
        this.B = B;
        this.L = layers;
        this.k = ops;
        this.gradScale = 1.0 / batchStreams;
        this.dropout = dropout;             // with one layer there is no mask to draw: no effect
        this.firstStream = firstStream;
        xs = new int[T * B];
        targets = new int[T * B];
        weights = shared != null ? shared : new Weights<>(ops, cell, H, V, layers);
        this.loadsWeights = loadsWeights;
        @SuppressWarnings("unchecked")
        final Layer[] stack = (Layer[]) java.lang.reflect.Array.newInstance(Layer.class, layers);
        this.layers = stack;
        for (int l = 0; l < layers; l++) {
            this.layers[l] = newLayer(l);
        }
        ps = Mat.of(k, T * B, V);
        WhyT = weights.WhyT;
        Why = weights.Why;
        by = weights.by;
        dWhy = Mat.of(k, V, H);
        dby = k.alloc(V);
        maskRow = new double[H];
        hPacked = k.panels(T * B, H);
    }

    /**
     * Bytes a Net of this shape allocates, buffer by buffer as the constructors above do (kept
     * beside them: a buffer added there is counted here, and {@code MemoryEstimateTest} compares
     * the two).
     */
    static long bytes(Ops<?> k, Cell cell, int H, int V, int T, int B, int L, double dropout) {
        return bytes(k, cell, H, V, T, B, L, dropout, true);
    }

    /** The same, with the model's own copy of the weights or ({@code ownWeights} false) without. */
    static long bytes(Ops<?> k, Cell cell, int H, int V, int T, int B, int L, double dropout, boolean ownWeights) {
        final long G = cell.gates();
        final long GH = G * H;
        final long rows = (long) T * B;
        long numbers = 0;
        for (int l = 0; l < L; l++) {
            numbers += GH * H + (l == 0 ? V * GH : GH * H) + GH;                     // dWhh, dWxh, dbh
            numbers += (rows + B) * H + rows * GH + rows * H + (long) B * H;       // hs, ax, dhs, dhnext
            if (l > 0 && dropout > 0) {
                numbers += 2 * rows * H;                                            // mask, in
            }
            numbers += switch (cell) {
                case RNN -> rows * H;                                               // zs
                case GRU -> 4 * rows * 3 * H + (long) B * H;                        // gates, uh, dax, duh; zdh
                case LSTM -> 3 * rows * 4 * H + (rows + B) * H + (long) B * H;      // gates, a, da; cs; dcnext
            };
        }
        numbers += rows * V + V + (long) V * H + k.panelsSize((int) rows, H);      // ps, dby, dWhy, hPacked
        // the per-step views (a Mat each, and its slot in the lists that hold them while they are built)
        final long views = (long) L * (T + 1) * (cell == Cell.RNN ? 3 : 4);
        return numbers * k.bytes() + (ownWeights ? Weights.bytes(k, cell, H, V, L) : 0)
                + (long) H * Double.BYTES + 2 * rows * Integer.BYTES                                 // maskRow, xs, targets
                + (long) V * (Integer.BYTES + 1)                                                     // seen, isSeen
                + views * VIEW_BYTES + NET_BYTES;
    }

    /** What one view of {@link #steps} costs: the record and its list slots, with the lists' growth. */
    private static final long VIEW_BYTES = 64;
    /** The fixed part of a model: its objects, array headers, the layers' lists. */
    private static final long NET_BYTES = 4 << 10;

    void setDropoutKey(long key) {
        dropoutKey = key;
    }

    /** See {@link Rnn#forward(Params, int[], int[], DMatrixRMaj, boolean)}. */
    double forward(Params p, int[] inputs, int[] targets, DMatrixRMaj h, boolean sameWeights) {
        System.arraycopy(targets, 0, this.targets, 0, T * B);
        runLayers(p, inputs, h, !sameWeights);
        if (loadsWeights && !sameWeights) {
            weights.loadOutput(p);
        }

        // y_t = Why·h_t, every t at once (the softmax adds by)
        k.mult(layers[L - 1].hOut, WhyT, ps);
        // p_t = softmax(y_t + by) ;  −ln p_t[x_{t+1}]
        double loss = 0;
        for (int r = 0; r < T * B; r++) {
            loss += k.softmaxLoss(ps.data(), r * V, by, V, this.targets[r]);
        }
        return loss / (T * B);
    }

    /** See {@link Rnn#advance}. */
    void advance(Params p, int[] inputs, DMatrixRMaj h, boolean sameWeights) {
        runLayers(p, inputs, h, !sameWeights);
    }

    /** The layers' part of {@link #forward}: reads h, runs every layer over the window, writes h. */
    private void runLayers(Params p, int[] inputs, DMatrixRMaj h, boolean newWeights) {
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
            if (newWeights && loadsWeights) {
                weights.loadLayer(p, layer.l);
            }
            inputTerm(layer);
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
                final Mat<A> m = layers[l].mask;
                for (int t = 0; t < T; t++) {
                    for (int i = 0; i < H; i++) {
                        maskRow[i] = maskRng.nextDouble() < dropout ? 0 : keep;
                    }
                    k.load(maskRow, 0, m.data(), m.at(t * B + b), H);
                }
            }
        }
    }

    /**
     * The input term of every step of a layer, into its ax:
     * <pre>
     *   layer 0:  Wxh·x_t + bh        (column x_t of Wxh: row x_t of Wxhᵀ)
     *   above:    Wxh·(m_t⊙h_t) + bh  (h_t of the layer below, all T steps at once)
     * </pre>
     */
    private void inputTerm(Layer layer) {
        final int rows = T * B;
        final A a = layer.ax.data();
        if (layer.l == 0) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(layer.table.data(), layer.table.at(xs[r]), a, r * GH, GH);
                k.add(layer.bh, 0, a, r * GH, GH);
            }
            return;
        }
        if (layer.mask != null) {
            // m_t⊙h_t
            System.arraycopy(layers[layer.l - 1].hOut.data(), layers[layer.l - 1].hOut.off(), layer.in.data(), 0,
                    rows * H);
            k.mul(layer.mask.data(), 0, layer.in.data(), 0, rows * H);
        }
        k.mult(layer.in, layer.WxhT, layer.ax);
        for (int r = 0; r < rows; r++) {
            k.add(layer.bh, 0, a, r * GH, GH);
        }
    }

    /** See {@link Rnn#backward}. */
    void backward(Params g) {
        backward();
        addGradients(g, 0, 1, false);
    }

    /** Backpropagation, its gradients kept in the compute format until {@link #addGradients}. */
    void backward() {
        backwardOutput();
        for (int l = L - 1; l >= 0; l--) {
            layers[l].backward();
        }
    }

    /**
     * Adds piece {@code piece} of {@code pieces} of the last backward pass's gradients to
     * {@code g}, in float64: the same piece of every matrix (see {@link Workers#start}). With
     * {@code set}, that piece of g is zeroed first: g = +0 + ∂J/∂θ.
     */
    void addGradients(Params g, int piece, int pieces, boolean set) {
        addPiece(dWhy.data(), g.Why.data, piece, pieces, set);
        addPiece(dby, g.by.data, piece, pieces, set);
        for (Layer layer : layers) {
            layer.addGradients(g, piece, pieces, set);
        }
    }

    /** dst[i] (= +0 first, with {@code set}) += src[i] over piece {@code piece} of {@code pieces} of dst's entries. */
    private void addPiece(A src, double[] dst, int piece, int pieces, boolean set) {
        final int from = Workers.start(dst.length, piece, pieces);
        final int to = Workers.start(dst.length, piece + 1, pieces);
        if (set) {
            k.storeFirst(src, from, dst, from, to - from);
        } else {
            k.storeAdd(src, from, dst, from, to - from);
        }
    }

    /** The arithmetic it computes with. */
    Ops<A> ops() {
        return k;
    }

    /** The weights in the compute format this model reads. */
    Weights<A> weights() {
        return weights;
    }

    /**
     * The gradients of a layer's Wxh, bh and Whh from those of its gates' pre-activations, and
     * ∂J/∂h_t of the layer below, every cell's last step of backpropagation:
     * <pre>
     *   dbh = Σ_t dx_t
     *   dWxh[:, x_t] += dx_t                     layer 0 (x_t is one-hot: one column per step)
     *   dWxh = Σ_t dx_t·(m_t⊙h_t)ᵀ               above (h_t of the layer below)
     *   dh_t (below) = m_t⊙(Wxhᵀ·dx_t)
     *   dWhh = Σ_t dr_t·h_{t-1}ᵀ
     * </pre>
     *
     * @param dx T·B×G·H, ∂J/∂(Wxh·input_t + bh)
     * @param dr T·B×G·H, ∂J/∂(Whh·h_{t-1}); the same matrix as dx where the two are equal
     */
    private void weightGradients(Layer layer, Mat<A> dx, Mat<A> dr) {
        final int rows = T * B;
        // dbh = Σ_t dx_t
        k.zero(layer.dbh, 0, GH);
        for (int r = 0; r < rows; r++) {
            k.add(dx.data(), dx.at(r), layer.dbh, 0, GH);
        }
        if (layer.l == 0) {
            // dWxh[:, x_t] += dx_t: row x_t of dWxhᵀ. Only the rows of the window's characters are
            // not +0: those of the last window are zeroed, and noted anew
            for (int i = 0; i < layer.seenCount; i++) {
                k.zero(layer.dWxh.data(), layer.dWxh.at(layer.seen[i]), GH);
                layer.isSeen[layer.seen[i]] = false;
            }
            layer.seenCount = 0;
            for (int r = 0; r < rows; r++) {
                final int x = xs[r];
                if (!layer.isSeen[x]) {
                    layer.isSeen[x] = true;
                    layer.seen[layer.seenCount++] = x;
                }
                k.add(dx.data(), dx.at(r), layer.dWxh.data(), layer.dWxh.at(x), GH);
            }
        } else {
            // dWxh = Σ_t dx_t·(m_t⊙h_t)ᵀ
            k.pack(layer.in, hPacked);
            k.multTransA(dx, hPacked, layer.dWxh);
            // dh_t (below) = m_t⊙(Wxhᵀ·dx_t)
            final Layer below = layers[layer.l - 1];
            k.mult(dx, layer.Wxh, below.dhs);
            if (layer.mask != null) {
                k.mul(layer.mask.data(), 0, below.dhs.data(), 0, rows * H);
            }
        }
        // dWhh = Σ_t dr_t·h_{t-1}ᵀ
        k.pack(layer.hPrev, hPacked);
        k.multTransA(dr, hPacked, layer.dWhh);
    }

    /**
     * The output layer's part of backpropagation, the same for every cell: dy, dWhy, dby, and
     * dh_t = Whyᵀ·dy_t of the top layer for every t at once, into its {@code dhs}.
     */
    private void backwardOutput() {
        final Layer top = layers[L - 1];
        final int rows = T * B;
        // dy = (p_t − 1[x_{t+1}]) / B
        for (int r = 0; r < rows; r++) {
            k.softmaxBackward(ps.data(), r * V, V, targets[r], gradScale);
        }
        // dWhy = Σ_t dy_t·h_tᵀ ;  dby = Σ_t dy_t
        k.pack(top.hOut, hPacked);
        k.multTransA(ps, hPacked, dWhy);
        k.zero(dby, 0, V);
        for (int r = 0; r < rows; r++) {
            k.add(ps.data(), r * V, dby, 0, V);
        }
        // dh_t = Whyᵀ·dy_t, every t at once; the recurrent part is added by each cell
        k.mult(ps, Why, top.dhs);
    }

    /** See {@link Rnn#maskOf}. */
    DMatrixRMaj maskOf(int l) {
        final Mat<A> m = layers[l].mask;
        if (m == null) {
            return null;
        }
        DMatrixRMaj copy = new DMatrixRMaj(m.rows(), m.cols());
        k.store(m.data(), m.off(), copy.data, 0, m.size());
        return copy;
    }

    /** See {@link Rnn#hiddenAt}. */
    void hiddenAt(int t, int b, double[] out) {
        for (Layer layer : layers) {
            layer.storeState(t, b, out, layer.l * S);
        }
    }

    /** See {@link Rnn#probabilitiesAt}. */
    void probabilitiesAt(int t, int b, double[] out) {
        k.store(ps.data(), (t * B + b) * V, out, 0, V);
    }
}
