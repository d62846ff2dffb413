package charrnn.model;

import charrnn.config.Precision;

/**
 * The arithmetic of the forward and backward passes in one compute format: storage {@code A}
 * is {@code double[]} for float64 and {@code float[]} for float32. {@link Rnn} is written once
 * against this seam; each format has a plain-Java implementation and a Vector API one, and the
 * two compute the same values bit for bit.
 *
 * <p>The order of the arithmetic is fixed here, not by the hardware, so a seed gives the same
 * bits on every machine and JDK, within a format:
 * <ul>
 *   <li>every element of a product is ONE fused-multiply-add chain over k in increasing order,
 *       {@code acc = c (accumulating) or +0; acc = fma(a_ik, b_kj, acc)}, zeros included;
 *       vectors run across the outputs j (a_ik broadcast, a row of b loaded), never across k,
 *       so neither the vector width nor the register blocking enters a sum;</li>
 *   <li>every sum that is not a product (the softmax's Σ e^y, a window's loss) runs
 *       sequentially, index by index; maxima are exact in any order;</li>
 *   <li>element-wise steps use one formula on every path, fma in the same places, exp, tanh
 *       and σ from {@link ExactMath} (exact operations only), ln from {@code StrictMath}.</li>
 * </ul>
 *
 * @param <A> the storage: {@code double[]} or {@code float[]}
 */
public interface Ops<A> {

    /** The format computed in. */
    Precision precision();

    /** A zeroed array of n numbers. */
    A alloc(int n);

    // ---- products ---------------------------------------------------------------------------

    /** c = aᵀ·b   (a K×M, b K×N, c M×N): a weight gradient, summed over the K rows of a window. */
    default void multTransA(Mat<A> a, Mat<A> b, Mat<A> c) {
        product(a, true, b, c, false);
    }

    /** A zeroed K×N factor in the layout this implementation's {@link #mult(Mat, Panels, Mat)} reads. */
    Panels<A> panels(int K, int N);

    /** How many numbers {@link #panels}(K, N) holds: K·N, or more where its slabs repeat a column. */
    long panelsSize(int K, int N);

    /** Bytes per number: 4 or 8. */
    default int bytes() {
        return precision() == Precision.FLOAT32 ? Float.BYTES : Double.BYTES;
    }

    /** dst = src (rows×cols) or, with {@code transpose}, srcᵀ, rounded to the format. */
    default void loadPanels(double[] src, int rows, int cols, boolean transpose, Panels<A> dst) {
        loadPanels(src, rows, cols, transpose, dst, 0, rows);
    }

    /**
     * {@link #loadPanels(double[], int, int, boolean, Panels)} of src's rows [from, to) alone:
     * the numbers of dst they give, the rest left as they are.
     */
    void loadPanels(double[] src, int rows, int cols, boolean transpose, Panels<A> dst, int from, int to);

    /** c = a·b with b a weight matrix in panels: the same chains as {@link #product}. */
    void mult(Mat<A> a, Panels<A> b, Mat<A> c);

    /**
     * c = aᵀ·b with b in panels (a K×M, b K×N, c M×N): a weight gradient, the same chains as
     * {@link #multTransA(Mat, Mat, Mat)}, with b read in order instead of a row apart.
     */
    void multTransA(Mat<A> a, Panels<A> b, Mat<A> c);

    /** dst = src (K×N, a view in the compute format), into panels: exact. */
    void pack(Mat<A> src, Panels<A> dst);

    /**
     * c (+)= op(a)·b with op(a) = a or aᵀ: element (i, j) is the chain
     * {@code acc = c_ij or +0; for k = 0, 1, ..., K−1: acc = fma(op(a)_ik, b_kj, acc)}.
     */
    void product(Mat<A> a, boolean transA, Mat<A> b, Mat<A> c, boolean accumulate);

    // ---- element-wise -----------------------------------------------------------------------

    /** x[off + i] = +0 for i &lt; n. */
    void zero(A x, int off, int n);

    /** y[yOff + i] += x[xOff + i] for i &lt; n. */
    void add(A x, int xOff, A y, int yOff, int n);

    /** y[yOff + i] *= x[xOff + i] for i &lt; n. */
    void mul(A x, int xOff, A y, int yOff, int n);

    /** y[yOff + i] = tanh(x[xOff + i]) for i &lt; n (x and y may be the same row). */
    void tanh(A x, int xOff, A y, int yOff, int n);

    /**
     * d[dOff + i] = tanh'(z[zOff + i]) · (d[dOff + i] + e[eOff + i]) for i &lt; n, from the
     * pre-activation z: tanh'(z) = 1 − tanh²(z) = 4u/(1 + u)² with u = e^{−2|z|}, exact to a few
     * ulps where tanh(z) has already rounded to ±1 (beyond |z| ≈ 9 in float32, where 1 − h²
     * would be 0 and the unit would pass no gradient at all).
     */
    void tanhBackward(A d, int dOff, A z, int zOff, A e, int eOff, int n);

