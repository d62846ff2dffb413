package charrnn.train;

import charrnn.model.Params;
import org.ejml.data.DMatrixRMaj;

/** Element-wise gradient clipping: every entry of every gradient into [−c, c]. */
public final class Clipping {
    private Clipping() {
    }

    /**
     * Clips every entry of {@code grads} into [−bound, bound]; a bound of 0 leaves them as they
     * are. Either way, reports whether every entry is finite.
     *
     * @return false if any entry is NaN or infinite
     */
    public static boolean clip(Params grads, double bound) {
        boolean finite = true;
        for (DMatrixRMaj m : grads.all()) {
            final double[] d = m.data;
            final int n = m.getNumElements();
            for (int i = 0; i < n; i++) {
                final double g = d[i];
                finite &= Double.isFinite(g);
                if (bound > 0) {
                    d[i] = g > bound ? bound : (g < -bound ? -bound : g);
                }
            }
        }
        return finite;
    }
}
