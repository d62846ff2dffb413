package charrnn.model;

/**
 * Threads that share out element-wise work: {@link #inPieces} runs a task once per piece, each
 * piece on its own thread, and waits for all. A task must write only its own piece's entries,
 * and its result may not depend on how many pieces there are (element-wise steps, whose every
 * entry is computed the same way alone, are such).
 */
public interface Workers {

    /** One piece of a task: piece {@code piece} of {@code pieces}; false to report a failure. */
    @FunctionalInterface
    interface Piece {
        boolean run(int piece, int pieces);
    }

    /**
     * Runs {@code task} for every piece and returns the AND of their results. Piece 0 runs on
     * the calling thread.
     */
    boolean inPieces(Piece task);

    /**
     * Told by the piece that just wrote them: rows [from, to) of matrix m of {@code params} (in
     * the order of {@link Params#all()}) hold new values. Called on that piece's thread, for
     * each stretch of rows it wrote, while they are in its cache.
     */
    default void changed(Params params, int m, int from, int to) {
    }

    /**
     * Told after a task all of whose pieces ended well: every row of every matrix of
     * {@code params} was reported to {@link #changed}, and nothing else wrote them since.
     */
    default void changedAll(Params params) {
    }

    /** One piece, on the calling thread. */
    Workers ONE = task -> task.run(0, 1);

    /** The first entry of piece {@code piece} of {@code pieces} over n entries (piece = pieces gives n). */
    static int start(int n, int piece, int pieces) {
        return (int) ((long) n * piece / pieces);
    }
}
