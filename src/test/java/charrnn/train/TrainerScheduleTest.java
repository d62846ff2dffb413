package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Hyperparameters;
import charrnn.config.Precision;
import charrnn.data.Corpus;
import charrnn.data.Windows;
import charrnn.model.BatchRnn;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.model.Rnn;
import charrnn.sample.Sampler;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The training loop observed from outside: when it reports what (through a recording
 * listener, at the interval boundaries), the smoothed loss against its formula, the speed
 * against a clock the test controls, the updates against a literal loop of the documented
 * steps, and a resume against an unbroken run.
 */
class TrainerScheduleTest {
    private static final Corpus CORPUS = Corpus.of("t", "the quick brown fox jumps over the lazy dog. ".repeat(8));

    /** A small run; the arguments are the ones the tests vary. */
    private static Hyperparameters hp(long iterations, long printEvery, long sampleEvery, long evalEvery,
                                      long checkpointEvery, double valFraction) {
        return Hyperparameters.builder().hidden(8).seqLength(6).batchSize(2).learningRate(0.1).clip(5)
                .iterations(iterations).printEvery(printEvery).sampleEvery(sampleEvery).sampleLength(12).seed(3)
                .valFraction(valFraction).evalEvery(evalEvery).checkpointEvery(checkpointEvery).resetEvery(2).build();
    }

    /** The hyperparameters of {@code hp} with the cell, layers and dropout replaced. */
    private static Hyperparameters withCell(Hyperparameters hp, Cell cell, int layers, double dropout) {
        return hp.toBuilder().cell(cell).layers(layers).dropout(dropout).build();
    }

    /** Everything the loop reports, as lines, and what it reports it with. */
    private static final class Recorder implements TrainingListener {
        final List<String> events = new ArrayList<>();
        final List<Double> smoothLosses = new ArrayList<>();
        final List<Double> speeds = new ArrayList<>();
        final List<Double> validationLosses = new ArrayList<>();
        final List<Boolean> bests = new ArrayList<>();
        final List<TrainingState> saved = new ArrayList<>();    // deep copies
        final List<Long> ticks = new ArrayList<>();

        @Override
        public void progress(long iteration, long chars, double smoothLoss, double charsPerSecond) {
            events.add("progress " + iteration + " " + chars + " " + smoothLoss);
            smoothLosses.add(smoothLoss);
            speeds.add(charsPerSecond);
        }

        @Override
        public void tick(long iteration) {
            ticks.add(iteration);
        }

        @Override
        public void sample(long iteration, String text) {
            events.add("sample " + iteration + " " + text);
        }

        @Override
        public void validation(long iteration, double loss, boolean best) {
            events.add("validation " + iteration + " " + loss + " " + best);
            validationLosses.add(loss);
            bests.add(best);
        }

        @Override
        public void checkpoint(TrainingState state, boolean best) {
            events.add("checkpoint " + state.iteration() + " " + best);
            saved.add(copy(state));
        }

