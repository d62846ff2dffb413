package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import charrnn.config.Cell;
import charrnn.config.Precision;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The model package's small contracts: the generator against the JDK's own SplitMix64, the
 * bounds of views, shapes and products, the kernels' names, formats and refusals.
 */
class ModelEdgesMutationTest {

    /**
     * Rng is SplitMix64, which the JDK implements too: {@link SplittableRandom}(seed) draws
     * mix64(seed + k·γ) with Stafford's mix 13, the same constants, and the same 53-bit doubles.
     */
    @Test
    void theGeneratorDrawsWhatTheJdksSplitMix64Draws() {
        for (long seed : new long[] {0, 1, -1, 42, 0x9E3779B97F4A7C15L, Long.MIN_VALUE, 1234567}) {
            Rng rng = new Rng(seed);
            SplittableRandom jdk = new SplittableRandom(seed);
            for (int i = 0; i < 50; i++) {
                assertEquals(jdk.nextLong(), rng.nextLong(), "seed " + seed + ", draw " + i);
            }
            Rng d = new Rng(seed);
            SplittableRandom jd = new SplittableRandom(seed);
            for (int i = 0; i < 50; i++) {
                assertEquals(jd.nextDouble(), d.nextDouble(), "seed " + seed + ", double " + i);
            }
        }
        // SplitMix64's published first output for seed 0 (Vigna's splitmix64.c)
        assertEquals(0xE220A8397B1DCDAFL, new Rng(0).nextLong());
    }

