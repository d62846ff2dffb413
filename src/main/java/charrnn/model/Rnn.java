package charrnn.model;

import charrnn.config.Cell;
import charrnn.config.Precision;
import org.ejml.data.DMatrixRMaj;

/**
 * Forward and backward passes of a stack of L recurrent layers over one window of T steps for
 * B streams, with every buffer allocated once, in the compute format chosen (float32 or
 * float64). The equations and the code are in {@link Net}, written once for both formats; this
 * is its face in float64, which is what the rest of the program speaks: parameters and their
 * gradients as {@link Params}, the carried state as a B×(L·S) matrix.
 */
public final class Rnn {
    public final int H;
    public final int V;
    public final int T;
    public final int B;
    /** L, layers stacked. */
    public final int L;
    public final Cell cell;
    /** The format the passes compute in. */
    public final Precision precision;
    private final Net<?> net;

    /**
     * @param kernels      the family of arithmetic to run on (plain or Vector API)
     * @param precision    the format to compute in
     * @param batchStreams B of the whole batch this model runs a part of (else B)
     * @param cell         the recurrent cell
     * @param layers       L, layers stacked
     * @param dropout      q, the dropout rate between layers in every forward pass (0 for none:
     *                     evaluation and sampling)
     * @param firstStream  the batch's index of this model's first stream: a stream's masks depend
     *                     on its index in the batch, not on how the batch is split
     */
    public Rnn(int H, int V, int T, int B, Kernels kernels, Precision precision, int batchStreams, Cell cell,
               int layers, double dropout, int firstStream) {
        this(H, V, T, B, kernels, precision, batchStreams, cell, layers, dropout, firstStream, null, true);
    }

    /**
     * A part of a batch: a model whose weights in the compute format its batch loads
     * ({@link #loadWeights}), shared with {@code first}'s (the batch's first part; null for that
     * part itself, which holds the copy).
     */
    static Rnn part(int H, int V, int T, int B, Kernels kernels, Precision precision, int batchStreams, Cell cell,
                    int layers, double dropout, int firstStream, Rnn first) {
        return new Rnn(H, V, T, B, kernels, precision, batchStreams, cell, layers, dropout, firstStream,
                first == null ? null : first.net, false);
    }

    private Rnn(int H, int V, int T, int B, Kernels kernels, Precision precision, int batchStreams, Cell cell,
                int layers, double dropout, int firstStream, Net<?> weightsOf, boolean loadsWeights) {
        if (layers < 1 || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("layers " + layers + ", dropout " + dropout);
        }
        this.H = H;
        this.V = V;
        this.T = T;
        this.B = B;
        this.L = layers;
        this.cell = cell;
        this.precision = precision;
        if (weightsOf != null && weightsOf.ops().precision() != precision) {
            throw new IllegalArgumentException("weights in " + weightsOf.ops().precision() + " for a model in " + precision);
        }
        this.net = weightsOf == null
                ? own(H, V, T, B, kernels.ops(precision), batchStreams, cell, layers, dropout, firstStream, loadsWeights)
                : sharing(weightsOf, H, V, T, B, batchStreams, cell, layers, dropout, firstStream, loadsWeights);
    }

    private static <A> Net<A> own(int H, int V, int T, int B, Ops<A> ops, int batchStreams, Cell cell, int layers,
                                  double dropout, int firstStream, boolean loadsWeights) {
        return new Net<>(H, V, T, B, ops, batchStreams, cell, layers, dropout, firstStream, null, loadsWeights);
    }

    /** A model reading {@code first}'s weights, computing with the very Ops that packed them. */
    private static <A> Net<A> sharing(Net<A> first, int H, int V, int T, int B, int batchStreams, Cell cell, int layers,
                                      double dropout, int firstStream, boolean loadsWeights) {
        if (first.H != H || first.V != V || first.L != layers || first.cell != cell) {
            throw new IllegalArgumentException("weights shared between models of different shapes");
        }
        return new Net<>(H, V, T, B, first.ops(), batchStreams, cell, layers, dropout, firstStream, first.weights(),
                loadsWeights);
    }

