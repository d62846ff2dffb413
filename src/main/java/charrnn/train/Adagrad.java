package charrnn.train;

import charrnn.model.Kernels;
import charrnn.model.Params;

/**
 * Element-wise gradient clipping, then Adagrad (Duchi, Hazan and Singer, "Adaptive
 * Subgradient Methods for Online Learning and Stochastic Optimization", JMLR 2011), per element:
 * <pre>
 *   g  = min(max(g, −c), c)
 *   m += g²
 *   θ −= lr · g / √(m + ε)
 * </pre>
 * Each parameter's step shrinks as its squared gradients accumulate in the memory m.
 */
public final class Adagrad extends Optimizer {
    /** ε inside the square root, as in min-char-rnn. */
    public static final double EPSILON = 1e-8;

    private final double learningRate;
    private final Params memory;   // mWxh, mWhh, mWhy, mbh, mby, then mWxh, mWhh, mbh of each further layer
    private final Kernels kernels;
    private long steps;
    private double lr;                 // of the step begun last

    /** An optimiser for parameters shaped like {@code like} (its values are not used). */
    public Adagrad(double learningRate, Params like, Kernels kernels) {
        this.learningRate = learningRate;
        this.memory = new Params(like.H, like.V, like.G, like.L);
        this.kernels = kernels;
    }

    @Override
    public Params[] state() {
        return new Params[] {memory};
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        this.steps = steps;
    }

    /** The accumulated squared gradients (for checkpoints). */
    public Params memory() {
        return memory;
    }

    /**
     * One update of {@code params} with gradient {@code grads}, each entry of which is first
     * clipped into [−clip, clip] (0: no clipping); one pass over the memory.
     *
     * @return false if a gradient entry was NaN or infinite: the parameters are then unusable
     */
    public boolean step(Params params, Params grads, double clip) {
        return step(params, grads, learningRate, clip);
    }

    @Override
    public void begin(double lr) {
        steps++;
        this.lr = lr;
    }

    @Override
    public boolean update(Params params, Params grads, double clip, int k, int from, int to) {
        // g = clip(g) ;  m += g² ;  θ −= lr·g/√(m + ε)
        return kernels.adagrad(params.all()[k].data, grads.all()[k].data, memory.all()[k].data, from, to, clip, lr,
                EPSILON);
    }
}
