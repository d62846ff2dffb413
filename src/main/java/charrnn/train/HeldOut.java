package charrnn.train;

import charrnn.config.Cell;
import charrnn.config.Precision;
import charrnn.data.EncodedText;
import charrnn.model.BatchRnn;
import charrnn.model.Kernels;
import charrnn.model.Params;
import charrnn.model.Rnn;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * The validation loss: the held-out text cut into K contiguous pieces of at least
 * {@link #MIN_PIECE} characters, each read from an empty memory, all K at once as one batch on
 * the trainer's threads. Reading K pieces side by side turns the model's matrix-vector products
 * into matrix products, which is what makes validation cheap; starting each piece from an empty
 * memory is what training with {@code --reset-every} teaches the model to do. A held-out text
 * shorter than two pieces is read as one, which is exactly {@link Evaluator}'s (and
 * {@code charrnn eval}'s) loss.
 *
 * <p>With P = ⌊(N−1)/K⌋ predictions per piece for N held-out characters, piece k predicts the
 * characters from + kP + 1 … from + (k+1)P from those before it in the piece; the R = N−1−KP
 * predictions left at the end are read as one more piece by an {@link Evaluator}. The loss is
 * the mean over all N−1 predictions, summed in a fixed order, so it does not depend on the
 * thread count.
 */
public final class HeldOut implements AutoCloseable {
    /**
     * Shortest piece: as long as the stretch a stream trains on between two resets of its
     * memory by default (100 windows of 25), so that starting from an empty memory costs little.
     * With 1,000 the validation loss of the README's run came out 0.011 nats above the reading
     * in one stream; with 2,500 it is within 0.002 (tiny Shakespeare, 0.001).
     */
    public static final int MIN_PIECE = 2500;
    /** Pieces per part of the batch: 16 pieces make two parts, one per thread on two processors. */
    public static final int PIECES_PER_PART = 8;
    /** Most pieces: four parts. */
    public static final int MAX_PIECES = 4 * PIECES_PER_PART;
    /** Characters per window of the forward passes. */
    public static final int WINDOW = Evaluator.DEFAULT_WINDOW;

    private final Params params;
    private final int from;
    private final int to;
    private final int K;                 // pieces read side by side
    private final int P;                 // predictions per piece
    private final BatchRnn full;         // windows of WINDOW steps (P ≥ MIN_PIECE ≥ WINDOW); null when K = 1
    private final BatchRnn last;         // the last, shorter window of each piece; null if none
    private final Evaluator rest;        // the R predictions after the K pieces, or all of them when K = 1
    private final int[] inputs;
    private final int[] targets;
    private final DMatrixRMaj h;

    /** Evaluates {@code params} on [from, to) of a text, on up to {@code threads} threads. */
    public HeldOut(Params params, int from, int to, int threads, Precision precision) {
        this(params, from, to, threads, Kernels.best(), precision);
    }

    /** {@link #HeldOut(Params, int, int, int, Precision)} on {@code kernels}. */
    public HeldOut(Params params, int from, int to, int threads, Kernels kernels, Precision precision) {
        if (to - from < 2) {
            throw new IllegalArgumentException("a span of fewer than 2 characters has nothing to predict");
        }
        this.params = params;
        this.from = from;
        this.to = to;
        K = pieces(to - from);
        P = (to - from - 1) / K;
        Cell cell = params.cell;
        if (K == 1) {
            full = null;
            last = null;
            inputs = null;
            targets = null;
            h = null;
        } else {
            int tail = P % WINDOW;
            full = new BatchRnn(params.H, params.V, WINDOW, K, kernels, precision, threads, cell, params.L, 0,
                    PIECES_PER_PART);
            last = tail == 0 ? null
                    : new BatchRnn(params.H, params.V, tail, K, kernels, precision, threads, cell, params.L, 0,
                            PIECES_PER_PART);
            inputs = new int[WINDOW * K];
            targets = new int[WINDOW * K];
            h = new DMatrixRMaj(K, Rnn.stateWidth(cell, params.H, params.L));
        }
        rest = new Evaluator(params, WINDOW, kernels, precision);
    }

    /**
     * Pieces a held-out text of {@code span} characters is read in: as many of MIN_PIECE as fit,
     * up to MAX_PIECES, rounded down to a multiple of {@link #PIECES_PER_PART} from there on (to
     * 4 from 4 to 7), so that every part of the batch has a multiple of four rows. The products
     * compute their rows four at a time, and each row past a multiple of four takes about as
     * long as four (the 22 pieces of tiny Shakespeare's held-out text made two parts of 11
     * rows, three of them alone; now 16 make two of 8, one per thread on two processors). Fewer
     * pieces are longer, so the reading comes if anything closer to the sequential one.
     */
    static int pieces(int span) {
        final int most = Math.max(1, Math.min(MAX_PIECES, (span - 1) / MIN_PIECE));
        return most >= PIECES_PER_PART ? most - most % PIECES_PER_PART : most >= 4 ? 4 : most;
    }

    /** Pieces read side by side (1: the plain sequential reading). */
    public int pieces() {
        return K;
    }

    /** Mean of −ln p over every prediction of the span, nats per character. */
    public double meanLoss(EncodedText text) {
        if (K == 1) {
            return rest.meanLoss(text, from, to);
        }
        Arrays.fill(h.data, 0.0);
        double total = 0;
        for (int t0 = 0; t0 < P; t0 += WINDOW) {
            int n = Math.min(WINDOW, P - t0);
            BatchRnn rnn = n == WINDOW ? full : last;
            for (int t = 0; t < n; t++) {
                for (int k = 0; k < K; k++) {
                    int at = from + k * P + t0 + t;
                    inputs[t * K + k] = text.at(at);
                    targets[t * K + k] = text.at(at + 1);
                }
            }
            // each model copies the weights into its compute format in its first window of the
            // pass (the last, shorter window has a model of its own)
            total += rnn.forward(params, inputs, targets, h, t0 > 0 && rnn == full) * n * K;
        }
        int predictions = to - from - 1;
        int r = predictions - K * P;
        if (r > 0) {
            // the remainder, from an empty memory too, starting where the last piece ended
            total += rest.meanLoss(text, from + K * P, to) * r;
        }
        return total / predictions;
    }

    @Override
    public void close() {
        if (full != null) {
            full.close();
        }
        if (last != null) {
            last.close();
        }
    }
}
