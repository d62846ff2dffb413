package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.Params;
import org.junit.jupiter.api.Test;

/** RMSprop's and Adam's steps against their rules worked out by hand on a few entries. */
class OptimizersTest {
    private static Params gradient(double a, double b) {
        Params g = new Params(1, 2, 1, 1);
        g.Wxh[0].data[0] = a;
        g.Wxh[0].data[1] = b;
        return g;
    }

    @Test
    void rmspropKeepsARunningMeanOfSquares() {
        Params theta = new Params(1, 2, 1, 1);
        theta.Wxh[0].data[0] = 1.0;
        RmsProp opt = new RmsProp(0.95, theta);
        assertTrue(opt.step(theta, gradient(2.0, -10.0), 0.01, 5.0));
        // m = 0.05·4 = 0.2 ; θ = 1 − 0.01·2/(√0.2 + 1e-8)
        assertEquals(0.2, opt.state()[0].Wxh[0].data[0], 1e-15);
        assertEquals(1 - 0.02 / (Math.sqrt(0.2) + 1e-8), theta.Wxh[0].data[0], 1e-15);
        // −10 clipped to −5: m = 0.05·25 = 1.25 ; θ = 0 + 0.01·5/(√1.25 + 1e-8)
        assertEquals(1.25, opt.state()[0].Wxh[0].data[1], 1e-14);
        assertEquals(0.05 / (Math.sqrt(1.25) + 1e-8), theta.Wxh[0].data[1], 1e-15);
        double before = theta.Wxh[0].data[0];
        assertTrue(opt.step(theta, gradient(1.0, 0), 0.01, 5.0));
        // m = 0.95·0.2 + 0.05·1 = 0.24
        assertEquals(0.24, opt.state()[0].Wxh[0].data[0], 1e-14);
        assertEquals(before - 0.01 / (Math.sqrt(0.24) + 1e-8), theta.Wxh[0].data[0], 1e-15);
        assertEquals(2, opt.steps());
    }

    @Test
    void adamsFirstStepIsTheLearningRateTimesTheSignAndItsSecondFollowsTheRule() {
        Params theta = new Params(1, 2, 1, 1);
        Adam opt = new Adam(0.9, 0.999, 0, theta);
        assertTrue(opt.step(theta, gradient(0.5, -3.0), 0.1, 0));
        // bias-corrected m̂ = g, v̂ = g²: the step is lr·g/(|g| + ε)
        assertEquals(-0.1 * 0.5 / (0.5 + 1e-8), theta.Wxh[0].data[0], 1e-15);
        assertEquals(0.1 * 3 / (3 + 1e-8), theta.Wxh[0].data[1], 1e-15);
        assertEquals(0.05, opt.state()[0].Wxh[0].data[0], 1e-16);
        assertEquals(0.00025, opt.state()[1].Wxh[0].data[0], 1e-18);
        double th = theta.Wxh[0].data[0];
        assertTrue(opt.step(theta, gradient(-1.0, 0), 0.1, 0));
        // t = 2: m = 0.9·0.05 − 0.1 = −0.055, v = 0.999·0.00025 + 0.001 = 0.00124975
        double m = -0.055;
        double v = 0.00124975;
        double expected = th - (0.1 / (1 - 0.81)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.998001) + 1e-8);
        assertEquals(m, opt.state()[0].Wxh[0].data[0], 1e-16);
        assertEquals(v, opt.state()[1].Wxh[0].data[0], 1e-17);
        assertEquals(expected, theta.Wxh[0].data[0], 1e-14);
        assertEquals(2, opt.steps());
    }

    @Test
    void adamWShrinksEveryParameterByLrTimesTheDecay() {
        Params theta = new Params(1, 2, 1, 1);
        theta.Why.data[1] = 2.0;
        theta.by.data[0] = -1.0;
        Adam opt = new Adam(0.9, 0.999, 0.1, theta);
        // a zero gradient moves nothing but the decay: θ·(1 − 0.01·0.1)
        assertTrue(opt.step(theta, new Params(1, 2, 1, 1), 0.01, 0));
        assertEquals(2.0 * 0.999, theta.Why.data[1], 1e-15);
        assertEquals(-0.999, theta.by.data[0], 1e-15);
        Params plain = new Params(1, 2, 1, 1);
        plain.Why.data[1] = 2.0;
        new Adam(0.9, 0.999, 0, plain).step(plain, new Params(1, 2, 1, 1), 0.01, 0);
        assertEquals(2.0, plain.Why.data[1], 0, "no weight decay: Adam leaves it");
    }

    @Test
    void aNonFiniteGradientIsReportedByEveryOptimizer() {
        for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
            for (double clip : new double[] {0, 5}) {
                Params like = new Params(1, 2, 1, 1);
                assertFalse(new RmsProp(0.95, like).step(new Params(1, 2, 1, 1), gradient(1, bad), 0.01, clip));
                assertFalse(new Adam(0.9, 0.999, 0, like).step(new Params(1, 2, 1, 1), gradient(bad, 1), 0.01, clip));
            }
        }
    }
}
