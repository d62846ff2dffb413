package charrnn.config;

/**
 * The recurrent cell. Each packs its G gates into the same three matrices per layer, so the
 * parameters are Wxh (G·H×V for layer 0, G·H×H above it), Whh (G·H×H) and bh (G·H) of every
 * layer, and Why (V×H) and by (V) of the output layer, whatever the cell.
 */
public enum Cell {
    /** h_t = tanh(Wxh·x_t + Whh·h_{t-1} + bh): one gate. */
    RNN(1, "tanh RNN"),
    /**
     * Gated recurrent unit, in the form with the reset gate applied after the recurrent
     * product (as PyTorch's): z = σ(·), r = σ(·), n = tanh(Wn·x + bn + r⊙(Un·h)),
     * h' = (1 − z)⊙n + z⊙h. Three gates, in the order z, r, n.
     */
    GRU(3, "GRU"),
    /**
     * Long short-term memory, gates in the order i, f, g, o: c' = f⊙c + i⊙g, h' = o⊙tanh(c').
     * Its carried state is h and the cell state c.
     */
    LSTM(4, "LSTM");

    private final int gates;
    private final String title;

    Cell(int gates, String title) {
        this.gates = gates;
        this.title = title;
    }

    /** G, the gate blocks of H rows in Wxh, Whh and bh. */
    public int gates() {
        return gates;
    }

    /** Numbers per stream carried from one step to the next: h, and for the LSTM c too. */
    public int stateWidth(int H) {
        return this == LSTM ? 2 * H : H;
    }

    /** A name for output lines. */
    public String title() {
        return title;
    }

    /** The name on the command line and in checkpoints: rnn, gru or lstm. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The cell with this key. */
    public static Cell ofKey(String key) {
        for (Cell c : values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cell type " + key);
    }

    /** The cell whose parameters have G gate blocks. */
    public static Cell ofGates(int gates) {
        for (Cell c : values()) {
            if (c.gates == gates) {
                return c;
            }
        }
        throw new IllegalArgumentException("no cell has " + gates + " gates");
    }
}
