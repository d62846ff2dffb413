package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.config.Hyperparameters;
import charrnn.config.Optimization;
import charrnn.config.Schedule;
import org.junit.jupiter.api.Test;

/** Each schedule against its formula, worked out by hand at chosen updates. */
class LearningRateTest {
    private static LearningRate schedule(double lr, long iterations, Optimization o) {
        return new LearningRate(Hyperparameters.defaults().withIterations(iterations).withLearningRate(lr).withOptim(o));
    }

    @Test
    void constantIsThePeakAfterALinearWarmup() {
        LearningRate r = schedule(0.8, 1000, Optimization.defaults().withWarmup(4));
        assertEquals(0.2, r.at(1), 1e-15);
        assertEquals(0.4, r.at(2), 1e-15);
        assertEquals(0.6, r.at(3), 1e-15);
        assertEquals(0.8, r.at(4), 1e-15);
        assertEquals(0.8, r.at(5), 0);
        assertEquals(0.8, r.at(1000), 0);
        LearningRate none = schedule(0.1, 1000, Optimization.defaults());
        assertEquals(0.1, none.at(1), 0, "no warm-up: the peak from the first update, exactly");
    }

    @Test
    void stepMultipliesByTheFactorEveryPeriod() {
        LearningRate r = schedule(1.0, 1000, Optimization.defaults().withSchedule(Schedule.STEP).withStepDecay(10, 0.5));
        assertEquals(1.0, r.at(1), 0);
        assertEquals(1.0, r.at(10), 0);
        assertEquals(0.5, r.at(11), 0);
        assertEquals(0.5, r.at(20), 0);
        assertEquals(0.25, r.at(21), 0);
        assertEquals(0.125, r.at(35), 0);
        // char-rnn's decay of 0.97 per period, after warm-up
        LearningRate w = schedule(2e-3, 1000, Optimization.defaults().withSchedule(Schedule.STEP)
                .withStepDecay(100, 0.97).withWarmup(50));
        assertEquals(2e-3 * 25 / 50, w.at(25), 1e-18);
        assertEquals(2e-3, w.at(51), 1e-18);
        assertEquals(2e-3, w.at(100), 1e-18);
        assertEquals(2e-3 * 0.97, w.at(101), 1e-18);
        assertEquals(2e-3 * 0.97 * 0.97 * 0.97, w.at(350), 1e-18);
    }

    @Test
    void cosineFallsFromThePeakToTheMinimumAtTheLastUpdate() {
        // W = 10, N = 110: the cosine spans updates 10..110, a quarter of the way at 35
        LearningRate r = schedule(1.0, 110, Optimization.defaults().withSchedule(Schedule.COSINE)
                .withWarmup(10).withMinLearningRate(0.1));
        assertEquals(0.5, r.at(5), 1e-15);
        assertEquals(1.0, r.at(10), 1e-15);
        // 0.1 + 0.9·½(1 + cos(π/4)) = 0.1 + 0.45·(1 + √2/2)
        assertEquals(0.1 + 0.45 * (1 + Math.sqrt(0.5)), r.at(35), 1e-12);
        assertEquals(0.55, r.at(60), 1e-12);                    // half way: the mean of peak and minimum
        assertEquals(0.1 + 0.45 * (1 - Math.sqrt(0.5)), r.at(85), 1e-12);
        assertEquals(0.1, r.at(110), 1e-15);
        assertEquals(0.1, r.at(500), 1e-15, "past --iterations (a resume that raised it): the minimum");
        LearningRate zero = schedule(3e-3, 4, Optimization.defaults().withSchedule(Schedule.COSINE));
        // no warm-up, N = 4: ½(1 + cos(πn/4)) for n = 1..4
        assertEquals(3e-3 * 0.5 * (1 + Math.sqrt(0.5)), zero.at(1), 1e-18);
        assertEquals(1.5e-3, zero.at(2), 1e-18);
        assertEquals(0, zero.at(4), 1e-18);
    }
}
