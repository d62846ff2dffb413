package charrnn.config;

/**
 * The floating-point format the model's forward and backward passes compute in. The weights
 * the optimiser updates, its memory and the checkpoint stay float64 whatever is chosen (master
 * weights): each update rounds a copy of the weights to the compute format once, and adds the
 * gradient back in float64. float32 is twice as fast (a vector holds twice as many numbers) and
 * loses nothing a model of this size can measure; the gradient check always runs in float64.
 */
public enum Precision {
    /** IEEE 754 single precision: 24-bit significand, about 7 decimal digits. */
    FLOAT32,
    /** IEEE 754 double precision: 53-bit significand, about 16 decimal digits. */
    FLOAT64;

    /** The name on the command line, in output and in checkpoints: float32 or float64. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The precision with this key. */
    public static Precision ofKey(String key) {
        for (Precision p : values()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision " + key + " (float32 or float64)");
    }
}
