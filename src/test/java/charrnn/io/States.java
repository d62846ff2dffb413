package charrnn.io;

import charrnn.config.Cell;
import charrnn.config.Hyperparameters;
import charrnn.data.Vocabulary;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.train.TrainingState;
import org.ejml.data.DMatrixRMaj;

/** Training states with every field set to something distinct, for checkpoint tests. */
final class States {
    private States() {
    }

    static TrainingState random(int H, int V, int B, long seed) {
        return random(H, V, B, seed, Cell.RNN, 1, 0);
    }

    static TrainingState random(int H, int V, int B, long seed, Cell cell, int layers, double dropout) {
        Rng rng = new Rng(seed);
        // every setting away from its default, so a reader that mixed two of them up is caught
        Hyperparameters hp = Hyperparameters.builder().hidden(H).seqLength(7).batchSize(B).learningRate(0.05).clip(3.5)
                .iterations(12345).printEvery(11).sampleEvery(13).sampleLength(17).seed(seed).valFraction(0.07)
                .evalEvery(19).checkpointEvery(23).resetEvery(29).cell(cell).layers(layers).dropout(dropout).build();
        int[] cps = new int[V];
        for (int i = 0; i < V; i++) {
            cps[i] = i < V - 1 ? 'a' + i : 0x1F600;
        }
        long[] counts = new long[V];
        for (int i = 0; i < V; i++) {
            counts[i] = 1 + (long) (rng.nextDouble() * 1e12);
        }
        Params params = new Params(H, V, cell.gates(), layers);
        Params memory = new Params(H, V, cell.gates(), layers);
        for (Params p : new Params[] {params, memory}) {
            for (DMatrixRMaj m : p.all()) {
                for (int i = 0; i < m.getNumElements(); i++) {
                    // Adagrad's memory sums squares: never negative
                    m.data[i] = p == memory ? Math.abs(rng.nextGaussian()) : rng.nextGaussian();
                }
            }
        }
        DMatrixRMaj h = new DMatrixRMaj(B, charrnn.model.Rnn.stateWidth(cell, H, layers));
        for (int i = 0; i < h.getNumElements(); i++) {
            h.data[i] = rng.nextGaussian();
        }
        int[] positions = new int[B];
        for (int b = 0; b < B; b++) {
            positions[b] = 1000 * b + 3;
        }
        return new TrainingState(hp, new Vocabulary(cps), counts, 99_999, params, memory, h, 4242L,
                1.2345, positions, rng.nextLong(), 1.75, 4000L);
    }

    /** A state whose every number is derived from {@code n}, so a reader can check it is whole. */
    static TrainingState numbered(int H, int V, long n) {
        TrainingState s = random(H, V, 1, 1);
        for (Params p : new Params[] {s.params(), s.memory()}) {
            for (DMatrixRMaj m : p.all()) {
                java.util.Arrays.fill(m.data, 0, m.getNumElements(), n);
            }
        }
        return new TrainingState(s.hp(), s.vocabulary(), s.charCounts(), s.corpusLength(), s.params(),
                s.memory(), s.hidden(), n, s.smoothLoss(), s.positions(), s.sampleRngState(), s.bestValLoss(),
                Math.min(n, s.bestValIteration()));
    }
}
