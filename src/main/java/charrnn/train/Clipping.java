package charrnn.train;

import charrnn.model.Kernels;
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
    public static boolean clip(Params grads, double bound, Kernels kernels) {
        boolean finite = true;
        for (DMatrixRMaj m : grads.all()) {
            finite &= kernels.clip(m.data, m.getNumElements(), bound);
        }
        return finite;
    }
}
