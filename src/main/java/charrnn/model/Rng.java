package charrnn.model;

/**
 * The one random source of a run: SplitMix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014). Its whole state is one {@code long}, so a
 * checkpoint can store it and a resumed run draws exactly what an unbroken run would have.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** A generator for a separate purpose (say, sampling), derived from this seed and a tag. */
    public static Rng derived(long seed, long tag) {
        Rng r = new Rng(0);
        r.reseed(seed, tag);
        return r;
    }

    /** Makes this the generator {@link #derived(long, long)} returns, without allocating one. */
    public void reseed(long seed, long tag) {
        state = seed ^ mix(tag * GOLDEN_GAMMA + 1);
        nextLong();
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Standard normal, by the Box–Muller transform (one value per two uniforms); ln and cos
     * from {@code StrictMath}, so the same seed draws the same bits on every JDK and CPU.
     */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();      // (0, 1]: log stays finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** The whole state, for checkpoints. */
    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
