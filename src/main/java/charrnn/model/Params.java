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
    public final DMatrixRMaj Wxh;   // H×V  input → hidden
    public final DMatrixRMaj Whh;   // H×H  hidden → hidden
    public final DMatrixRMaj Why;   // V×H  hidden → output
    public final DMatrixRMaj bh;    // H×1  hidden bias
    public final DMatrixRMaj by;    // V×1  output bias
    private final DMatrixRMaj[] all;

    /** All zeros. */
    public Params(int H, int V) {
        this.H = H;
        this.V = V;
        Wxh = new DMatrixRMaj(H, V);
        Whh = new DMatrixRMaj(H, H);
        Why = new DMatrixRMaj(V, H);
        bh = new DMatrixRMaj(H, 1);
        by = new DMatrixRMaj(V, 1);
        all = new DMatrixRMaj[] {Wxh, Whh, Why, bh, by};
    }

    /** Weights drawn N(0,1)·{@link #INIT_SCALE} from {@code rng}, biases 0. */
    public static Params initial(int H, int V, Rng rng) {
        Params p = new Params(H, V);
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

    /** Number of scalar parameters: 2HV + H² + H + V. */
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
        for (int k = 0; k < all.length; k++) {
            all[k].setTo(other.all[k]);
        }
    }

    public Params copy() {
        Params p = new Params(H, V);
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