    @Test
    void aViewsRowsAreCheckedAgainstItsMatrix() {
        Mat<double[]> m = new Mat<>(new double[20], 2, 4, 3);
        assertEquals(0, m.rows(4, 0).rows(), "no rows, at the end");
        assertEquals(0, m.rows(0, 0).size());
        assertEquals(2 + 3 * 3, m.rows(3, 1).off());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> m.rows(2, 3));
        assertEquals("rows 2..5 of 4", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m.rows(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.rows(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> m.rows(1, -1));
    }

    @Test
    void theSmallestModelIsAModel() {
        Shape s = new Shape(Cell.RNN, 1, 1, 1);
        assertEquals(1, s.stateWidth());
        assertEquals(1 + 1 + 1 + 1 + 1, s.parameterCount(), "Wxh, Whh, bh, Why, by of one number each");
        assertThrows(IllegalArgumentException.class, () -> new Shape(Cell.RNN, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Shape(Cell.RNN, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Shape(Cell.RNN, 1, 1, 0));
    }

    @Test
    void aMatrixIsFoundByItsNameOnly() {
        Params p = new Params(2, 3, 1, 2);
        assertSame(p.Why, p.get("Why"));
        assertSame(p.bh[1], p.get("bh2"));
        assertSame(p.Wxh[0], p.get("Wxh1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.get("Wxh3"));
        assertEquals("no matrix Wxh3 among Wxh1, Whh1, Why, bh1, by, Wxh2, Whh2, bh2", e.getMessage());
    }

    @Test
    void theKernelsNameTheirFormatAndFamily() {
        assertFalse(Kernels.vectorModuleMissing(), "the tests run with the Vector API");
        assertEquals(Precision.FLOAT64, Kernels.plain().precision());
        assertEquals(Precision.FLOAT32, Kernels.plain().floats().precision());
        assertEquals(Precision.FLOAT64, Kernels.best().precision());
        assertEquals(Precision.FLOAT32, Kernels.best().floats().precision());
        assertSame(Kernels.plain(), Kernels.plain().ops(Precision.FLOAT64));
        assertSame(Kernels.plain().floats(), Kernels.plain().ops(Precision.FLOAT32));
        assertEquals(8, Kernels.plain().bytes());
        assertEquals(4, Kernels.plain().floats().bytes());
        assertEquals(8, Kernels.best().bytes());
        assertEquals(4, Kernels.best().floats().bytes());
        assertEquals("plain Java", Kernels.plain().describe());
        assertEquals("plain Java, float32", Kernels.plain().floats().describe());
        assertEquals("plain Java (a reason)", PlainKernels.because("a reason").describe());
        assertEquals(Precision.FLOAT64, PlainKernels.because("a reason").precision());
        assertEquals(5L * 7, Kernels.plain().panelsSize(5, 7));
        assertEquals(5L * 7, Kernels.plain().floats().panelsSize(5, 7));
        assertEquals(5 * 7, Kernels.plain().floats().panels(5, 7).data().length);
    }

    @Test
    void theFloat32KernelsZeroAndAddAsAsked() {
        for (Ops<float[]> k : java.util.List.of(Kernels.plain().floats(), Kernels.best().floats())) {
            float[] x = {1, 2, 3, 4, 5, 6};
            k.zero(x, 1, 3);
            assertArrayEquals(new float[] {1, 0, 0, 0, 5, 6}, x, k.describe());
        }
    }

    /** Every kernel refuses to copy weights into a layout of another shape. */
    @Test
    void copiesIntoTheWrongShapeAreRefused() {
        for (Kernels family : new Kernels[] {Kernels.plain(), Kernels.best()}) {
            refuses(family);
            refuses(family.floats());
        }
    }

    private static <A> void refuses(Ops<A> k) {
        double[] w = new double[6];     // 2×3
        assertThrows(IllegalArgumentException.class, () -> k.loadPanels(w, 2, 3, false, k.panels(3, 2)), k.describe());
        assertThrows(IllegalArgumentException.class, () -> k.loadPanels(w, 2, 3, true, k.panels(2, 3)), k.describe());
        assertThrows(IllegalArgumentException.class, () -> k.loadTransposed(w, 2, 3, Mat.of(k, 2, 3)), k.describe());
        Mat<A> a = Mat.of(k, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> k.product(a, false, Mat.of(k, 5, 2), Mat.of(k, 3, 2), false),
                k.describe() + ": K of a and b differ");
        assertThrows(IllegalArgumentException.class, () -> k.product(a, true, Mat.of(k, 4, 2), Mat.of(k, 4, 2), false),
                k.describe() + ": K of aᵀ and b differ");
        assertThrows(IllegalArgumentException.class, () -> k.mult(a, k.panels(5, 2), Mat.of(k, 3, 2)),
                k.describe() + ": K of a and the panels differ");
        assertThrows(IllegalArgumentException.class, () -> k.mult(a, k.panels(4, 2), Mat.of(k, 2, 2)),
                k.describe() + ": rows of a and c differ");
        assertThrows(IllegalArgumentException.class, () -> k.mult(a, k.panels(4, 2), Mat.of(k, 3, 3)),
                k.describe() + ": columns of the panels and c differ");
    }

    /** A result may share an array with a factor, before or after it, as long as they do not overlap. */
    @Test
    void aResultBesideAFactorInTheSameArrayIsFine() {
        for (Kernels k : new Kernels[] {Kernels.plain(), Kernels.best()}) {
            double[] shared = new double[32];
            Mat<double[]> c = new Mat<>(shared, 0, 4, 4);
            Mat<double[]> a = new Mat<>(shared, 16, 4, 4);
            for (int i = 0; i < 4; i++) {
                shared[16 + 5 * i] = 1;     // a = I
            }
            double[] bd = new double[16];
            for (int i = 0; i < 16; i++) {
                bd[i] = i + 1;
            }
            k.product(a, false, new Mat<>(bd, 0, 4, 4), c, false);
            assertArrayEquals(bd, java.util.Arrays.copyOf(shared, 16), k.describe());
            Mat<double[]> b = new Mat<>(shared, 16, 4, 4);
            assertThrows(IllegalArgumentException.class,
                    () -> k.product(new Mat<>(new double[16], 0, 4, 4), false, b, new Mat<>(shared, 12, 4, 4), false),
                    "c overlaps b");
        }
    }
}