        /** The events from update {@code from} on. */
        List<String> after(long from) {
            List<String> out = new ArrayList<>();
            for (String e : events) {
                if (Long.parseLong(e.split(" ")[1]) > from) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    /** A copy of a state that no longer refers to the trainer's live buffers. */
    static TrainingState copy(TrainingState s) {
        return new TrainingState(s.hp(), s.vocabulary(), s.charCounts().clone(), s.corpusLength(), s.params().copy(),
                s.memory().copy(), s.hidden().copy(), s.iteration(), s.smoothLoss(), s.positions().clone(),
                s.sampleRngState(), s.bestValLoss(), s.bestValIteration());
    }

    /** A clock that moves two seconds each time it is read. */
    private static final class Ticking implements java.util.function.LongSupplier {
        long reads;

        @Override
        public long getAsLong() {
            return ++reads * 2_000_000_000L;
        }
    }

    @Test
    void everyReportComesAtItsIntervalAndInItsOrder() throws Exception {
        Hyperparameters hp = hp(23, 5, 7, 4, 6, 0.2);
        Recorder r = new Recorder();
        try (Trainer trainer = new Trainer(hp, CORPUS, 1)) {
            trainer.run(r, () -> false);
        }
        List<String> kinds = new ArrayList<>();
        for (String e : r.events) {
            String[] f = e.split(" ");
            kinds.add(f[0] + " " + f[1] + (f[0].equals("checkpoint") ? " " + f[2] : ""));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 23; i++) {
            if (i % 4 == 0) {
                expected.add("validation " + i);
                if (r.bests.get(i / 4 - 1)) {
                    expected.add("checkpoint " + i + " true");
                }
            }
            if (i % 5 == 0 || i == 23) {
                expected.add("progress " + i);
            }
            if (i % 7 == 0) {
                expected.add("sample " + i);
            }
            if (i % 6 == 0) {
                expected.add("checkpoint " + i + " false");
            }
        }
        assertEquals(expected, kinds);
        for (int i = 0; i < 23; i++) {
            assertEquals(i + 1, r.ticks.get(i), "a tick after every update");
        }
        // best: the first validation, and every one lower than all before it
        double lowest = Double.POSITIVE_INFINITY;
        for (int k = 0; k < r.validationLosses.size(); k++) {
            double v = r.validationLosses.get(k);
            assertEquals(v < lowest, r.bests.get(k), "validation " + k);
            lowest = Math.min(lowest, v);
        }
        assertTrue(r.bests.contains(true));
        for (String e : r.events) {
            if (e.startsWith("progress")) {
                long i = Long.parseLong(e.split(" ")[1]);
                assertEquals(i * hp.charsPerIteration(), Long.parseLong(e.split(" ")[2]), "characters at " + i);
            }
            if (e.startsWith("sample")) {
                assertEquals(hp.sampleLength(), e.split(" ", 3)[2].codePointCount(0, e.split(" ", 3)[2].length()));
            }
        }
    }

    @Test
    void noSamplesWhenSampleEveryIsZeroAndNoValidationWithoutAHeldOutPart() throws Exception {
        Hyperparameters hp = hp(8, 3, 0, 2, 100, 0);
        Recorder r = new Recorder();
        try (Trainer trainer = new Trainer(hp, CORPUS, 1)) {
            assertEquals(0, trainer.heldOut());
            trainer.run(r, () -> false);
            assertThrows(IllegalStateException.class, trainer::validationLoss);
        }
        assertEquals(List.of("progress 3", "progress 6", "progress 8"),
                r.events.stream().map(e -> e.split(" ")[0] + " " + e.split(" ")[1]).toList());
    }

    @Test
    void theSmoothedLossFollowsItsFormulaFromLnV() throws Exception {
        // smooth_0 = ln V ;  smooth_n = (1 − 0.001)·smooth_{n−1} + 0.001·loss_n, with loss_n the
        // losses of the same updates made one at a time by an identical trainer
        Hyperparameters hp = hp(12, 4, 0, 100, 100, 0.1);
        Recorder r = new Recorder();
        Trainer.Summary summary;
        try (Trainer trainer = new Trainer(hp, CORPUS, 1)) {
            assertEquals(Math.log(CORPUS.vocabulary().size()), trainer.smoothLoss(), 0.0);
            summary = trainer.run(r, () -> false);
        }
        double smooth = Math.log(CORPUS.vocabulary().size());
        List<Double> expected = new ArrayList<>();
        try (Trainer stepper = new Trainer(hp, CORPUS, 1)) {
            for (int n = 1; n <= 12; n++) {
                double loss = stepper.step();
                assertTrue(loss > 0 && loss < 2 * Math.log(CORPUS.vocabulary().size()), "loss " + loss);
                smooth = (1 - 0.001) * smooth + 0.001 * loss;
                if (n % 4 == 0) {
                    expected.add(smooth);
                }
            }
        }
        assertEquals(expected.size(), r.smoothLosses.size());
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.get(k), r.smoothLosses.get(k), 1e-15, "report " + k);
        }
        assertEquals(smooth, summary.smoothLoss(), 1e-15);
    }

