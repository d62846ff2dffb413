package charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Precision;
import charrnn.model.Params;
import charrnn.model.Rng;
import org.junit.jupiter.api.Test;

/**
 * Top-k and top-p on a model whose next-character distribution is known exactly: with Why = 0
 * the scores are by, so p = softmax(by / τ) whatever was read, and by = ln p0 makes p = p0 at
 * τ = 1. The cut distributions below are worked out by hand from p0.
 */
class TopKTopPTest {
    /** Indices in no particular order of probability: sorted, they are 1, 3, 4, 0, 2. */
    private static final double[] P0 = {0.1, 0.5, 0.05, 0.2, 0.15};

    private static Sampler sampler(double[] p) {
        Params params = new Params(3, p.length, 1, 1);
        for (int j = 0; j < p.length; j++) {
            params.by.data[j] = Math.log(p[j]);
            params.Wxh[0].data[j] = 0.3 * j;   // the hidden state moves, the output ignores it
        }
        Sampler s = new Sampler(params, Precision.FLOAT64);
        s.setHidden(new double[3]);
        s.feed(2);
        return s;
    }

    private static double[] probabilities(Sampler s, double temperature, int k, double p) {
        double[] out = new double[P0.length];
        s.probabilities(temperature, k, p, out);
        return out;
    }

    @Test
    void noCutIsTheModelsDistribution() {
        Sampler s = sampler(P0);
        assertArrayEquals(P0, probabilities(s, 1, 0, 1.0), 1e-15);
        assertArrayEquals(P0, probabilities(s, 1, 5, 1.0), 1e-15, "K = V cuts nothing");
        assertArrayEquals(P0, probabilities(s, 1, 99, 1.0), 1e-15, "nor K > V");
    }

    @Test
    void topKKeepsTheKLikeliestRenormalised() {
        Sampler s = sampler(P0);
        assertArrayEquals(new double[] {0, 5.0 / 7, 0, 2.0 / 7, 0}, probabilities(s, 1, 2, 1.0), 1e-15);
        assertArrayEquals(new double[] {0, 1, 0, 0, 0}, probabilities(s, 1, 1, 1.0), 0);
        assertArrayEquals(new double[] {0.1 / 0.95, 0.5 / 0.95, 0, 0.2 / 0.95, 0.15 / 0.95},
                probabilities(s, 1, 4, 1.0), 1e-15);
    }

    @Test
    void topPKeepsTheFewestLikeliestReachingP() {
        Sampler s = sampler(P0);
        // 0.5, 0.7, 0.85: three reach 0.8
        assertArrayEquals(new double[] {0, 0.5 / 0.85, 0, 0.2 / 0.85, 0.15 / 0.85}, probabilities(s, 1, 0, 0.8), 1e-15);
        // 0.5 alone reaches 0.3; 0.5 + 0.2 reaches 0.6
        assertArrayEquals(new double[] {0, 1, 0, 0, 0}, probabilities(s, 1, 0, 0.3), 0);
        assertArrayEquals(new double[] {0, 5.0 / 7, 0, 2.0 / 7, 0}, probabilities(s, 1, 0, 0.6), 1e-15);
        assertArrayEquals(P0, probabilities(s, 1, 0, 0.99), 1e-15, "only all five reach 0.99");
    }

    @Test
    void topPActsOnWhatTopKKeptAfterTheTemperature() {
        Sampler s = sampler(P0);
        // top-4 keeps 0.95 of the mass; of it 0.5, 0.2, 0.15 are 0.895 < 0.9, so all four stay
        assertArrayEquals(new double[] {0.1 / 0.95, 0.5 / 0.95, 0, 0.2 / 0.95, 0.15 / 0.95},
                probabilities(s, 1, 4, 0.9), 1e-15);
        // ... and 0.895 ≥ 0.85: three stay
        assertArrayEquals(new double[] {0, 0.5 / 0.85, 0, 0.2 / 0.85, 0.15 / 0.85}, probabilities(s, 1, 4, 0.85), 1e-15);
        // τ = 0.5 squares the probabilities: top-3 of p0² is 0.25, 0.04, 0.0225
        double z = 0.25 + 0.04 + 0.0225;
        assertArrayEquals(new double[] {0, 0.25 / z, 0, 0.04 / z, 0.0225 / z}, probabilities(s, 0.5, 3, 1.0), 1e-14);
        // and top-p 0.85 of p0²/Σp0² (0.25/0.335 = 0.746, then 0.866): two stay
        assertArrayEquals(new double[] {0, 0.25 / 0.29, 0, 0.04 / 0.29, 0}, probabilities(s, 0.5, 0, 0.85), 1e-14);
    }

    @Test
    void tiesAreBrokenByTheLowerIndex() {
        Sampler s = sampler(new double[] {0.15, 0.25, 0.25, 0.25, 0.10});
        double[] out = new double[5];
        s.probabilities(1, 2, 1.0, out);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0, 0}, out, 1e-15);
    }

    @Test
    void drawsFollowTheCutDistribution() {
        Sampler s = sampler(P0);
        double[] expected = probabilities(s, 1, 0, 0.8);
        int n = 40_000;
        int[] counts = new int[P0.length];
        Rng rng = new Rng(5);
        for (int i = 0; i < n; i++) {
            counts[s.draw(rng, 1, 0, 0.8, false)]++;
        }
        for (int j = 0; j < P0.length; j++) {
            double mean = n * expected[j];
            double sd = Math.sqrt(n * expected[j] * (1 - expected[j]));
            if (expected[j] == 0) {
                assertEquals(0, counts[j], "character " + j + " was cut");
            } else {
                assertTrue(Math.abs(counts[j] - mean) < 5 * sd, "character " + j + ": " + counts[j] + " of " + n
                        + ", expected " + mean);
            }
        }
        int[] k2 = new int[P0.length];
        for (int i = 0; i < n; i++) {
            k2[s.draw(rng, 1, 2, 1.0, false)]++;
        }
        assertEquals(n, k2[1] + k2[3]);
        assertTrue(Math.abs(k2[1] - n * 5.0 / 7) < 5 * Math.sqrt(n * 10.0 / 49), "top-2: " + k2[1]);
    }
}
