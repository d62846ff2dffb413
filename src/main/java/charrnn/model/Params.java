package charrnn.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The parameter matrices of a stack of L recurrent layers and its output layer. Layer l has
 * its own Wxh[l], Whh[l] and bh[l]; layer 0 reads the one-hot character (Wxh[0] is G·H×V),
 * every layer above reads the hidden state of the one below (Wxh[l] is G·H×H). Why and by read
 * the top layer. The same shape serves for the parameters θ, their gradients dθ and the
 * Adagrad memory mθ, so an optimiser step is one loop over {@link #all()}.
 */
public final class Params {
    /** Standard deviation of the initial weights: N(0,1)·0.01, as in min-char-rnn. */
    public static final double INIT_SCALE = 0.01;

    public final int H;
    public final int V;
    /** G, the cell's gate blocks (1 for the tanh RNN; see {@link charrnn.config.Cell}). */
    public final int G;
    /** L, the recurrent layers. */
    public final int L;
    /** The cell whose G gate blocks the matrices hold. */
    public final charrnn.config.Cell cell;
    public final DMatrixRMaj[] Wxh;  // per layer: G·H×V (layer 0) or G·H×H, input → gates
    public final DMatrixRMaj[] Whh;  // per layer: G·H×H, hidden → gates
    public final DMatrixRMaj[] bh;   // per layer: G·H×1, gate biases
    public final DMatrixRMaj Why;    // V×H  top hidden → output
    public final DMatrixRMaj by;     // V×1  output bias
    private final DMatrixRMaj[] all;
    private final String[] names;

    /** All zeros, L layers of a cell of G gates. */
    public Params(int H, int V, int G, int L) {
        if (L < 1) {
            throw new IllegalArgumentException("a model has 1 layer or more, not " + L);
        }
        this.H = H;
        this.V = V;
        this.G = G;
        this.L = L;
        this.cell = charrnn.config.Cell.ofGates(G);
        Wxh = new DMatrixRMaj[L];
        Whh = new DMatrixRMaj[L];
        bh = new DMatrixRMaj[L];
        for (int l = 0; l < L; l++) {
            Wxh[l] = new DMatrixRMaj(G * H, l == 0 ? V : H);
            Whh[l] = new DMatrixRMaj(G * H, H);
            bh[l] = new DMatrixRMaj(G * H, 1);
        }
        Why = new DMatrixRMaj(V, H);
        by = new DMatrixRMaj(V, 1);
        // the single-layer order (and checkpoint layout) first, then each further layer's three
        all = new DMatrixRMaj[5 + 3 * (L - 1)];
        names = new String[all.length];
        String one = L == 1 ? "" : "1";
        put(0, Wxh[0], "Wxh" + one);
        put(1, Whh[0], "Whh" + one);
        put(2, Why, "Why");
        put(3, bh[0], "bh" + one);
        put(4, by, "by");
        for (int l = 1; l < L; l++) {
            put(5 + 3 * (l - 1), Wxh[l], "Wxh" + (l + 1));
            put(6 + 3 * (l - 1), Whh[l], "Whh" + (l + 1));
            put(7 + 3 * (l - 1), bh[l], "bh" + (l + 1));
        }
    }

    private void put(int k, DMatrixRMaj m, String name) {
        all[k] = m;
        names[k] = name;
    }

    /** Weights drawn N(0,1)·{@link #INIT_SCALE} from {@code rng}, biases 0 (tanh RNN). */
    public static Params initial(int H, int V, Rng rng) {
        return initial(H, V, 1, 1, rng);
    }

    /**
     * The starting point of training, drawn from {@code rng} in this order: the first layer's
     * Wxh and Whh and Why, N(0,1)·{@link #INIT_SCALE} as in min-char-rnn (a GRU's or LSTM's
     * Whh: N(0,1)/√H); then each further layer's Wxh and Whh, N(0,1)/√H. The tanh RNN's biases
     * start at 0, as min-char-rnn's; a gated cell's are drawn last, uniform in ±1/√H, each
     * layer's bh in turn and then by.
     *
     * <p>A gated cell's recurrent weights at 0.01 feed its memory back almost nothing, and
     * with Adam it then learned markedly slower: two GRU layers of 256 (dropout 0.2, Adam 0.003
     * with a cosine, batch 32, T = 64) scored 1.6006 nats/char on tiny Shakespeare's held-out
     * text after 2,400 updates, against 1.5618 from N(0, 1/H) (docs/REPORT.md, "A ten-minute
     * recipe"). The tanh RNN keeps min-char-rnn's 0.01.
     *
     * <p>Biases at 0 start every gate of a unit at the same point; drawn at PyTorch's scale for
     * its GRU and LSTM, ±1/√H, the same 2,400-update run went on from 1.5618 to 1.5453.
     *
     * <p>The first layer reads one column of Wxh per step (its input is one-hot), the layers
     * above read H dense values. Started at 0.01 too, a layer above passes almost nothing up or
     * down, and Adagrad's first steps (lr·sign(g) on every entry, coherent across a row) then
     * saturate its tanh units: a two-layer tanh RNN, H=68, stayed at 3.39 nats/char, about a
     * model of character frequencies, after 1M characters of tiny Shakespeare, against 2.23
     * from N(0, 1/H) (docs/REPORT.md, "One layer or two").
     */
    public static Params initial(int H, int V, int G, int L, Rng rng) {
        Params p = new Params(H, V, G, L);
        final double upper = 1 / Math.sqrt(H);
        fill(p.Wxh[0], INIT_SCALE, rng);
        fill(p.Whh[0], G > 1 ? upper : INIT_SCALE, rng);
        fill(p.Why, INIT_SCALE, rng);
        for (int l = 1; l < L; l++) {
            fill(p.Wxh[l], upper, rng);
            fill(p.Whh[l], upper, rng);
        }
        if (G > 1) {
            for (int l = 0; l < L; l++) {
                fillUniform(p.bh[l], upper, rng);
            }
            fillUniform(p.by, upper, rng);
        }
        return p;
    }

    /** Each entry uniform in [−bound, bound). */
    private static void fillUniform(DMatrixRMaj w, double bound, Rng rng) {
        double[] d = w.data;
        for (int i = 0; i < w.getNumElements(); i++) {
            d[i] = (2 * rng.nextDouble() - 1) * bound;
        }
    }

    private static void fill(DMatrixRMaj w, double sigma, Rng rng) {
        double[] d = w.data;
        for (int i = 0; i < w.getNumElements(); i++) {
            d[i] = rng.nextGaussian() * sigma;
        }
    }

    /** Every matrix, in the order of {@link #names()}. */
    public DMatrixRMaj[] all() {
        return all;
    }

    /**
     * The matrices' names, in the order of {@link #all()}: Wxh, Whh, Why, bh, by for one layer;
     * with more, the layer's number follows (Wxh1, Whh1, Why, bh1, by, Wxh2, Whh2, bh2, ...).
     */
    public String[] names() {
        return names.clone();
    }

    /**
     * The matrix of that name (see {@link #names()}).
     *
     * @throws IllegalArgumentException if there is none
     */
    public DMatrixRMaj get(String name) {
        for (int k = 0; k < all.length; k++) {
            if (names[k].equals(name)) {
                return all[k];
            }
        }
        throw new IllegalArgumentException("no matrix " + name + " among " + String.join(", ", names));
    }

    /** The model's shape. */
    public Shape shape() {
        return new Shape(cell, H, V, L);
    }

    /** Number of scalar parameters (see {@link Shape#parameterCount()}). */
    public long count() {
        return shape().parameterCount();
    }

    public void zero() {
        for (DMatrixRMaj m : all) {
            m.zero();
        }
    }

    public void setTo(Params other) {
        if (other.H != H || other.V != V || other.G != G || other.L != L) {
            throw new IllegalArgumentException("parameters of another shape");
        }
        for (int k = 0; k < all.length; k++) {
            all[k].setTo(other.all[k]);
        }
    }

    public Params copy() {
        Params p = new Params(H, V, G, L);
        p.setTo(this);
        return p;
    }
}