    @Test
    void theSpeedIsCharactersSinceTheLastReportOverTheTimeSinceIt() throws Exception {
        Hyperparameters hp = hp(23, 5, 0, 100, 100, 0);
        Recorder r = new Recorder();
        Trainer.Summary summary;
        try (Trainer trainer = new Trainer(hp, CORPUS, 1)) {
            trainer.clock = new Ticking();     // read at the start, at each report and at the end
            summary = trainer.run(r, () -> false);
        }
        long chars = hp.charsPerIteration();
        // two seconds between reads: updates 1-5, 6-10, 11-15, 16-20, 21-23
        assertEquals(List.of(2.5 * chars, 2.5 * chars, 2.5 * chars, 2.5 * chars, 1.5 * chars), r.speeds);
        assertEquals(12.0, summary.seconds(), 1e-9);
        assertEquals(23, summary.iterations());
        assertEquals(23 * chars, summary.chars());
        assertEquals(23 * chars, summary.charsThisRun());
        assertEquals(23.0 * chars / 12, summary.charsPerSecond(), 1e-9);
        assertEquals(0.0, new Trainer.Summary(1, 2, 2, 0, 1, -1).charsPerSecond(), 0.0, "no time, no speed");
    }

    /**
     * The documented update, written out: next windows, zero the state of the streams that
     * reset, forward and backward on the batch, clip and Adagrad; dropout masks keyed by the
     * seed and the update's number.
     */
    @Test
    void eachUpdateIsTheLiteralSequenceOfTheDocumentedSteps() throws Exception {
        for (Cell cell : new Cell[] {Cell.RNN, Cell.LSTM}) {
            int layers = cell == Cell.RNN ? 1 : 2;
            double dropout = cell == Cell.RNN ? 0 : 0.2;
            Hyperparameters hp = withCell(hp(30, 100, 0, 100, 100, 0.1), cell, layers, dropout);
            int H = hp.hidden();
            int T = hp.seqLength();
            int B = hp.batchSize();
            int V = CORPUS.vocabulary().size();
            int trainEnd = Trainer.trainingLength(hp, CORPUS.length());
            Params params = Params.initial(H, V, cell.gates(), layers, Rng.derived(hp.seed(), Trainer.RNG_INIT));
            Params grads = new Params(H, V, cell.gates(), layers);
            Adagrad adagrad = new Adagrad(hp.learningRate(), params, Kernels.best());
            Windows windows = new Windows(CORPUS.text(), 0, trainEnd, T, B, hp.resetEvery());
            int S = Rnn.stateWidth(cell, H, layers);
            DMatrixRMaj h = new DMatrixRMaj(B, S);
            int[] x = new int[T * B];
            int[] y = new int[T * B];
            boolean[] reset = new boolean[B];
            long dropoutSeed = Rng.derived(hp.seed(), Trainer.RNG_DROPOUT).nextLong();
            int resets = 0;
            try (Trainer trainer = new Trainer(hp, CORPUS, 1);
                 BatchRnn rnn = new BatchRnn(H, V, T, B, Kernels.best(), hp.precision(), 1, cell, layers, dropout)) {
                for (long n = 0; n < 30; n++) {
                    windows.next(x, y, reset);
                    for (int b = 0; b < B; b++) {
                        if (reset[b]) {
                            resets++;
                            for (int i = 0; i < S; i++) {
                                h.set(b, i, 0);
                            }
                        }
                    }
                    if (dropout > 0) {
                        Rng keys = new Rng(0);
                        keys.reseed(dropoutSeed, n);
                        rnn.setDropoutKey(keys.nextLong());
                    }
                    double loss = rnn.forwardBackward(params, x, y, h, grads);
                    assertTrue(adagrad.step(params, grads, hp.clip()));
                    assertEquals(loss, trainer.step(), 0.0, cell + " update " + (n + 1));
                }
                assertTrue(resets > 4, "the walk wrapped and reset");
                assertEquals(30, trainer.iteration());
                assertEquals(30 * hp.charsPerIteration(), trainer.charsSeen());
                TrainingState s = trainer.state();
                for (int k = 0; k < params.all().length; k++) {
                    assertArrayEquals(params.all()[k].data, s.params().all()[k].data, 0.0, params.names()[k]);
                    assertArrayEquals(adagrad.memory().all()[k].data, s.memory().all()[k].data, 0.0, "m" + params.names()[k]);
                }
                assertArrayEquals(h.data, s.hidden().data, 0.0);
                assertArrayEquals(windows.positions(), s.positions());
                assertEquals(1, trainer.parallelism());
                assertEquals(Kernels.best().ops(hp.precision()).describe(), trainer.kernels());
                assertEquals(CORPUS.length(), s.corpusLength());
                assertArrayEquals(CORPUS.counts(), s.charCounts());
                assertEquals(CORPUS.vocabulary(), s.vocabulary());
                assertEquals(hp, s.hp());
            }
        }
    }

