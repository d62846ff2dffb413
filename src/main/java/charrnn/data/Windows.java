package charrnn.data;

/**
 * The walk over a span of the corpus that training reads: B streams, each reading consecutive
 * windows of T+1 characters (inputs x_0..x_{T-1}, targets x_1..x_T; a window overlaps the next
 * by one character). Stream b starts at an even fraction b/B of the span. A stream that would
 * run past the end of the span wraps to its start, and its hidden state must then be reset; so
 * must it, with a reset period R, at every R-th window position of the span. Both follow from
 * the position alone, so a resumed walk resets where an unbroken one would.
 *
 * <p>Layout of the index arrays: entry {@code t*B + b} is time step t of stream b.
 */
public final class Windows {
    private final EncodedText text;
    private final int from;
    private final int to;
    private final int seqLength;   // T
    private final int batchSize;   // B
    private final int[] position;  // B, where each stream's next window starts
    private final int resetEvery;  // R, 0 for resets at the wrap only

    /**
     * @throws IllegalArgumentException if the span is shorter than one window of T+1 characters
     */
    public Windows(EncodedText text, int from, int to, int seqLength, int batchSize) {
        this(text, from, to, seqLength, batchSize, 0);
    }

    /**
     * @param resetEvery R: also reset a stream's state when its window starts at a multiple of
     *                   R·T characters into the span (0: only at the wrap)
     * @throws IllegalArgumentException if the span is shorter than one window of T+1 characters
     */
    public Windows(EncodedText text, int from, int to, int seqLength, int batchSize, int resetEvery) {
        if (from < 0 || to > text.length() || from > to) {
            throw new IllegalArgumentException("span [" + from + ", " + to + ") is outside the text");
        }
        if (to - from < seqLength + 1) {
            throw new IllegalArgumentException("a window needs " + (seqLength + 1) + " characters, the span has " + (to - from));
        }
        this.text = text;
        this.from = from;
        this.to = to;
        this.seqLength = seqLength;
        this.batchSize = batchSize;
        this.position = new int[batchSize];
        this.resetEvery = resetEvery;
        long span = to - from;
        for (int b = 0; b < batchSize; b++) {
            position[b] = from + (int) (span * b / batchSize);
        }
    }

    /**
     * Fills the next window of every stream.
     *
     * @param inputs  T·B, x_t of each stream
     * @param targets T·B, x_{t+1} of each stream
     * @param reset   B, set to true for the streams whose state must start from zero: wrapped to
     *                the start of the span, or at a reset position
     */
    public void next(int[] inputs, int[] targets, boolean[] reset) {
        for (int b = 0; b < batchSize; b++) {
            int p = position[b];
            reset[b] = p + seqLength + 1 > to;
            if (reset[b]) {
                p = from;
            }
            reset[b] |= resetEvery > 0 && ((p - from) / seqLength) % resetEvery == 0;
            int prev = text.at(p);
            for (int t = 0; t < seqLength; t++) {
                int next = text.at(p + t + 1);
                inputs[t * batchSize + b] = prev;
                targets[t * batchSize + b] = next;
                prev = next;
            }
            position[b] = p + seqLength;
        }
    }

    /** Where each stream's next window starts (for checkpoints). */
    public int[] positions() {
        return position.clone();
    }

    /** Restores the positions saved by {@link #positions()}. */
    public void setPositions(int[] positions) {
        if (positions.length != batchSize) {
            throw new IllegalArgumentException("expected " + batchSize + " positions, got " + positions.length);
        }
        for (int p : positions) {
            if (p < from || p >= to) {
                throw new IllegalArgumentException("position " + p + " is outside [" + from + ", " + to + ")");
            }
        }
        System.arraycopy(positions, 0, position, 0, batchSize);
    }
}
