package charrnn.check;

import charrnn.config.Cell;
import charrnn.config.Precision;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.model.Rnn;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Compares the analytic gradient of every parameter entry with centred finite differences,
 * in double precision:
 * <pre>
 *   D(ε)    = (L(θ + ε) − L(θ − ε)) / 2ε                   error O(ε²)
 *   numeric = (4·D(ε/2) − D(ε)) / 3                        Richardson: error O(ε⁴)
 *   relative error = |analytic − numeric| / max(|analytic|, |numeric|, floor)
 * </pre>
 * With floor 0 this is the plain relative error; see {@link #FLOOR_MARGIN} for the floor the
 * command line uses.
 */
public final class GradientCheck {
    /** ε of the centred difference. */
    public static final double STEP = 1e-3;
    /** Largest relative error that passes. */
    public static final double TOLERANCE = 1e-6;
    /**
     * A finite difference of a loss J carries rounding noise of about 2⁻⁵²·|J|/ε, so a
     * derivative near that size cannot be compared relatively. With a floor, the denominator of
     * the relative error is at least this many times that noise divided by the tolerance: an
     * entry too small to resolve must then agree in absolute terms, to a tenth of what the
     * tolerance allows a resolvable one.
     */
    public static final double FLOOR_MARGIN = 10;

    private GradientCheck() {
    }

    /** The loss as a function of the parameters, evaluated at their current values. */
    @FunctionalInterface
    public interface Loss {
        double at(Params p);
    }

    /**
     * The comparison for one parameter matrix.
     *
     * @param name             the matrix's name (see {@link Params#names()})
     * @param checked          entries compared
     * @param maxRelativeError the worst relative error among them
     * @param worstIndex       the entry where it occurred (row-major)
     * @param worstAnalytic    the analytic derivative there
     * @param worstNumeric     the finite-difference derivative there
     */
    public record Result(String name, int checked, double maxRelativeError, int worstIndex,
                         double worstAnalytic, double worstNumeric) {
    }

    /**
     * The whole check.
     *
     * @param results   one per parameter matrix, in the order of {@link Params#all()}
     * @param tolerance the largest relative error that passes
     * @param floor     the smallest denominator of the relative error (0 for none)
     */
    public record Report(List<Result> results, double tolerance, double floor) {
        public boolean passed() {
            return results.stream().allMatch(r -> r.maxRelativeError() <= tolerance);
        }

        public double maxRelativeError() {
            return results.stream().mapToDouble(Result::maxRelativeError).max().orElse(0);
        }

        /** The result of the matrix of that name (Wxh, or Wxh2 in a stack; see Params.names). */
        public Result result(String name) {
            return results.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no result for " + name));
        }
    }

    /**
     * Checks {@code analytic} against finite differences of {@code loss} around
     * {@code params}, every entry of every matrix. {@code params} is restored afterwards.
     *
     * @param noiseFloor false for the plain relative error; true to floor its denominator at
     *                   the size of derivative the finite difference resolves (see
     *                   {@link #FLOOR_MARGIN})
     */
    public static Report compare(Params params, Params analytic, Loss loss, double tolerance, boolean noiseFloor) {
        final double floor = noiseFloor
                ? FLOOR_MARGIN * Math.ulp(1.0) * Math.abs(loss.at(params)) / STEP / tolerance : 0;
        List<Result> results = new ArrayList<>();
        DMatrixRMaj[] theta = params.all();
        DMatrixRMaj[] grad = analytic.all();
        String[] names = params.names();
        for (int k = 0; k < theta.length; k++) {
            final double[] w = theta[k].data;
            final double[] g = grad[k].data;
            double worst = -1;
            int worstAt = 0;
            double worstA = 0;
            double worstN = 0;
            final int n = theta[k].getNumElements();
            for (int i = 0; i < n; i++) {
                final double numeric = richardson(w, i, params, loss);
                final double rel = relativeError(g[i], numeric, floor);
                if (rel > worst || Double.isNaN(rel)) {
                    worst = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel;
                    worstAt = i;
                    worstA = g[i];
                    worstN = numeric;
                }
            }
            results.add(new Result(names[k], n, worst, worstAt, worstA, worstN));
        }
        return new Report(results, tolerance, floor);
    }

    /**
     * The derivative of {@code loss} along entry {@code i} of {@code w}: centred differences at
     * steps ε and ε/2, combined by one Richardson extrapolation, so the ε² error terms cancel
     * and the step can be large enough for rounding to stay small. The entry is restored.
     */
    private static double richardson(double[] w, int i, Params params, Loss loss) {
        final double saved = w[i];
        final double wide = centred(w, i, saved, STEP, params, loss);
        final double narrow = centred(w, i, saved, STEP / 2, params, loss);
        w[i] = saved;
        return (4 * narrow - wide) / 3;
    }

    private static double centred(double[] w, int i, double saved, double step, Params params, Loss loss) {
        w[i] = saved + step;
        final double plus = loss.at(params);
        w[i] = saved - step;
        final double minus = loss.at(params);
        return (plus - minus) / (2 * step);
    }

    /** |a − n| / max(|a|, |n|, floor); 0 when a = n (both 0 included). */
    public static double relativeError(double analytic, double numeric, double floor) {
        if (analytic == numeric) {
            return 0;
        }
        final double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), floor);
        return Math.abs(analytic - numeric) / scale;
    }

    /**
     * A model of L layers of a cell of G gates for checking gradients, drawn from {@code rng}:
     * Whh and Why ~ N(0, 1/H), layer 0's Wxh ~ N(0, 0.25), biases ~ N(0, 0.01); the layers
     * above 0 read hidden states, not one-hot characters, so their Wxh is drawn N(0, 1/H) like
     * Whh. Training starts from weights N(0, 0.01²), where tanh is nearly linear and many
     * derivatives are near 1e-9, below what a finite difference of a loss near ln V can resolve;
     * at this scale every unit works in its non-linear range and every derivative is large
     * enough to compare to 1e-6.
     */
    public static Params probeModel(int H, int V, int G, int L, Rng rng) {
        Params p = new Params(H, V, G, L);
        fill(p.Wxh[0], 0.5, rng);
        fill(p.Whh[0], 1 / Math.sqrt(H), rng);
        fill(p.Why, 1 / Math.sqrt(H), rng);
        fill(p.bh[0], 0.1, rng);
        fill(p.by, 0.1, rng);
        for (int l = 1; l < L; l++) {
            fill(p.Wxh[l], 1 / Math.sqrt(H), rng);
            fill(p.Whh[l], 1 / Math.sqrt(H), rng);
            fill(p.bh[l], 0.1, rng);
        }
        return p;
    }

    /** A hidden state h_{-1} for the check, tanh of N(0, 1) draws (B×H). */
    public static DMatrixRMaj probeState(int B, int H, Rng rng) {
        DMatrixRMaj h = new DMatrixRMaj(B, H);   // H: the state width, 2H for the LSTM
        for (int i = 0; i < B * H; i++) {
            h.data[i] = StrictMath.tanh(rng.nextGaussian());
        }
        return h;
    }

    private static void fill(DMatrixRMaj m, double sigma, Rng rng) {
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rng.nextGaussian() * sigma;
        }
    }

    /**
     * Checks the RNN's backward pass on one window: no clipping, the objective J of
     * {@link Rnn#backward} from the hidden state {@code h0} (B×(L·S), not modified), with
     * dropout q between the layers (0 for none): the masks drawn from {@code dropoutKey} stay the same for
     * every evaluation of the loss, so the loss is a smooth function of the parameters and the
     * check covers the masked paths exactly.
     *
     * @param inputs  T·B indices
     * @param targets T·B indices
     */
    public static Report checkRnn(Params params, int T, int B, int[] inputs, int[] targets,
                                  DMatrixRMaj h0, double dropout, long dropoutKey, double tolerance, boolean noiseFloor) {
        Cell cell = params.cell;
        Rnn rnn = new Rnn(params.H, params.V, T, B, Kernels.best(), Precision.FLOAT64, B, cell, params.L, dropout, 0);
        rnn.setDropoutKey(dropoutKey);
        DMatrixRMaj h = h0.copy();
        if (h0.numCols != Rnn.stateWidth(cell, params.H, params.L)) {
            throw new IllegalArgumentException("h0 must have the cell's state width times the layers");
        }
        Params analytic = new Params(params.H, params.V, params.G, params.L);
        rnn.forward(params, inputs, targets, h);
        rnn.backward(params, analytic);
        Loss loss = p -> {
            h.setTo(h0);
            return rnn.objectiveScale() * rnn.forward(p, inputs, targets, h);
        };
        return compare(params, analytic, loss, tolerance, noiseFloor);
    }

    /**
     * What {@code --gradcheck} checks: a probe model of the run's shape drawn from its seed
     * (weights large enough for every derivative to register), a probe carried state, one set
     * of dropout masks, and the first window of each of B streams through the text.
     *
     * @param params  the probe model
     * @param h0      B×S, the carried state the window starts from
     * @param dropoutKey the key of the masks, kept for every difference
     * @param inputs  T·B
     * @param targets T·B
     */
    public record Probe(Params params, DMatrixRMaj h0, long dropoutKey, int[] inputs, int[] targets) {
    }

    /** The probe of a run with these settings on {@code text} of V symbols. */
    public static Probe probe(charrnn.config.Hyperparameters hp, charrnn.data.EncodedText text, int V) {
        int T = hp.seqLength();
        int B = hp.batchSize();
        Rng rng = new Rng(hp.seed());
        Params params = probeModel(hp.hidden(), V, hp.cell().gates(), hp.layers(), rng);
        DMatrixRMaj h0 = probeState(B, Rnn.stateWidth(hp.cell(), hp.hidden(), hp.layers()), rng);
        long dropoutKey = rng.nextLong();
        int[] inputs = new int[T * B];
        int[] targets = new int[T * B];
        new charrnn.data.Windows(text, 0, text.length(), T, B).next(inputs, targets, new boolean[B]);
        return new Probe(params, h0, dropoutKey, inputs, targets);
    }

    /** Checks the run's model on its probe: every entry of every matrix, clipping off. */
    public static Report check(charrnn.config.Hyperparameters hp, Probe probe) {
        return checkRnn(probe.params(), hp.seqLength(), hp.batchSize(), probe.inputs(), probe.targets(), probe.h0(),
                hp.dropout(), probe.dropoutKey(), TOLERANCE, true);
    }
}
