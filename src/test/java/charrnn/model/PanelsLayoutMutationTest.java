package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The size of the Vector API's packed weights, from the layout {@code VectorKernels.panels}
 * describes: N columns are P = ⌈N/lanes⌉ vector positions, each stored once per row of the K
 * (groups of four, single positions, and the last four together), except that fewer than four
 * positions still fill one group of four; fewer columns than lanes are stored row-major as the
 * plain kernels do. Bigger panels would compute the same products, so only their size tells.
 */
class PanelsLayoutMutationTest {

    private static long expected(int K, int N, int lanes) {
        if (N < lanes) {
            return (long) K * N;
        }
        int P = (N + lanes - 1) / lanes;
        return (long) K * lanes * Math.max(4, P);
    }

    private static <A> void sizes(Ops<A> k, int lanes) {
        for (int K : new int[] {1, 3}) {
            for (int N = 1; N <= 13 * lanes; N++) {
                assertEquals(expected(K, N, lanes), k.panelsSize(K, N), k.describe() + " K=" + K + " N=" + N);
            }
        }
        assertEquals(k.panelsSize(3, 5 * lanes + 1), java.lang.reflect.Array.getLength(k.panels(3, 5 * lanes + 1).data()));
    }

    @Test
    void everyVectorPositionIsStoredOnce() {
        sizes(Kernels.best(), DoubleVector.SPECIES_PREFERRED.length());
        sizes(Kernels.best().floats(), FloatVector.SPECIES_PREFERRED.length());
    }

    /** Copies into panels of another shape are refused, also where the columns fill whole vectors. */
    @Test
    void wideWeightsAreNotCopiedIntoPanelsOfAnotherShape() {
        refuses(Kernels.best());
        refuses(Kernels.best().floats());
        refuses(Kernels.plain());
        refuses(Kernels.plain().floats());
    }

    private static <A> void refuses(Ops<A> k) {
        double[] w = new double[20 * 40];   // 20×40
        assertThrows(IllegalArgumentException.class, () -> k.loadPanels(w, 20, 40, false, k.panels(40, 20)), k.describe());
        assertThrows(IllegalArgumentException.class, () -> k.loadPanels(w, 20, 40, false, k.panels(20, 41)), k.describe());
        assertThrows(IllegalArgumentException.class, () -> k.loadPanels(w, 20, 40, true, k.panels(20, 40)), k.describe());
    }

    /** A refused product names the shapes, a transposed factor with ᵀ. */
    @Test
    void aRefusedProductNamesItsShapes() {
        Ops<double[]> k = Kernels.plain();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.product(Mat.of(k, 3, 4), true, Mat.of(k, 3, 2), Mat.of(k, 5, 2), false));
        assertEquals("product of 3×4ᵀ and 3×2 into 5×2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> k.product(Mat.of(k, 3, 4), false, Mat.of(k, 4, 2), Mat.of(k, 3, 3), false));
        assertEquals("product of 3×4 and 4×2 into 3×3", e.getMessage());
    }
}