    @Test
    void aSampleContinuesStreamZeroFromItsStateWithTheCharacterAfterItsWindow() throws Exception {
        Hyperparameters hp = hp(5, 100, 0, 100, 100, 0.1);
        try (Trainer trainer = new Trainer(hp, CORPUS, 1)) {
            // weights large enough that the state and the first character decide the sample
            trainer.params().setTo(charrnn.check.GradientCheck.probeModel(hp.hidden(), CORPUS.vocabulary().size(),
                    1, 1, new Rng(8)));
            for (int n = 0; n < 5; n++) {
                trainer.step();
            }
            TrainingState s = copy(trainer.state());
            Sampler sampler = new Sampler(s.params(), Precision.FLOAT64);
            double[] row = new double[s.hidden().numCols];
            System.arraycopy(s.hidden().data, 0, row, 0, row.length);
            sampler.setHidden(row);
            Rng rng = new Rng(0);
            rng.setState(s.sampleRngState());
            int[] out = new int[hp.sampleLength()];
            // the window just read ended at the character where stream 0's next one starts
            sampler.generate(CORPUS.text().at(s.positions()[0]), out.length, rng, 1.0, false, out);
            assertEquals(CORPUS.vocabulary().decode(out, out.length), trainer.sample());
            assertEquals(rng.state(), trainer.state().sampleRngState(), "the sample drew from the run's generator");
        }
    }

    @Test
    void aResumedRunReportsAndEndsAsTheUnbrokenOne() throws Exception {
        for (Cell cell : new Cell[] {Cell.RNN, Cell.GRU}) {
            Hyperparameters hp = withCell(hp(20, 3, 4, 2, 7, 0.2), cell, 2, 0.3);
            Recorder whole = new Recorder();
            TrainingState end;
            try (Trainer trainer = new Trainer(hp, CORPUS, 1)) {
                trainer.run(whole, () -> false);
                end = copy(trainer.state());
            }
            TrainingState at7 = whole.saved.stream().filter(s -> s.iteration() == 7).findFirst().orElseThrow();
            assertTrue(at7.bestValIteration() > 0, "a best validation loss before the stop");
            Recorder rest = new Recorder();
            try (Trainer resumed = new Trainer(hp, CORPUS, at7, 1)) {
                assertEquals(7, resumed.iteration());
                assertEquals(at7.smoothLoss(), resumed.smoothLoss(), 0.0);
                Trainer.Summary summary = resumed.run(rest, () -> false);
                assertEquals(20, summary.iterations());
                assertEquals(20 * hp.charsPerIteration(), summary.chars());
                assertEquals(13 * hp.charsPerIteration(), summary.charsThisRun(), "this process trained 8 to 20");
                TrainingState s = resumed.state();
                for (int k = 0; k < end.params().all().length; k++) {
                    assertArrayEquals(end.params().all()[k].data, s.params().all()[k].data, 0.0, cell + " weights");
                    assertArrayEquals(end.memory().all()[k].data, s.memory().all()[k].data, 0.0, cell + " memory");
                }
                assertArrayEquals(end.hidden().data, s.hidden().data, 0.0);
                assertEquals(end.smoothLoss(), s.smoothLoss(), 0.0);
                assertArrayEquals(end.positions(), s.positions());
                assertEquals(end.sampleRngState(), s.sampleRngState());
                assertEquals(end.bestValLoss(), s.bestValLoss(), 0.0);
                assertEquals(end.bestValIteration(), s.bestValIteration());
            }
            assertEquals(whole.after(7), rest.events, cell + ": the same reports after the resume");
        }
    }

