package charrnn.train;

import charrnn.model.Params;

/**
 * Element-wise gradient clipping, then Adam (Kingma and Ba, "Adam: A Method for Stochastic
 * Optimization", ICLR 2015) as PyTorch's torch.optim.Adam computes it, with decoupled weight
 * decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019; PyTorch's
 * torch.optim.AdamW) when wd &gt; 0. At step t = 1, 2, ..., per element:
 * <pre>
 *   g  = min(max(g, −c), c)
 *   θ  = θ·(1 − lr·wd)                                   (AdamW; nothing when wd = 0)
 *   m  = β1·m + (1 − β1)·g
 *   v  = β2·v + (1 − β2)·g²
 *   θ −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * The two divisions undo the bias of m and v towards their zero start. The weight decay acts
 * on every parameter, biases included, as AdamW over {@code model.parameters()} does.
 */
public final class Adam extends Optimizer {
    /** ε added to the root, as PyTorch's default. */
    public static final double EPSILON = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final Params m;   // first moment: mean of gradients
    private final Params v;   // second moment: mean of squared gradients
    private final Params[] state;
    private long t;
    // the constants of the step begun last
    private double biasCorrection2Sqrt;   // √(1 − β2^t)
    private double stepSize;              // lr/(1 − β1^t)
    private double shrink;                // 1 − lr·wd

    /** An optimizer for parameters shaped like {@code like}. */
    public Adam(double beta1, double beta2, double weightDecay, Params like) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        this.m = new Params(like.H, like.V, like.G, like.L);
        this.v = new Params(like.H, like.V, like.G, like.L);
        this.state = new Params[] {m, v};
    }

    @Override
    public void begin(double lr) {
        t++;
        biasCorrection2Sqrt = Math.sqrt(1 - StrictMath.pow(beta2, t));
        stepSize = lr / (1 - StrictMath.pow(beta1, t));
        shrink = 1 - lr * weightDecay;
    }

    @Override
    public boolean update(Params params, Params grads, double clip, int k, int from, int to) {
        final double[] th = params.all()[k].data;
        final double[] g = grads.all()[k].data;
        final double[] mk = m.all()[k].data;
        final double[] vk = v.all()[k].data;
        boolean finite = true;
        // g = clip(g) ; θ = θ·(1 − lr·wd) ; m = β1·m + (1 − β1)·g ; v = β2·v + (1 − β2)·g²
        // θ −= (lr/(1 − β1^t))·m/(√v/√(1 − β2^t) + ε)
        for (int i = from; i < to; i++) {
            finite &= Double.isFinite(g[i]);
            final double gi = Optimizer.clipped(g[i], clip);
            if (weightDecay != 0) {
                th[i] *= shrink;
            }
            final double mi = beta1 * mk[i] + (1 - beta1) * gi;
            final double vi = beta2 * vk[i] + (1 - beta2) * gi * gi;
            mk[i] = mi;
            vk[i] = vi;
            th[i] -= stepSize * mi / (Math.sqrt(vi) / biasCorrection2Sqrt + EPSILON);
        }
        return finite;
    }

    @Override
    public Params[] state() {
        return state;
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public void setSteps(long steps) {
        this.t = steps;
    }
}
