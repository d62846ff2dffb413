package charrnn.train;

import charrnn.config.Hyperparameters;
import charrnn.config.Optimization;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Workers;
import org.ejml.data.DMatrixRMaj;

/**
 * An update rule: turns the gradient of one update into a step of the parameters, keeping
 * whatever memory of earlier gradients it needs. That memory, and the count of steps made,
 * is what a checkpoint stores to resume exactly.
 */
public abstract class Optimizer {
    /**
     * Entries per stretch of rows a {@link #step} updates before it tells its workers: θ, g
     * and the memory of 16 rows of 512 columns take 192 KB, in L2.
     */
    static final int STRETCH = 8192;

    // The step under way, for its pieces: set by step, read by stepPiece on the workers' threads
    // (inPieces hands the task over and waits for it). A lambda capturing them was an object per
    // update, which the JIT did not always remove (40 bytes per update on one processor).
    private Params stepParams;
    private Params stepGrads;
    private double stepClip;
    private Workers stepWorkers;
    private final Workers.Piece stepPiece = this::stepPiece;

    /**
     * One update of {@code params} with gradient {@code grads} at step size {@code lr}, each
     * gradient entry first clipped into [−clip, clip] (0: no clipping). {@code grads} may be
     * overwritten.
     *
     * @return false if a gradient entry was NaN or infinite: the parameters are then unusable
     */
    public final boolean step(Params params, Params grads, double lr, double clip) {
        return step(params, grads, lr, clip, Workers.ONE);
    }

    /**
     * The same update, each matrix's rows shared out among {@code workers}: the same bits
     * whatever their number, since every entry is updated alone. Each piece tells the workers of
     * every stretch of rows it wrote ({@link Workers#changed}), and a step that ends well tells
     * them of the whole ({@link Workers#changedAll}), so that a batch can copy the new weights
     * into its compute format while they are in cache instead of in a pass of its own.
     */
    public final boolean step(Params params, Params grads, double lr, double clip, Workers workers) {
        begin(lr);
        stepParams = params;
        stepGrads = grads;
        stepClip = clip;
        stepWorkers = workers;
        final boolean finite;
        try {
            finite = workers.inPieces(stepPiece);
        } finally {
            stepParams = null;
            stepGrads = null;
            stepWorkers = null;
        }
        if (finite) {
            workers.changedAll(params);
        }
        return finite;
    }

    /** Piece {@code piece} of {@code pieces} of the step under way: its share of every matrix's rows. */
    private boolean stepPiece(int piece, int pieces) {
        final Params params = stepParams;
        final Params grads = stepGrads;
        final double clip = stepClip;
        final Workers workers = stepWorkers;
        final DMatrixRMaj[] theta = params.all();
        boolean ok = true;
        for (int k = 0; k < theta.length; k++) {
            final int cols = theta[k].numCols;
            final int rows = theta[k].numRows;
            final int last = Workers.start(rows, piece + 1, pieces);
            // a stretch of rows at a time, handed on to workers while it is in cache
            final int stretch = Math.max(1, STRETCH / cols);
            for (int r = Workers.start(rows, piece, pieces); r < last; r += stretch) {
                final int end = Math.min(last, r + stretch);
                ok &= update(params, grads, clip, k, r * cols, end * cols);
                workers.changed(params, k, r, end);
            }
        }
        return ok;
    }

    /** Counts a step at step size {@code lr} and fixes its constants, before its {@link #update}s. */
    public abstract void begin(double lr);

    /**
     * The step begun last, on entries [from, to) of matrix k (in the order of {@link Params#all()}).
     *
     * @return false if one of those gradient entries was NaN or infinite
     */
    public abstract boolean update(Params params, Params grads, double clip, int k, int from, int to);

    /**
     * The memory, in the order a checkpoint stores it: Adagrad's sum of squared gradients;
     * RMSprop's mean square; Adam's first moment, then its second. Live buffers.
     */
    public abstract Params[] state();

    /** Updates made with this memory (Adam's t). */
    public abstract long steps();

    /** Continues from a saved memory (copied) after {@code steps} updates. */
    public void restore(Params[] saved, long steps) {
        Params[] mine = state();
        if (saved.length != mine.length) {
            throw new IllegalArgumentException("the checkpoint holds " + saved.length + " optimizer buffers, "
                    + mine.length + " expected");
        }
        for (int k = 0; k < mine.length; k++) {
            mine[k].setTo(saved[k]);
        }
        setSteps(steps);
    }

    /** Sets the step count after a restore. */
    public abstract void setSteps(long steps);

    /** g clipped element-wise into [−clip, clip]; clip 0 leaves it as it is. */
    static double clipped(double g, double clip) {
        return clip > 0 ? Math.min(Math.max(g, -clip), clip) : g;
    }

    /** Buffers of the shape of the parameters the optimizer keeps: how many Params {@link #state()} holds. */
    public static int buffers(charrnn.config.OptimizerKind kind) {
        return kind == charrnn.config.OptimizerKind.ADAM ? 2 : 1;
    }

    /** The optimizer {@code hp} asks for, with fresh memory, for parameters shaped like {@code like}. */
    static Optimizer of(Hyperparameters hp, Params like, Kernels kernels) {
        Optimization o = hp.optim();
        return switch (o.optimizer()) {
            case ADAGRAD -> new Adagrad(hp.learningRate(), like, kernels);
            case RMSPROP -> new RmsProp(o.decayRate(), like);
            case ADAM -> new Adam(o.beta1(), o.beta2(), o.weightDecay(), like);
        };
    }
}
