package charrnn.model;

import charrnn.config.Cell;
import charrnn.config.Precision;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ejml.data.DMatrixRMaj;

/**
 * A batch of B streams, split into parts of at most {@link #STREAMS_PER_PART} streams (or a
 * part size given) that run forward and backward on their own {@link Rnn}, on up to
 * {@code threads} threads, and whose gradients are then added in part order. The split depends
 * on B and the part size alone, so the result is the same whatever the number of threads. The
 * parts read one copy of the weights in the compute format, and its threads share out the work
 * that is not a part's ({@link Workers}): loading that copy, the sum of the parts' gradients,
 * the optimizer's step.
 */
public final class BatchRnn implements Workers, AutoCloseable {
    /** Largest part: enough rows per step for the kernels, small enough to share the cores. */
    public static final int STREAMS_PER_PART = 16;

    public final int H;
    public final int V;
    public final int T;
    public final int B;
    private final int stateWidth;                  // state width per stream, all layers
    private final Part[] parts;
    private final ExecutorService pool;   // null when one thread does all
    private final int parallelism;        // threads the parts run on
    private final Future<?>[] pending;    // the parts after the first, while they run
    private final boolean[] pieceResults; // inPieces: each piece's result
    /**
     * The Params whose values the parts' copy of the weights holds, told by the optimizer's step
     * that wrote both ({@link #changedAll}); null once a pass has used it.
     */
    private Params loaded;

    /** One part: streams [b0, b0 + n), with its own buffers. */
    private static final class Part {
        final int b0;
        final int n;
        final Rnn rnn;
        final int[] inputs;
        final int[] targets;
        final DMatrixRMaj h;
        double loss;

        /**
         * A lone part loads its own weights and writes the batch's gradient; of several, the
         * first holds the weights all read ({@code first} null for it), which the batch loads.
         */
        Part(int H, int V, int T, int B, int b0, int n, Kernels kernels, Precision precision, boolean lone,
             Part first, Cell cell, int layers, double dropout) {
            this.b0 = b0;
            this.n = n;
            rnn = lone ? new Rnn(H, V, T, n, kernels, precision, B, cell, layers, dropout, b0)
                    : Rnn.part(H, V, T, n, kernels, precision, B, cell, layers, dropout, b0,
                            first == null ? null : first.rnn);
            inputs = new int[T * n];
            targets = new int[T * n];
            h = new DMatrixRMaj(n, Rnn.stateWidth(cell, H, layers));
        }
    }

    /**
     * @param precision the format the passes compute in
     * @param layers  L, layers stacked
     * @param dropout q between layers (see {@link Rnn}); each stream's masks depend on its index
     *                in the batch and the key of {@link #setDropoutKey}, not on the split
     */
    public BatchRnn(int H, int V, int T, int B, Kernels kernels, Precision precision, int threads, Cell cell, int layers,
                    double dropout) {
        this(H, V, T, B, kernels, precision, threads, cell, layers, dropout, STREAMS_PER_PART);
    }

    /**
     * A batch cut into parts of at most {@code perPart} streams instead of
     * {@link #STREAMS_PER_PART} (validation's pieces, in parts of 8 so that two threads share 16).
     */
    public BatchRnn(int H, int V, int T, int B, Kernels kernels, Precision precision, int threads, Cell cell, int layers,
                    double dropout, int perPart) {
        this.stateWidth = Rnn.stateWidth(cell, H, layers);
        this.H = H;
        this.V = V;
        this.T = T;
        this.B = B;
        int count = (B + perPart - 1) / perPart;
        parts = new Part[count];
        for (int p = 0; p < count; p++) {
            int b0 = (int) ((long) B * p / count);
            int b1 = (int) ((long) B * (p + 1) / count);
            parts[p] = new Part(H, V, T, B, b0, b1 - b0, kernels, precision, count == 1, p == 0 ? null : parts[0],
                    cell, layers, dropout);
        }
        pending = new Future<?>[count];
        parallelism = Math.min(Math.max(1, threads), count);
        pieceResults = new boolean[parallelism];
        int workers = parallelism - 1;
        pool = workers == 0 ? null : Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "charrnn-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Bytes the buffers of such a batch take: each part's model (one copy of the weights for
     * all), its share of the window and of the carried state.
     */
    public static long bytes(Kernels kernels, Precision precision, Cell cell, int H, int V, int T, int B, int layers,
                             double dropout) {
        return bytes(kernels, precision, cell, H, V, T, B, layers, dropout, STREAMS_PER_PART);
    }

