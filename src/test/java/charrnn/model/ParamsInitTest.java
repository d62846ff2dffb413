package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The parameters' starting point, their names, count, copies and the finiteness check. */
class ParamsInitTest {

    private static double mean(DMatrixRMaj m) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            s += m.data[i];
        }
        return s / m.getNumElements();
    }

    private static double rms(DMatrixRMaj m) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            s += m.data[i] * m.data[i];
        }
        return Math.sqrt(s / m.getNumElements());
    }

    /** Mean 0 and standard deviation sigma, within four standard errors of n draws. */
    private static void assertNormal(DMatrixRMaj m, double sigma, String what) {
        int n = m.getNumElements();
        assertEquals(0, mean(m), 4 * sigma / Math.sqrt(n), what + " mean");
        // the sample RMS of n draws of N(0, σ²) has a standard error of about σ/√(2n)
        assertEquals(sigma, rms(m), 4 * sigma / Math.sqrt(2.0 * n), what + " RMS");
    }

    @Test
    void everyWeightMatrixIsDrawnAtItsDocumentedScaleAndEveryBiasWhereItsCellPutsIt() {
        int H = 48;
        int V = 37;
        Params p = Params.initial(H, V, 4, 3, new Rng(5));
        assertNormal(p.Wxh[0], Params.INIT_SCALE, "Wxh1");
        assertNormal(p.Whh[0], 1 / Math.sqrt(H), "Whh1 of a gated cell");
        assertNormal(p.Why, Params.INIT_SCALE, "Why");
        Params tanh = Params.initial(H, V, 1, 2, new Rng(6));
        assertNormal(tanh.Whh[0], Params.INIT_SCALE, "Whh1 of the tanh RNN");
        assertNormal(tanh.Whh[1], 1 / Math.sqrt(H), "Whh2 of the tanh RNN");
        for (int l = 1; l < 3; l++) {
            assertNormal(p.Wxh[l], 1 / Math.sqrt(H), "Wxh" + (l + 1));
            assertNormal(p.Whh[l], 1 / Math.sqrt(H), "Whh" + (l + 1));
        }
        // a gated cell's biases: uniform in ±1/√H, whose standard deviation is (1/√H)/√3
        for (int l = 0; l < 3; l++) {
            assertUniform(p.bh[l], 1 / Math.sqrt(H), "bh" + (l + 1) + " of a gated cell");
        }
        assertUniform(p.by, 1 / Math.sqrt(H), "by of a gated cell");
        // the tanh RNN's: 0, as min-char-rnn's
        for (int l = 0; l < 2; l++) {
            assertEquals(0.0, rms(tanh.bh[l]), 0.0, "bh" + (l + 1) + " of the tanh RNN");
        }
        assertEquals(0.0, rms(tanh.by), 0.0, "by of the tanh RNN");
    }

    /** Every entry within ±bound, mean 0 and RMS bound/√3 within four standard errors. */
    private static void assertUniform(DMatrixRMaj m, double bound, String what) {
        int n = m.getNumElements();
        double sigma = bound / Math.sqrt(3);
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(m.data[i]) <= bound, what + " entry " + i + " outside ±" + bound);
        }
        assertEquals(0, mean(m), 4 * sigma / Math.sqrt(n), what + " mean");
        // the variance of u² for u uniform in ±b is 4b⁴/45, so the mean square's error is 2b²/√(45n)
        double meanSquare = rms(m) * rms(m);
        assertEquals(sigma * sigma, meanSquare, 4 * 2 * bound * bound / Math.sqrt(45.0 * n), what + " mean square");
    }

    @Test
    void theDrawsFollowTheDocumentedOrderFromOneGenerator() {
        // first layer's Wxh at 0.01, Whh at 1/√H (a gated cell), then Why at 0.01; then each further
        // layer's Wxh, Whh at 1/√H: one stream of N(0,1) draws, consumed in that order, row-major
        int H = 4;
        int V = 3;
        Params p = Params.initial(H, V, 3, 2, new Rng(9));
        Rng rng = new Rng(9);
        DMatrixRMaj[] order = {p.Wxh[0], p.Whh[0], p.Why, p.Wxh[1], p.Whh[1]};
        double[] scale = {0.01, 0.5, 0.01, 0.5, 0.5};
        for (int k = 0; k < order.length; k++) {
            for (int i = 0; i < order[k].getNumElements(); i++) {
                assertEquals(rng.nextGaussian() * scale[k], order[k].data[i], 0.0, "matrix " + k + " entry " + i);
            }
        }
        // then the gated cell's biases, uniform in ±1/√H = ±0.5: bh1, bh2, by
        DMatrixRMaj[] biases = {p.bh[0], p.bh[1], p.by};
        for (int k = 0; k < biases.length; k++) {
            for (int i = 0; i < biases[k].getNumElements(); i++) {
                assertEquals((2 * rng.nextDouble() - 1) * 0.5, biases[k].data[i], 0.0, "bias " + k + " entry " + i);
            }
        }
        Params one = Params.initial(H, V, new Rng(9));
        assertEquals(1, one.G);
        assertEquals(1, one.L);
        assertArrayEquals(new Params(H, V, 1, 1).names(), one.names());
        Rng again = new Rng(9);
        for (double w : one.Wxh[0].data) {
            assertEquals(again.nextGaussian() * 0.01, w, 0.0);
        }
    }

    @Test
    void namesAndCountDescribeEveryMatrix() {
        int H = 5;
        int V = 7;
        int G = 3;
        int L = 3;
        Params p = new Params(H, V, G, L);
        assertArrayEquals(new String[] {"Wxh1", "Whh1", "Why", "bh1", "by", "Wxh2", "Whh2", "bh2", "Wxh3", "Whh3", "bh3"},
                p.names());
        DMatrixRMaj[] expected = {p.Wxh[0], p.Whh[0], p.Why, p.bh[0], p.by, p.Wxh[1], p.Whh[1], p.bh[1], p.Wxh[2],
            p.Whh[2], p.bh[2]};
        assertArrayEquals(expected, p.all());
        int[][] shapes = {{G * H, V}, {G * H, H}, {V, H}, {G * H, 1}, {V, 1}, {G * H, H}, {G * H, H}, {G * H, 1},
            {G * H, H}, {G * H, H}, {G * H, 1}};
        for (int k = 0; k < shapes.length; k++) {
            assertEquals(shapes[k][0], p.all()[k].numRows, p.names()[k] + " rows");
            assertEquals(shapes[k][1], p.all()[k].numCols, p.names()[k] + " cols");
        }
        // G·(HV + H² + H) + (L−1)·G·(2H² + H) + VH + V, counted by hand: 3·(35 + 25 + 5) + 2·3·(50 + 5) + 35 + 7
        assertEquals(195 + 330 + 42, p.count());
        assertArrayEquals(new String[] {"Wxh", "Whh", "Why", "bh", "by"}, new Params(H, V, 1, 1).names());
        assertEquals(H * V + H * H + H + V * H + V, new Params(H, V, 1, 1).count());
        p.names()[0] = "changed";
        assertEquals("Wxh1", p.names()[0], "names() hands out a copy");
        assertThrows(IllegalArgumentException.class, () -> new Params(H, V, G, 0));
    }

    @Test
    void copiesAreIndependentAndOnlyOfTheSameShape() {
        Params p = Params.initial(4, 3, 3, 2, new Rng(1));
        Params c = p.copy();
        assertNotSame(p.Whh[1], c.Whh[1]);
        for (int k = 0; k < p.all().length; k++) {
            assertArrayEquals(p.all()[k].data, c.all()[k].data, p.names()[k]);
        }
        double before = p.Whh[1].data[0];
        c.Whh[1].data[0] += 1;
        assertEquals(before, p.Whh[1].data[0], 0.0);
        c.zero();
        for (DMatrixRMaj m : c.all()) {
            assertEquals(0.0, rms(m), 0.0);
        }
        assertThrows(IllegalArgumentException.class, () -> p.setTo(new Params(5, 3, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> p.setTo(new Params(4, 4, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> p.setTo(new Params(4, 3, 4, 2)));
        assertThrows(IllegalArgumentException.class, () -> p.setTo(new Params(4, 3, 3, 1)));
    }
}
