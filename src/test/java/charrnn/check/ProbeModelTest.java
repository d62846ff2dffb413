package charrnn.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.Params;
import charrnn.model.RandomWindow;
import charrnn.model.Rng;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The probe model and state of the check at their documented scales; which entry a report names. */
class ProbeModelTest {

    /** Mean 0 and standard deviation sigma, within four standard errors of n draws. */
    private static void assertNormal(DMatrixRMaj m, double sigma, String what) {
        int n = m.getNumElements();
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            sum += m.data[i];
            squares += m.data[i] * m.data[i];
        }
        assertEquals(0, sum / n, 4 * sigma / Math.sqrt(n), what + " mean");
        assertEquals(sigma, Math.sqrt(squares / n), 4 * sigma / Math.sqrt(2.0 * n), what + " RMS");
    }

    @Test
    void everyMatrixOfTheProbeModelIsDrawnAtItsDocumentedScale() {
        int H = 40;
        int V = 30;
        Params p = GradientCheck.probeModel(H, V, 3, 3, new Rng(3));
        assertNormal(p.Wxh[0], 0.5, "Wxh1");
        assertNormal(p.Whh[0], 1 / Math.sqrt(H), "Whh1");
        assertNormal(p.Why, 1 / Math.sqrt(H), "Why");
        assertNormal(p.bh[0], 0.1, "bh1");
        assertNormal(p.by, 0.1, "by");
        for (int l = 1; l < 3; l++) {
            assertNormal(p.Wxh[l], 1 / Math.sqrt(H), "Wxh" + (l + 1));
            assertNormal(p.Whh[l], 1 / Math.sqrt(H), "Whh" + (l + 1));
            assertNormal(p.bh[l], 0.1, "bh" + (l + 1));
        }
        Params one = GradientCheck.probeModel(H, V, 1, 1, new Rng(3));
        assertEquals(1, one.G);
        assertEquals(1, one.L);
        assertNormal(one.Whh[0], 1 / Math.sqrt(H), "one layer's Whh");
    }

    @Test
    void theProbeStateIsTanhOfStandardNormalDraws() {
        DMatrixRMaj h = GradientCheck.probeState(30, 40, new Rng(4));
        assertEquals(30, h.numRows);
        assertEquals(40, h.numCols);
        Rng rng = new Rng(4);
        for (int i = 0; i < h.getNumElements(); i++) {
            assertEquals(Math.tanh(rng.nextGaussian()), h.data[i], 0.0, "entry " + i);
        }
    }

    @Test
    void aCheckWhereEveryEntryAgreesNamesTheFirst() {
        Params p = GradientCheck.probeModel(3, 2, 1, 1, new Rng(5));
        // a loss that does not depend on the parameters, and a gradient of zeros: all agree exactly
        GradientCheck.Report r = GradientCheck.compare(p, new Params(3, 2, 1, 1), q -> 1.0, 1e-6, false);
        for (GradientCheck.Result result : r.results()) {
            assertEquals(0.0, result.maxRelativeError(), 0.0);
            assertEquals(0, result.worstIndex(), result.name());
        }
        assertTrue(r.passed());
    }

    @Test
    void aReportPassesUpToItsToleranceAndNamesItsWorstError() {
        GradientCheck.Report atTolerance = new GradientCheck.Report(java.util.List.of(
                new GradientCheck.Result("Wxh", 4, 1e-6, 0, 0, 0), new GradientCheck.Result("Whh", 4, 3e-7, 0, 0, 0)),
                1e-6, 0);
        assertTrue(atTolerance.passed(), "an error equal to the tolerance passes");
        assertEquals(1e-6, atTolerance.maxRelativeError(), 0.0);
        GradientCheck.Report beyond = new GradientCheck.Report(java.util.List.of(
                new GradientCheck.Result("Wxh", 4, 2e-7, 0, 0, 0), new GradientCheck.Result("Whh", 4, 1.5e-6, 0, 0, 0)),
                1e-6, 0);
        assertTrue(!beyond.passed());
        assertEquals(1.5e-6, beyond.maxRelativeError(), 0.0);
    }

    @Test
    void theDropoutKeyOfACheckChoosesItsMasks() {
        RandomWindow w = RandomWindow.draw(5, 4, 1, 2, 3, 2, new Rng(6));
        GradientCheck.Report a = GradientCheck.checkRnn(w.params(), 3, 2, w.inputs(), w.targets(), w.h0(), 0.5, 1,
                1e-6, true);
        GradientCheck.Report again = GradientCheck.checkRnn(w.params(), 3, 2, w.inputs(), w.targets(), w.h0(), 0.5, 1,
                1e-6, true);
        GradientCheck.Report other = GradientCheck.checkRnn(w.params(), 3, 2, w.inputs(), w.targets(), w.h0(), 0.5, 2,
                1e-6, true);
        assertTrue(a.passed() && other.passed());
        // the worst entry's analytic derivative of the upper layer's input weights: a function of the masks
        assertEquals(a.result("Wxh2").worstAnalytic(), again.result("Wxh2").worstAnalytic(), 0.0);
        assertNotEquals(a.result("Wxh2").worstAnalytic(), other.result("Wxh2").worstAnalytic());
    }
}
