package charrnn.train;

import charrnn.model.Kernels;
import charrnn.model.Params;
import org.ejml.data.DMatrixRMaj;

/**
 * Adagrad (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", JMLR 2011), per element:
 * <pre>
 *   m += g²
 *   θ −= lr · g / √(m + ε)
 * </pre>
 * Each parameter's step shrinks as its squared gradients accumulate in the memory m.
 */
public final class Adagrad {
    /** ε inside the square root, as in min-char-rnn. */
    public static final double EPSILON = 1e-8;

    private final double learningRate;
    private final Params memory;   // mWxh, mWhh, mWhy, mbh, mby
    private final Kernels kernels;

    public Adagrad(double learningRate, int H, int V, Kernels kernels) {
        this.learningRate = learningRate;
        this.memory = new Params(H, V);
        this.kernels = kernels;
    }

    /** The accumulated squared gradients (for checkpoints). */
    public Params memory() {
        return memory;
    }

    /** One update of {@code params} with gradient {@code grads}. */
    public void step(Params params, Params grads) {
        DMatrixRMaj[] theta = params.all();
        DMatrixRMaj[] g = grads.all();
        DMatrixRMaj[] m = memory.all();
        for (int k = 0; k < theta.length; k++) {
            // m += g² ;  θ −= lr·g/√(m + ε)
            kernels.adagrad(theta[k].data, g[k].data, m[k].data, theta[k].getNumElements(), learningRate, EPSILON);
        }
    }
}
