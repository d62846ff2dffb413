package charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.config.Precision;
import charrnn.model.Params;
import charrnn.model.Rng;
import org.junit.jupiter.api.Test;

/**
 * The edges of the cuts, on models whose distribution is known exactly (Why = 0, by = ln p):
 * a cumulative probability exactly equal to P, a top-k whose kept mass decides top-p, a
 * distribution already in order, and a uniform number of exactly 0.
 */
class SamplerEdgesTest {
    private static Sampler sampler(double[] p) {
        Params params = new Params(3, p.length, 1, 1);
        for (int j = 0; j < p.length; j++) {
            params.by.data[j] = Math.log(p[j]);
        }
        Sampler s = new Sampler(params, Precision.FLOAT64);
        s.setHidden(new double[3]);
        s.feed(0);
        return s;
    }

    private static double[] cut(double[] p0, int k, double p) {
        Sampler s = sampler(p0);
        double[] out = new double[p0.length];
        s.probabilities(1, k, p, out);
        return out;
    }

    @Test
    void aCumulativeProbabilityExactlyPIsEnough() {
        // two equal scores: exp(0) = 1 each, so the first alone is exactly half of the mass
        assertArrayEquals(new double[] {1, 0}, cut(new double[] {0.5, 0.5}, 0, 0.5), 0);
        assertArrayEquals(new double[] {0.5, 0.5}, cut(new double[] {0.5, 0.5}, 0, 0.5000001), 0);
    }

    @Test
    void topPIsAShareOfWhatTopKKeptNotOfTheWhole() {
        // P0 sorted: 0.5, 0.2, 0.15, 0.1, 0.05; top-2 keeps 0.7, and 0.5 ≥ 0.7 × 0.7 = 0.49
        double[] p0 = {0.1, 0.5, 0.05, 0.2, 0.15};
        assertArrayEquals(new double[] {0, 1, 0, 0, 0}, cut(p0, 2, 0.7), 1e-15);
        // of the whole, 0.5 < 0.7 × 0.85 would have kept two
        assertArrayEquals(new double[] {0, 5.0 / 7, 0, 2.0 / 7, 0}, cut(p0, 3, 0.7), 1e-15);
    }

    @Test
    void aDistributionAlreadyInOrderIsCutAtItsHead() {
        assertArrayEquals(new double[] {0.4 / 0.7, 0.3 / 0.7, 0, 0}, cut(new double[] {0.4, 0.3, 0.2, 0.1}, 2, 1.0), 1e-15);
        assertArrayEquals(new double[] {0.4 / 0.9, 0.3 / 0.9, 0.2 / 0.9, 0, 0},
                cut(new double[] {0.4, 0.3, 0.2, 0.06, 0.04}, 3, 1.0), 1e-15);
        // in increasing order: each half of the merge sort ends with its larger entries first
        assertArrayEquals(new double[] {0, 0, 0.3 / 0.7, 0.4 / 0.7}, cut(new double[] {0.1, 0.2, 0.3, 0.4}, 2, 1.0), 1e-15);
        // in reverse order, the tie broken by the lower index
        assertArrayEquals(new double[] {0, 0.2 / 0.5, 0, 0.3 / 0.5}, cut(new double[] {0.1, 0.2, 0.2, 0.3}, 2, 1.0), 1e-15);
    }

    @Test
    void aUniformNumberOfZeroDrawsTheFirstCharacterKeptNotACutOne() {
        // SplitMix64's output is 0 for the state −γ + γ = 0: nextDouble() is then exactly 0
        Rng zero = new Rng(-0x9E3779B97F4A7C15L);
        assertEquals(0.0, new Rng(-0x9E3779B97F4A7C15L).nextDouble());
        Sampler s = sampler(new double[] {0.25, 0.75});
        assertEquals(1, s.draw(zero, 1, 1, 1.0, false), "character 0 was cut by top-1");
        zero.setState(-0x9E3779B97F4A7C15L);
        assertEquals(0, s.draw(zero, 1, 0, 1.0, false), "uncut, u = 0 falls on the first character");
    }

    @Test
    void aUniformNumberThatRoundingCarriesPastTheLastCharacterDrawsTheLikeliest() {
        // the state whose next output is all ones: nextDouble() = 1 − 2⁻⁵³, and u = that × Σe
        // rounds to a value that the three subtractions do not take below 0 (found by search)
        long justBelowOne = 0x31628af67b2131abL;
        assertEquals(1 - 0x1.0p-53, new Rng(justBelowOne).nextDouble());
        Params params = new Params(3, 3, 1, 1);
        params.by.data[0] = 0;
        params.by.data[1] = 0.75;
        params.by.data[2] = -1.5;
        Sampler s = new Sampler(params, Precision.FLOAT64);
        s.setHidden(new double[3]);
        s.feed(0);
        assertEquals(1, s.draw(new Rng(justBelowOne), 1, 0, 1.0, false));
    }
}
