package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorWidthsTest}'s comparisons, bit for bit against the plain kernels, at the CPU's own
 * vector width only, in both formats. VectorWidthsTest runs every width in a JVM of its own (a
 * width the CPU does not run natively slows the native kernels in the same JVM); these run the
 * kernels every other test runs, so they can share the default JVM, and PIT, which runs every
 * test in one JVM and leaves the vector-widths tests out when it mutates the model, runs them.
 */
class NativeWidthMutationTest {
    private static final int BITS = DoubleVector.SPECIES_PREFERRED.vectorBitSize();
    private final VectorWidthsTest widths = new VectorWidthsTest();

    @Test
    void theTestsRunTheCpusOwnKernelsAndOneInstanceOfEach() {
        assertTrue(VectorKernels.worthIt(), "the CPU's vectors hold 2 doubles or more");
        assertSame(VectorKernels.INSTANCE, Kernels.best());
        assertSame(Kernels.best(), Kernels.vector(BITS), "the CPU's width is the one instance the JIT sees");
        assertSame(VectorFloats.INSTANCE, Kernels.best().floats());
        assertSame(Kernels.best().floats(), Kernels.vector(BITS).floats());
    }

    @Test
    void productsAreThePlainOnes() {
        widths.productsAreTheSameAtEveryWidth(BITS, VectorWidthsTest.float64(BITS));
        widths.productsAreTheSameAtEveryWidth(BITS, VectorWidthsTest.float32(BITS));
    }

    @Test
    void productsWithPackedWeightsAreThePlainOnes() {
        widths.productsWithPackedWeightsAreTheSameAtEveryWidth(BITS, VectorWidthsTest.float64(BITS));
        widths.productsWithPackedWeightsAreTheSameAtEveryWidth(BITS, VectorWidthsTest.float32(BITS));
    }

    @Test
    void elementWiseStepsAreThePlainOnes() {
        widths.elementWiseStepsAreTheSameAtEveryWidth(BITS, VectorWidthsTest.float64(BITS));
        widths.elementWiseStepsAreTheSameAtEveryWidth(BITS, VectorWidthsTest.float32(BITS));
    }

    @Test
    void adagradIsThePlainOne() {
        widths.adagradIsTheSameAtEveryWidth(BITS, null);
    }

    @Test
    void gatedCellsAreThePlainOnes() {
        widths.gatedCellsAreTheSameAtEveryWidth(BITS, VectorWidthsTest.float64(BITS));
        widths.gatedCellsAreTheSameAtEveryWidth(BITS, VectorWidthsTest.float32(BITS));
    }

    @Test
    void theKernelsSayWhatTheyRunOn() {
        widths.theKernelsRunAtTheWidthAskedFor(BITS, null);
        assertEquals(BITS / 64 + " doubles", Kernels.best().describe().replaceAll(".*, (\\d+ doubles).*", "$1"));
    }
}