    @Test
    void aResumeKeepsTheShapeSeedResetPeriodAndVocabulary() throws Exception {
        Hyperparameters hp = hp(3, 100, 0, 100, 100, 0.1);
        TrainingState state;
        try (Trainer trainer = new Trainer(hp, CORPUS, 1)) {
            trainer.step();
            state = copy(trainer.state());
        }
        Hyperparameters[] changed = {
            hp.toBuilder().hidden(9).build(),
            hp.toBuilder().seqLength(7).build(),
            hp.toBuilder().batchSize(3).build(),
            hp.toBuilder().seed(4).build(),
            hp.toBuilder().resetEvery(3).build(),
            hp.toBuilder().cell(Cell.GRU).build(),
            hp.toBuilder().layers(2).build(),
        };
        for (Hyperparameters other : changed) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(other, CORPUS, state, 1), other.toString());
            assertTrue(e.getMessage().contains("differs from the checkpoint's"), e.getMessage());
        }
        // the learning rate and the intervals may change
        Hyperparameters free = hp.toBuilder().learningRate(0.05).clip(1).iterations(9).printEvery(1).sampleEvery(1)
                .sampleLength(3).evalEvery(1).checkpointEvery(1).build();
        new Trainer(free, CORPUS, state, 1).close();
        Corpus other = Corpus.of("u", "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG. ".repeat(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(hp, other, state, 1));
        assertTrue(e.getMessage().contains("vocabulary"), e.getMessage());
    }

    @Test
    void closingStopsTheWorkerThreads() throws Exception {
        Hyperparameters hp = Hyperparameters.builder().hidden(4).seqLength(3).batchSize(2 * BatchRnn.STREAMS_PER_PART + 1)
                .learningRate(0.1).clip(5).iterations(1).printEvery(1).sampleEvery(0).sampleLength(1).seed(3)
                .valFraction(0).evalEvery(1).checkpointEvery(1).resetEvery(0).build();
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        List<Thread> started = new ArrayList<>();
        try (Trainer trainer = new Trainer(hp, CORPUS, 3)) {
            assertEquals(3, trainer.parallelism());
            trainer.step();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(t) && t.getName().equals("charrnn-worker")) {
                    started.add(t);
                }
            }
        }
        assertEquals(2, started.size(), "two workers beside the calling thread");
        for (Thread t : started) {
            t.join(10_000);
            assertFalse(t.isAlive(), "a worker outlived its trainer");
        }
    }

    @Test
    void theTrainingPartIsAllButATailOfAtLeastTwoCharacters() {
        Hyperparameters tenth = hp(1, 1, 0, 1, 1, 0.1);
        assertEquals(19, Trainer.trainingLength(tenth, 19), "1.9 held out rounds down to 1: too few, no split");
        assertEquals(18, Trainer.trainingLength(tenth, 20));
        assertEquals(7, Trainer.trainingLength(tenth, 7), "exactly one window of T+1");
        Hyperparameters quarter = hp(1, 1, 0, 1, 1, 0.25);
        assertEquals(7, Trainer.trainingLength(quarter, 9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.trainingLength(quarter, 8));
        assertEquals("--seq-length 6 needs 7 characters to train on, but the corpus has 6 once 2 are held out by"
                + " --val-fraction", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.trainingLength(tenth, 6));
        assertEquals("--seq-length 6 needs 7 characters to train on, but the corpus has 6", e.getMessage());
    }

    @Test
    void aLossThatStopsBeingFiniteEndsTheRunAtThatUpdate() {
        Hyperparameters wild = Hyperparameters.builder().hidden(8).seqLength(6).batchSize(2).learningRate(Double.MAX_VALUE)
                .clip(0).iterations(50).printEvery(100).sampleEvery(0).sampleLength(12).seed(3).valFraction(0.1)
                .evalEvery(100).checkpointEvery(100).resetEvery(2).build();
        try (Trainer trainer = new Trainer(wild, CORPUS, 1)) {
            DivergedException e = assertThrows(DivergedException.class, () -> trainer.run(new Recorder(), () -> false));
            assertEquals(trainer.iteration() + 1, e.iteration(), "the update that failed is not counted");
            assertTrue(e.iteration() > 1, "the first update starts from a finite model");
            assertEquals("the loss became NaN at iteration " + e.iteration(), e.getMessage());
        }
    }
}
