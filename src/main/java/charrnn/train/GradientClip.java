package charrnn.train;

import charrnn.model.Params;
import org.ejml.data.DMatrixRMaj;

/**
 * Clipping of the gradient's global norm, as PyTorch's torch.nn.utils.clip_grad_norm_: the L2
 * norm of all entries of all matrices together, and if it is above C every entry scaled by
 * C / (norm + 10⁻⁶). With {@code --clip} too, every entry is first clipped into [−c, c] and
 * the norm is that of the clipped gradient:
 * <pre>
 *   g = min(max(g, −c), c)                   (c = --clip; 0: not clipped)
 *   ‖g‖ = √(Σ g²)
 *   g = g · C / (‖g‖ + 10⁻⁶)    if ‖g‖ &gt; C   (C = --clip-norm)
 * </pre>
 */
public final class GradientClip {
    /** Added to the norm before dividing, as PyTorch. */
    public static final double EPSILON = 1e-6;

    private GradientClip() {
    }

    /**
     * Clips {@code grads} in place, element-wise into [−bound, bound] (0: not) then to a global
     * norm of at most {@code maxNorm}.
     *
     * @return the global norm before the norm clip (after the element-wise one); NaN or infinite
     *         if an entry was, and then nothing is scaled
     */
    public static double clip(Params grads, double bound, double maxNorm) {
        double sum = 0;
        boolean finite = true;
        for (DMatrixRMaj m : grads.all()) {
            final double[] g = m.data;
            final int n = m.getNumElements();
            for (int i = 0; i < n; i++) {
                double gi = g[i];
                if (!Double.isFinite(gi)) {
                    finite = false;
                }
                if (bound > 0) {
                    gi = Math.min(Math.max(gi, -bound), bound);
                    g[i] = gi;
                }
                sum += gi * gi;
            }
        }
        final double norm = Math.sqrt(sum);
        if (!finite || !Double.isFinite(norm)) {
            return Double.NaN;
        }
        final double coefficient = maxNorm / (norm + EPSILON);
        if (coefficient < 1) {
            for (DMatrixRMaj m : grads.all()) {
                final double[] g = m.data;
                final int n = m.getNumElements();
                for (int i = 0; i < n; i++) {
                    g[i] *= coefficient;
                }
            }
        }
        return norm;
    }
}
