package charrnn.train;

/** The loss or a gradient stopped being a finite number. */
public final class DivergedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long iteration;

    public DivergedException(long iteration, String what) {
        super(what + " at iteration " + iteration);
        this.iteration = iteration;
    }

    public long iteration() {
        return iteration;
    }
}
