package charrnn.model;

import charrnn.check.GradientCheck;
import org.ejml.data.DMatrixRMaj;

/**
 * A test case: a probe model (see {@link GradientCheck#probeModel}), a starting hidden state and
 * one window of random inputs and targets for B streams, all drawn from one generator.
 *
 * @param inputs  T·B, entry t·B+b
 * @param targets T·B
 * @param h0      B×(L·S), the carried state (S = H, or 2H for the LSTM)
 */
public record RandomWindow(Params params, DMatrixRMaj h0, int[] inputs, int[] targets, int T, int B) {

    public static RandomWindow draw(int H, int V, int T, int B, Rng rng) {
        return draw(H, V, 1, T, B, rng);
    }

    /** For a cell of G gates. */
    public static RandomWindow draw(int H, int V, int G, int T, int B, Rng rng) {
        return draw(H, V, G, 1, T, B, rng);
    }

    /** For L layers of a cell of G gates (h0 is then B×(L·S)). */
    public static RandomWindow draw(int H, int V, int G, int L, int T, int B, Rng rng) {
        Params p = GradientCheck.probeModel(H, V, G, L, rng);
        DMatrixRMaj h0 = GradientCheck.probeState(B, Rnn.stateWidth(charrnn.config.Cell.ofGates(G), H, L), rng);
        int[] x = new int[T * B];
        int[] y = new int[T * B];
        for (int i = 0; i < T * B; i++) {
            x[i] = (int) (rng.nextDouble() * V);
            y[i] = (int) (rng.nextDouble() * V);
        }
        return new RandomWindow(p, h0, x, y, T, B);
    }
}