    /** Bytes the buffers of such a model take (see the constructor for the parameters). */
    public static long bytes(Kernels kernels, Precision precision, Cell cell, int H, int V, int T, int B, int layers,
                             double dropout) {
        return Net.bytes(kernels.ops(precision), cell, H, V, T, B, layers, dropout);
    }

    /** The same for a {@link #part}, which holds the weights if it is its batch's first. */
    static long partBytes(Kernels kernels, Precision precision, Cell cell, int H, int V, int T, int B, int layers,
                          double dropout, boolean first) {
        return Net.bytes(kernels.ops(precision), cell, H, V, T, B, layers, dropout, first);
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
        net.setDropoutKey(key);
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
        return net.forward(p, inputs, targets, h, false);
    }

    /**
     * {@link #forward(Params, int[], int[], DMatrixRMaj)}, reusing the weights' copy in the
     * compute format if {@code sameWeights}: true only if {@code p} is the object of this
     * model's previous pass and has not changed since (an evaluation's windows after its first).
     */
    public double forward(Params p, int[] inputs, int[] targets, DMatrixRMaj h, boolean sameWeights) {
        return net.forward(p, inputs, targets, h, sameWeights);
    }

    /**
     * Runs the layers over the window, without the output layer: the state h moves on by T
     * characters and nothing is kept for {@link #backward}. For sampling, one character at a
     * time.
     *
     * @param sameWeights true if {@code p} is the object of the previous call of this model and
     *                    has not changed since: its copy in the compute format is then reused
     */
    public void advance(Params p, int[] inputs, DMatrixRMaj h, boolean sameWeights) {
        net.advance(p, inputs, h, sameWeights);
    }

    /**
     * Backpropagation through time over the window of the last {@link #forward}; adds ∂J/∂θ
     * to {@code g} (the caller zeroes it first), where J = T·ℓ is the window's loss summed over
     * its T steps and averaged over the B streams. At B = 1 this is min-char-rnn's objective
     * and its {@code dy = p − 1[target]}; Adagrad's ε and the clip bound are calibrated to
     * gradients of this size (with the mean over T instead, they are T times smaller, ε starts
     * to dominate their squares, and training is measurably slower). The layers are visited top
     * down; each hands ∂J/∂h_t of the layer below to it.
     *
     * @param p the parameters of the last {@link #forward} (their copy from then is used)
     */
    public void backward(Params p, Params g) {
        net.backward(g);
    }

    /**
     * Loads piece {@code piece} of {@code pieces} of the weights in {@code p} into this part's
     * compute format, for its batch's next passes (see {@link #part}); all pieces load them all.
     */
    void loadWeights(Params p, int piece, int pieces) {
        net.weights().load(p, piece, pieces);
    }

    /** Rows [from, to) of matrix m of {@code p} into this part's compute format (see {@link Weights#loadRows}). */
    void loadRows(Params p, int m, int from, int to) {
        net.weights().loadRows(p, m, from, to);
    }

    /** {@link #backward} without adding the gradients anywhere yet: see {@link #addGradients}. */
    void backward() {
        net.backward();
    }

    /**
     * Adds piece {@code piece} of {@code pieces} of the gradients of the last {@link #backward()}
     * to {@code g}, in float64: the same piece of every matrix. With {@code set}, that piece of
     * g is zeroed first.
     */
    void addGradients(Params g, int piece, int pieces, boolean set) {
        net.addGradients(g, piece, pieces, set);
    }

    /** J/ℓ: the factor between the differentiated objective and the mean loss. */
    public double objectiveScale() {
        return T;
    }

    /** The dropout masks of layer l ≥ 1 in the last forward pass (T·B×H), or null without dropout. */
    DMatrixRMaj maskOf(int l) {
        return net.maskOf(l);
    }

    /**
     * The state after step t of stream b in the last forward pass, every layer, into {@code out}
     * (length L·S, laid out as a row of {@link #forward}'s h).
     */
    public void hiddenAt(int t, int b, double[] out) {
        net.hiddenAt(t, b, out);
    }

    /**
     * p_t of stream b in the last {@link #forward}: the V probabilities of the character after
     * step t, into {@code out}. Valid until the next pass ({@link #backward} turns p into dy).
     */
    public void probabilitiesAt(int t, int b, double[] out) {
        net.probabilitiesAt(t, b, out);
    }
}
