package charrnn.train;

import charrnn.model.Params;

/**
 * Element-wise gradient clipping, then RMSprop (Tieleman and Hinton, "Lecture 6.5 — RMSprop",
 * COURSERA: Neural Networks for Machine Learning, 2012), per element, as char-rnn trains with it
 * (torch optim.rmsprop: decay α = 0.95, ε added outside the root):
 * <pre>
 *   g  = min(max(g, −c), c)
 *   m  = α·m + (1 − α)·g²
 *   θ −= lr · g / (√m + ε)
 * </pre>
 * The memory m is a running mean of squared gradients, so unlike Adagrad's sum the step does
 * not shrink for ever. PyTorch's torch.optim.RMSprop is the same rule (its α defaults to 0.99).
 */
public final class RmsProp extends Optimizer {
    /** ε added to the root, as char-rnn and PyTorch. */
    public static final double EPSILON = 1e-8;

    private final double alpha;
    private final Params meanSquare;   // mWxh, mWhh, mWhy, mbh, mby
    private final Params[] state;
    private long steps;
    private double lr;                 // of the step begun last

    /** An optimizer of decay {@code alpha} for parameters shaped like {@code like}. */
    public RmsProp(double alpha, Params like) {
        this.alpha = alpha;
        this.meanSquare = new Params(like.H, like.V, like.G, like.L);
        this.state = new Params[] {meanSquare};
    }

    @Override
    public void begin(double lr) {
        steps++;
        this.lr = lr;
    }

    @Override
    public boolean update(Params params, Params grads, double clip, int k, int from, int to) {
        final double[] t = params.all()[k].data;
        final double[] g = grads.all()[k].data;
        final double[] m = meanSquare.all()[k].data;
        boolean finite = true;
        // g = clip(g) ;  m = α·m + (1 − α)·g² ;  θ −= lr·g/(√m + ε)
        for (int i = from; i < to; i++) {
            finite &= Double.isFinite(g[i]);
            final double gi = Optimizer.clipped(g[i], clip);
            final double mi = alpha * m[i] + (1 - alpha) * gi * gi;
            m[i] = mi;
            t[i] -= lr * gi / (Math.sqrt(mi) + EPSILON);
        }
        return finite;
    }

    @Override
    public Params[] state() {
        return state;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        this.steps = steps;
    }
}
