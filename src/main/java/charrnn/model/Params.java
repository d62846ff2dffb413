package charrnn.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The five parameter matrices of the tanh RNN. The same shape serves for the parameters θ,
 * their gradients dθ and the Adagrad memory mθ, so an optimiser step is one loop over
 * {@link #all()}.
 */
public final class Params {
    public static final String[] NAMES = {"Wxh", "Whh", "Why", "bh", "by"};

    /** Standard deviation of the initial weights: N(0,1)·0.01, as in min-char-rnn. */
    public static final double INIT_SCALE = 0.01;

    public final int H;
    public final int V;
    /** G, the cell's gate blocks (1 for the tanh RNN; see {@link charrnn.config.Cell}). */
    public final int G;
    public final DMatrixRMaj Wxh;   // G·H×V  input → gates
    public final DMatrixRMaj Whh;   // G·H×H  hidden → gates
    public final DMatrixRMaj Why;   // V×H    hidden → output
    public final DMatrixRMaj bh;    // G·H×1  gate biases
    public final DMatrixRMaj by;    // V×1  output bias
    private final DMatrixRMaj[] all;

    /** All zeros, for the tanh RNN. */
    public Params(int H, int V) {
        this(H, V, 1);
    }

    /** All zeros, for a cell of G gates. */
    public Params(int H, int V, int G) {
        this.H = H;
        this.V = V;
        this.G = G;
        Wxh = new DMatrixRMaj(G * H, V);
        Whh = new DMatrixRMaj(G * H, H);
        Why = new DMatrixRMaj(V, H);
        bh = new DMatrixRMaj(G * H, 1);
        by = new DMatrixRMaj(V, 1);
        all = new DMatrixRMaj[] {Wxh, Whh, Why, bh, by};
    }

    /** Weights drawn N(0,1)·{@link #INIT_SCALE} from {@code rng}, biases 0 (tanh RNN). */
    public static Params initial(int H, int V, Rng rng) {
        return initial(H, V, 1, rng);
    }

    /** Weights drawn N(0,1)·{@link #INIT_SCALE} from {@code rng}, biases 0, for G gates. */
    public static Params initial(int H, int V, int G, Rng rng) {
        Params p = new Params(H, V, G);
        for (DMatrixRMaj w : new DMatrixRMaj[] {p.Wxh, p.Whh, p.Why}) {
            double[] d = w.data;
            for (int i = 0; i < w.getNumElements(); i++) {
                d[i] = rng.nextGaussian() * INIT_SCALE;
            }
        }
        return p;
    }

    /** The matrices in the order of {@link #NAMES}. */
    public DMatrixRMaj[] all() {
        return all;
    }

    /** Number of scalar parameters: G·(HV + H² + H) + VH + V. */
    public long count() {
        long n = 0;
        for (DMatrixRMaj m : all) {
            n += m.getNumElements();
        }
        return n;
    }

    public void zero() {
        for (DMatrixRMaj m : all) {
            m.zero();
        }
    }

    public void setTo(Params other) {
        if (other.H != H || other.V != V || other.G != G) {
            throw new IllegalArgumentException("parameters of another shape");
        }
        for (int k = 0; k < all.length; k++) {
            all[k].setTo(other.all[k]);
        }
    }

    public Params copy() {
        Params p = new Params(H, V, G);
        p.setTo(this);
        return p;
    }

    /** True if every entry is a finite number. */
    public boolean allFinite() {
        for (DMatrixRMaj m : all) {
            double[] d = m.data;
            for (int i = 0; i < m.getNumElements(); i++) {
                if (!Double.isFinite(d[i])) {
                    return false;
                }
            }
        }
        return true;
    }
}
