package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.Kernels;
import charrnn.model.Params;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AdagradTest {
    static java.util.stream.Stream<Kernels> kernels() {
        return java.util.stream.Stream.of(Kernels.plain(), Kernels.best());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void oneStepMatchesHandComputedNumbers(Kernels kernels) {
        Params theta = new Params(1, 2, 1, 1);   // Wxh 1×2, Whh 1×1, Why 2×1, bh 1×1, by 2×1
        Params g = new Params(1, 2, 1, 1);
        theta.Wxh[0].data[0] = 1.0;
        theta.Wxh[0].data[1] = -2.0;
        g.Wxh[0].data[0] = 0.5;
        g.Wxh[0].data[1] = -3.0;
        theta.by.data[1] = 0.25;
        g.by.data[1] = 2.0;
        Adagrad adagrad = new Adagrad(0.1, new Params(1, 2, 1, 1), kernels);
        adagrad.memory().Wxh[0].data[0] = 0.75;   // an earlier step's g² already in memory

        assertTrue(adagrad.step(theta, g, 0));

        // m = 0.75 + 0.25 = 1.0 ; θ = 1 − 0.1·0.5/√(1 + 1e-8) = 0.950000000250
        assertEquals(1.0, adagrad.memory().Wxh[0].data[0], 0);
        assertEquals(0.95000000025, theta.Wxh[0].data[0], 1e-12);
        // m = 9 ; θ = −2 + 0.1·3/√(9 + 1e-8) = −1.900000000055556
        assertEquals(9.0, adagrad.memory().Wxh[0].data[1], 0);
        assertEquals(-1.9000000000555556, theta.Wxh[0].data[1], 1e-12);
        // m = 4 ; θ = 0.25 − 0.1·2/√(4 + 1e-8) = 0.150000000125
        assertEquals(0.150000000125, theta.by.data[1], 1e-12);
        // a zero gradient moves nothing
        assertEquals(0.0, theta.Whh[0].data[0], 0);
        assertEquals(0.0, adagrad.memory().Whh[0].data[0], 0);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void gradientsAreClippedBeforeTheStep(Kernels kernels) {
        Params theta = new Params(1, 2, 1, 1);
        Params g = new Params(1, 2, 1, 1);
        g.Wxh[0].data[0] = 7.5;
        g.Wxh[0].data[1] = -12.0;
        g.Whh[0].data[0] = 4.999;
        g.Why.data[0] = -5.0;
        g.by.data[0] = 0.1;
        Adagrad adagrad = new Adagrad(0.5, new Params(1, 2, 1, 1), kernels);
        assertTrue(adagrad.step(theta, g, 5.0));
        // clipped to ±5: m = 25 ; θ = ∓0.5·5/√(25 + 1e-8) = ∓0.49999999990
        assertEquals(5.0, g.Wxh[0].data[0], 0);
        assertEquals(-5.0, g.Wxh[0].data[1], 0);
        assertEquals(25.0, adagrad.memory().Wxh[0].data[0], 0);
        assertEquals(25.0, adagrad.memory().Wxh[0].data[1], 0);
        assertEquals(-0.4999999999, theta.Wxh[0].data[0], 1e-12);
        assertEquals(0.4999999999, theta.Wxh[0].data[1], 1e-12);
        // within the bound: untouched; m = 4.999² = 24.990001
        assertEquals(4.999, g.Whh[0].data[0], 0);
        assertEquals(24.990001, adagrad.memory().Whh[0].data[0], 1e-12);
        assertEquals(-5.0, g.Why.data[0], 0);
        assertEquals(0.1, g.by.data[0], 0);

        Params big = new Params(1, 2, 1, 1);
        big.Wxh[0].data[0] = 1e6;
        Adagrad off = new Adagrad(0.5, new Params(1, 2, 1, 1), kernels);
        assertTrue(off.step(new Params(1, 2, 1, 1), big, 0));
        assertEquals(1e12, off.memory().Wxh[0].data[0], 0, "clip 0: nothing clipped");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aNonFiniteGradientIsReported(Kernels kernels) {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            for (double clip : new double[] {0, 5}) {
                Params g = new Params(3, 4, 1, 1);
                g.Whh[0].data[4] = bad;
                assertFalse(new Adagrad(0.1, new Params(3, 4, 1, 1), kernels).step(new Params(3, 4, 1, 1), g, clip), bad + " clip " + clip);
            }
        }
    }
}
