package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Hyperparameters;
import charrnn.config.Optimization;
import charrnn.config.OptimizerKind;
import charrnn.data.Corpus;
import charrnn.model.Kernels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Trainer#memoryEstimate}, which the command line compares with the memory Java has left
 * before it builds a run, against what building the run allocates: never less (else a run it lets
 * through could fail for memory), nor 8% more (else it refuses runs that fit). It counts the
 * buffers one by one, so it is close: within 0.1% to 4% on these shapes.
 */
class MemoryEstimateTest {
    /** A corpus of 170,000 characters: held out in half, the validation batch is at its widest. */
    private static final Corpus CORPUS;

    static {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 170_000; i++) {
            sb.append((char) ('a' + i * 31 % 26)).append(i % 7 == 0 ? "\u00e9" : "");
        }
        CORPUS = Corpus.of("c", sb.substring(0, 170_000));
    }

    /** Bytes allocated so far by this thread (HotSpot's count; the run is built on this thread). */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @ParameterizedTest
    @CsvSource({
        // cell, H, B, layers, T, dropout, optimizer, held-out share: weights, gates, a batch in
        // parts, long windows, dropout masks, two buffers of optimizer memory; no validation, a
        // held-out text read in one piece, in 17 pieces, in the most pieces
        "GRU, 100, 1, 1, 25, 0, adagrad, 0.5",
        "LSTM, 48, 4, 2, 25, 0, adagrad, 0.5",
        "GRU, 32, 32, 2, 10, 0, adagrad, 0.5",
        "RNN, 96, 1, 1, 25, 0, adagrad, 0.5",
        "RNN, 16, 40, 1, 50, 0, rmsprop, 0.5",
        "LSTM, 16, 1, 1, 300, 0, adagrad, 0.5",
        "GRU, 24, 20, 3, 40, 0.25, adam, 0.5",
        "RNN, 128, 2, 2, 25, 0.5, adam, 0.5",
        "RNN, 64, 20, 1, 30, 0, adagrad, 0",
        "LSTM, 40, 3, 1, 20, 0, adagrad, 0.02",
        "GRU, 40, 1, 2, 20, 0, adagrad, 0.25",
        // the transposed weights and the parts' gradients weigh most: one part of 16 streams, three of 48
        "GRU, 128, 16, 1, 2, 0, adagrad, 0",
        "LSTM, 64, 48, 1, 1, 0, adagrad, 0",
    })
    void theEstimateCoversWhatARunAllocatesWithLittleToSpare(Cell cell, int H, int B, int L, int T, double dropout,
                                                              String optimizer, double valFraction) {
        Hyperparameters hp = Hyperparameters.builder().cell(cell).hidden(H).batchSize(B).layers(L).seqLength(T)
                .dropout(dropout).optim(Optimization.defaults().withOptimizer(OptimizerKind.ofKey(optimizer)))
                .valFraction(valFraction).build();
        new Trainer(Hyperparameters.builder().hidden(4).seqLength(4).valFraction(0).build(), CORPUS, 2).close();  // classes loaded
        long before = allocated();
        Trainer trainer = new Trainer(hp, CORPUS, 2, Kernels.best());
        long used = allocated() - before;
        trainer.close();
        double estimate = Trainer.memoryEstimate(hp, CORPUS.vocabulary().size(), CORPUS.length());
        String what = String.format("estimate %.3f MB, allocated %.3f MB", estimate / 1e6, used / 1e6);
        assertTrue(estimate >= used, what);
        assertTrue(estimate <= 1.08 * used, what);
    }
}
