package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {
    @Test
    void gaussianDrawsHaveMeanZeroAndVarianceOne() {
        Rng rng = new Rng(5);
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            sum += g;
            sq += g * g;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        // standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance
        assertEquals(0, mean, 0.01);
        assertEquals(1, var, 0.015);
    }

    @Test
    void uniformDrawsCoverTheUnitIntervalEvenly() {
        Rng rng = new Rng(6);
        int[] bins = new int[10];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            assertTrue(u >= 0 && u < 1);
            bins[(int) (u * 10)]++;
        }
        for (int count : bins) {
            assertEquals(n / 10.0, count, 5 * Math.sqrt(n * 0.1 * 0.9));   // five standard deviations
        }
    }

    @Test
    void theStateAloneDeterminesWhatFollows() {
        Rng a = new Rng(9);
        a.nextLong();
        Rng b = new Rng(0);
        b.setState(a.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        assertNotEquals(Rng.derived(9, 0).nextLong(), Rng.derived(9, 1).nextLong());
    }
}