    /** {@link #bytes} of a batch in parts of at most {@code perPart} streams. */
    public static long bytes(Kernels kernels, Precision precision, Cell cell, int H, int V, int T, int B, int layers,
                             double dropout, int perPart) {
        final int count = (B + perPart - 1) / perPart;
        final long S = Rnn.stateWidth(cell, H, layers);
        long bytes = 0;
        for (int p = 0; p < count; p++) {
            int n = (int) ((long) B * (p + 1) / count) - (int) ((long) B * p / count);
            bytes += Rnn.partBytes(kernels, precision, cell, H, V, T, n, layers, dropout, p == 0)
                    + 2L * T * n * Integer.BYTES + n * S * Double.BYTES;
        }
        return bytes;
    }

    /** The dropout masks of the next passes (see {@link Rnn#setDropoutKey}). */
    public void setDropoutKey(long key) {
        for (Part part : parts) {
            part.rnn.setDropoutKey(key);
        }
    }

    /** How many parts run in parallel at most. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Forward and backward over one window of every stream: returns the mean loss and sets
     * {@code grads} to ∂J/∂θ (see {@link Rnn#backward}).
     *
     * @param inputs  T·B, entry t·B+b
     * @param targets T·B
     * @param h       B×stateWidth (every layer's state), the carried state (see {@link Rnn#forward}), updated
     */
    public double forwardBackward(Params params, int[] inputs, int[] targets, DMatrixRMaj h, Params grads) {
        scatter(inputs, targets, h);
        if (parts.length == 1) {
            // one part: its gradient is the batch's, straight into grads
            Part part = parts[0];
            part.loss = part.rnn.forward(params, part.inputs, part.targets, part.h);
            grads.zero();
            part.rnn.backward(params, grads);
            System.arraycopy(part.h.data, 0, h.data, 0, B * stateWidth);
            return part.loss;
        }
        loadWeights(params);
        if (pool == null) {
            for (Part part : parts) {
                run(part, params);
            }
        } else {
            for (int p = 1; p < parts.length; p++) {
                final Part part = parts[p];
                pending[p] = pool.submit(() -> run(part, params));
            }
            run(parts[0], params);
            await();
        }
        // ∂J/∂θ = Σ_p ∂J_p/∂θ, from +0 and in part order, each thread a piece of every matrix
        inPieces((piece, pieces) -> {
            for (int p = 0; p < parts.length; p++) {
                parts[p].rnn.addGradients(grads, piece, pieces, p == 0);
            }
            return true;
        });
        double loss = 0;
        for (Part part : parts) {
            loss += part.loss * part.n;
        }
        for (Part part : parts) {
            System.arraycopy(part.h.data, 0, h.data, part.b0 * stateWidth, part.n * stateWidth);
        }
        return loss / B;
    }

    /**
     * Forward only, over one window of every stream (no dropout is drawn: build the batch with
     * dropout 0 for evaluation): returns the mean loss, and carries {@code h} on.
     */
    public double forward(Params params, int[] inputs, int[] targets, DMatrixRMaj h) {
        return forward(params, inputs, targets, h, false);
    }

