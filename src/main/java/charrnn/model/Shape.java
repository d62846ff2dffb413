package charrnn.model;

import charrnn.config.Cell;

/**
 * A model's shape: its cell, H hidden units per layer, V symbols, L layers. What follows from
 * it, the carried state's width and the parameter count, is derived here and nowhere else.
 *
 * @param cell the recurrent cell (G = {@code cell.gates()} gate blocks)
 * @param H    hidden units of each layer
 * @param V    vocabulary size
 * @param L    layers stacked
 */
public record Shape(Cell cell, int H, int V, int L) {
    public Shape {
        java.util.Objects.requireNonNull(cell, "cell");
        if (H < 1 || V < 1 || L < 1) {
            throw new IllegalArgumentException("a model of H=" + H + ", V=" + V + ", L=" + L);
        }
    }

    /** Width of the state carried per stream: per layer h, and c after it for the LSTM. */
    public int stateWidth() {
        return L * cell.stateWidth(H);
    }

    /**
     * Scalar parameters: G·(HV + H² + H) for layer 0, G·(2H² + H) for each layer above, and
     * VH + V for the output layer.
     */
    public long parameterCount() {
        long G = cell.gates();
        return G * H * ((long) V + H + 1) + (L - 1L) * G * H * (2L * H + 1) + (long) V * H + V;
    }
}