    /**
     * Turns the scores of one row into probabilities in place, y[off + j] = softmax(y + b)[j]
     * for j &lt; n, and returns the loss of {@code target}, −ln p[target] = ln Σ_j e^{y_j + b_j}
     * − (y_target + b_target), computed in float64.
     */
    double softmaxLoss(A y, int off, A b, int n, int target);

    /** dy = (p − 1[target])·scale on one row of probabilities, in place. */
    void softmaxBackward(A p, int off, int n, int target, double scale);

    /**
     * One GRU step of one stream, its H units, gates packed z, r, n (each block H wide, at
     * {@code go} in ax, gh and gates):
     * <pre>
     *   z = σ(ax_z + gh_z)    r = σ(ax_r + gh_r)    n = tanh(ax_n + r⊙gh_n)
     *   h[next] = (1 − z)⊙n + z⊙h[prev]
     * </pre>
     * with ax = Wxh·input + bh and gh = Whh·h_{t-1}; the gates are kept for backward.
     */
    void gruForward(A ax, A gh, A gates, int go, A h, int prev, int next, int H);

    /**
     * Backward through one GRU step of one stream (see {@link #gruForward}), from dh =
     * dhs[dOff..] + dn[nOff..]:
     * <pre>
     *   dn̂ = dh⊙(1 − z)⊙(1 − n²)    dẑ = dh⊙(h[prev] − n)⊙z⊙(1 − z)    dr̂ = dn̂⊙gh_n⊙r⊙(1 − r)
     *   dx = [dẑ, dr̂, dn̂]    dhh = [dẑ, dr̂, dn̂⊙r]    dz[nOff..] = z⊙dh
     * </pre>
     */
    void gruBackward(A dhs, int dOff, A dn, A dz, int nOff, A gates, A gh, int go, A h, int prev, A dx, A dhh,
                     int H);

    /**
     * One LSTM step of one stream, gates packed i, f, g, o (each H wide, at {@code go} in a and
     * gates), a the pre-activations:
     * <pre>
     *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
     *   c[next] = f⊙c[prev] + i⊙g      h[next] = o⊙tanh(c[next])
     * </pre>
     */
    void lstmForward(A a, A gates, int go, A c, A h, int prev, int next, int H);

    /**
     * Backward through one LSTM step of one stream (see {@link #lstmForward}), from dh =
     * dhs[dOff..] + dn[nOff..] and dc[nOff..] (∂J/∂c from the step after, replaced by the step
     * before's):
     * <pre>
     *   dc' = dh⊙o⊙(1 − tanh²c) + dc
     *   da = [dc'⊙g⊙i(1−i), dc'⊙c[prev]⊙f(1−f), dc'⊙i⊙(1−g²), dh⊙tanh(c)⊙o(1−o)]
     *   dc = dc'⊙f
     * </pre>
     */
    void lstmBackward(A dhs, int dOff, A dn, A dc, int nOff, A gates, int go, A c, int prev, int next, A da, int H);

    // ---- between float64 and the compute format ---------------------------------------------

    /** dst[dOff + i] = src[sOff + i] rounded to the format, for i &lt; n. */
    void load(double[] src, int sOff, A dst, int dOff, int n);

    /** dst = srcᵀ rounded to the format (src rows×cols, dst cols×rows). */
    default void loadTransposed(double[] src, int rows, int cols, Mat<A> dst) {
        loadTransposed(src, rows, cols, dst, 0, rows);
    }

    /** {@link #loadTransposed(double[], int, int, Mat)} of src's rows [from, to) alone: dst's columns [from, to). */
    void loadTransposed(double[] src, int rows, int cols, Mat<A> dst, int from, int to);

    /** dst[dOff + i] = src[sOff + i] for i &lt; n (exact). */
    void store(A src, int sOff, double[] dst, int dOff, int n);

    /** dst[dOff + i] += src[sOff + i] for i &lt; n, in float64. */
    void storeAdd(A src, int sOff, double[] dst, int dOff, int n);

    /**
     * dst[dOff + i] = +0 + src[sOff + i] for i &lt; n, in float64: the first term of a sum that
     * {@link #storeAdd} goes on with, the same bits as zeroing dst first (−0 becomes +0).
     */
    void storeFirst(A src, int sOff, double[] dst, int dOff, int n);

    /**
     * Rows [from, to) of dst += srcᵀ in float64 for src's rows {@code rows[0..count)} only (each
     * once): dst[j·n + i] += src[i][j] for every listed i and from ≤ j &lt; to, src n×cols. The rows
     * not listed are taken as zeros, whose sum changes no entry of dst but a −0.
     */
    void storeAddTransposed(Mat<A> src, int[] rows, int count, double[] dst, int from, int to);

    /** A name for the output: which implementation, its format and vector width. */
    String describe();
}