    /**
     * {@link #forward(Params, int[], int[], DMatrixRMaj)}, reusing the weights' copy in the
     * compute format if {@code sameWeights}: true only if {@code params} is the object of this
     * batch's previous pass and has not changed since (an evaluation's windows after its first).
     */
    public double forward(Params params, int[] inputs, int[] targets, DMatrixRMaj h, boolean sameWeights) {
        scatter(inputs, targets, h);
        if (parts.length > 1 && !sameWeights) {
            loadWeights(params);
        }
        for (int p = 1; p < parts.length && pool != null; p++) {
            final Part part = parts[p];
            pending[p] = pool.submit(() -> {
                part.loss = part.rnn.forward(params, part.inputs, part.targets, part.h, sameWeights);
            });
        }
        for (int p = 0; p < parts.length; p++) {
            if (p == 0 || pool == null) {
                parts[p].loss = parts[p].rnn.forward(params, parts[p].inputs, parts[p].targets, parts[p].h, sameWeights);
            }
        }
        await();
        double loss = 0;
        for (Part part : parts) {
            loss += part.loss * part.n;
            System.arraycopy(part.h.data, 0, h.data, part.b0 * stateWidth, part.n * stateWidth);
        }
        return loss / B;
    }

    /**
     * The parts' one copy of the weights in the compute format, from {@code params}, on every
     * thread; nothing if the optimizer's step just wrote it, as it wrote {@code params}.
     */
    private void loadWeights(Params params) {
        final boolean current = loaded == params;
        loaded = null;      // good for this pass only: params may change by other hands after it
        if (current) {
            return;
        }
        inPieces((piece, pieces) -> {
            parts[0].rnn.loadWeights(params, piece, pieces);
            return true;
        });
    }

    /** Rows an optimizer's step just wrote, into the parts' copy of the weights (with several parts). */
    @Override
    public void changed(Params params, int m, int from, int to) {
        if (parts.length > 1) {
            parts[0].rnn.loadRows(params, m, from, to);
        }
    }

    /** The optimizer's step wrote all of {@code params}, and the weights with it: the next pass needs no load. */
    @Override
    public void changedAll(Params params) {
        loaded = parts.length > 1 ? params : null;
    }

    /** Each part's share of the window and of the carried state. */
    private void scatter(int[] inputs, int[] targets, DMatrixRMaj h) {
        for (Part part : parts) {
            for (int t = 0; t < T; t++) {
                System.arraycopy(inputs, t * B + part.b0, part.inputs, t * part.n, part.n);
                System.arraycopy(targets, t * B + part.b0, part.targets, t * part.n, part.n);
            }
            System.arraycopy(h.data, part.b0 * stateWidth, part.h.data, 0, part.n * stateWidth);
        }
    }

    /**
     * Runs {@code task} in {@link #parallelism()} pieces, piece 0 on this thread and the others
     * on the pool. With one thread, one piece.
     */
    @Override
    public boolean inPieces(Piece task) {
        final int pieces = parallelism;
        for (int p = 1; p < pieces; p++) {
            final int piece = p;
            pending[p] = pool.submit(() -> {
                pieceResults[piece] = task.run(piece, pieces);
            });
        }
        pieceResults[0] = task.run(0, pieces);
        awaitPieces(pieces);
        boolean all = true;
        for (int p = 0; p < pieces; p++) {
            all &= pieceResults[p];
        }
        return all;
    }

    /** Waits for the parts handed to the pool. */
    private void await() {
        awaitPieces(pool == null ? 0 : parts.length);
    }

    /** Waits for tasks 1 to n − 1 handed to the pool. */
    private void awaitPieces(int n) {
        for (int p = 1; p < n; p++) {
            try {
                pending[p].get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while training", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err) {
                    throw err;      // out of memory in a worker is out of memory
                }
                throw new IllegalStateException("a training thread failed", e.getCause());
            }
        }
    }

    private static void run(Part part, Params params) {
        part.loss = part.rnn.forward(params, part.inputs, part.targets, part.h);
        part.rnn.backward();
    }

    /** The state after step t of stream b in the last pass, into {@code out} (see {@link Rnn#hiddenAt}). */
    public void hiddenAt(int t, int b, double[] out) {
        for (Part part : parts) {
            if (b < part.b0 + part.n) {
                part.rnn.hiddenAt(t, b - part.b0, out);
                return;
            }
        }
        throw new IndexOutOfBoundsException("stream " + b + " of " + B);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
