package charrnn.model;

import charrnn.config.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the JDK's Vector API, float64: the widest vectors the CPU has (8 doubles
 * with AVX-512); products through a register-blocked micro-kernel holding 4 rows × 4 vectors of
 * the result across the whole sum ({@link #product}), weights packed into slabs
 * ({@link #panels}). Loaded only when {@code jdk.incubator.vector} is in the boot layer (see
 * {@link KernelChoice}); its float32 sibling is {@link VectorFloats}.
 *
 * <p>Three rules keep it fast and reproducible. No masked loads in inner loops (on JDK 17 they
 * are several times slower than plain ones): the last, partial vector of a row is computed as
 * a whole vector ending at the row's end, overlapping the one before it, and element-wise tails
 * are done in scalar code, by {@link PlainKernels}. No operation whose result may depend on the
 * JIT tier, the JDK or the CPU: lane-wise EXP and TANH and floating-point
 * {@code reduceLanes(ADD)} may round differently interpreted and compiled; exp and tanh are
 * {@link ExactMath}'s formulas, lane by lane, and sums run in {@link Ops}' fixed order. And
 * the vector width never enters a sum: products are vectorised across outputs, each output one
 * fma chain over k, so every width and the plain kernels give the same bits.
 *
 * <p>One rule keeps the JIT's compiled code off the API's Java fallbacks: in an element-wise
 * loop, a vector carried from one turn to the next (a running max, a polynomial's sum, a
 * finite-check) is never the receiver of a call: {@code mv = v.max(mv)}, not
 * {@code mv = mv.max(v)}. C2 parses the loop before it knows that vector's class, so it can
 * call the API's method on it only through a type profile; compiled from C1's limited profile
 * (which happens when its queue is long) the call stayed virtual, the vector became an object
 * and the loop ran on the fallbacks, about 700 kB allocated per update of a tanh RNN of 128
 * units in half of the runs. After the loop the vector is folded into a fresh one
 * ({@code broadcast(−∞).max(mv)}) before it is reduced. The micro-kernels' accumulators
 * follow the rule in the loop, and after it are stored as {@code ((DoubleVector)
 * sp.vectorType().cast(a)).intoArray(...)}: {@code intoArray} calls the API's abstract methods on
 * its vector, and on an accumulator C2 could bind them only through {@code intoArray}'s own
 * profile, which it lacked when the JDK's method had been compiled from the limited profile (the
 * user's command, H=100 on one processor, then stored its batch-1 products on the fallbacks,
 * 32,968 bytes per update, in 2 of 16 runs). The cast to the species' class (an accessor and an
 * intrinsic) tells C2 the class. It is written out at each store: a helper method of more than
 * six bytes is not inlined once a compile has grown past C2's node cutoff, which the 4×4 block's
 * sixteen stores reach, and its vector would go out as an object.
 */
class VectorKernels implements Kernels {
    private static final VectorSpecies<Double> PREFERRED = DoubleVector.SPECIES_PREFERRED;
    /** Longs in vectors of the preferred double species' shape, for the bits of exp and tanh. */
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, PREFERRED.vectorShape());
    static final VectorKernels INSTANCE = new VectorKernels();

    private VectorKernels() {
    }

    /**
     * The vectors computed with: the CPU's widest. Only tests ask for others ({@link #of}); as
     * long as no such instance exists, the JIT inlines this to a constant, which the Vector API
     * needs to compile to SIMD instructions.
     */
    VectorSpecies<Double> species() {
        return PREFERRED;
    }

    /** The kernels on vectors of {@code species}, for tests: every width gives the same bits. */
    static Kernels of(VectorSpecies<Double> species) {
        return species == PREFERRED ? INSTANCE : new OtherWidth(species);
    }

    /** {@link #of} vectors of {@code bits} bits: 64, 128, 256 or 512. */
    static Kernels ofBits(int bits) {
        return of(VectorSpecies.of(double.class, VectorShape.forBitSize(bits)));
    }

    /** The kernels at a width other than the preferred one. */
    private static final class OtherWidth extends VectorKernels {
        private final VectorSpecies<Double> species;

        OtherWidth(VectorSpecies<Double> species) {
            this.species = species;
        }

        @Override
        VectorSpecies<Double> species() {
            return species;
        }
    }

    /** Whether the preferred vectors hold at least 2 doubles: with one, plain Java is faster. */
    static boolean worthIt() {
        return PREFERRED.length() >= 2;
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT64;
    }

    @Override
    public double[] alloc(int n) {
        return new double[n];
    }

    @Override
    public Ops<float[]> floats() {
        return VectorFloats.of(species().vectorShape());
    }

    /**
     * Register-blocked: the columns of c are cut into vector positions (the last one ending at
     * N, overlapping its neighbour when N is not a multiple of the width) and the positions
     * into slabs, mostly of four (see {@link #slabs}); for each slab, the rows of c four at a
     * time, so a block of 4×4 vectors of c stays in registers over the whole chain over k while
     * b's four vectors of row k are reused by four rows and a's four numbers by four vectors.
     * Slabs outside, rows inside: the K×4 vectors of b a slab reads stay in cache for all rows.
     */
    @Override
    public void product(Mat<double[]> a, boolean transA, Mat<double[]> b, Mat<double[]> c, boolean accumulate) {
        final int K = Products.check(a, transA, b, c);
        final int lanes = species().length();
        if (c.cols() < lanes) {
            PlainKernels.INSTANCE.product(a, transA, b, c, accumulate);
            return;
        }
        final int sStride = transA ? a.cols() : 1;      // a's next k
        final int sRowStep = transA ? 1 : a.cols();     // a's next row of c
        final int P = (c.cols() + lanes - 1) / lanes;
        for (int s = 0, n = slabs(P); s < n; s++) {
            final int j0 = column(P, s, 0, c.cols(), lanes);
            if (single(P, s)) {
                single(a, sStride, sRowStep, K, b.data(), b.off() + j0, b.cols(), c, j0, accumulate);
            } else {
                final int j1 = column(P, s, 1, c.cols(), lanes);
                final int j2 = column(P, s, 2, c.cols(), lanes);
                final int j3 = column(P, s, 3, c.cols(), lanes);
                group(a, sStride, sRowStep, K, b.data(), b.off(), b.cols(), j0, j1, j2, j3, c, j0, j1, j2, j3,
                        accumulate);
            }
        }
    }

    /**
     * Packed: slab after slab, in the order {@link #product} visits them, K rows of the slab's
     * vectors side by side (4·lanes numbers, or lanes for a single), so a slab's chain over k
     * reads memory in order instead of one vector from each row of b, a row apart.
     */
    @Override
    public Panels<double[]> panels(int K, int N) {
        return new Panels<>(new double[Math.toIntExact(panelsSize(K, N))], K, N);
    }

    @Override
    public long panelsSize(int K, int N) {
        final int lanes = species().length();
        if (N < lanes) {
            return PlainKernels.INSTANCE.panelsSize(K, N);
        }
        final int P = (N + lanes - 1) / lanes;
        long width = 0;
        for (int s = 0, n = slabs(P); s < n; s++) {
            width += single(P, s) ? lanes : 4 * lanes;
        }
        return K * width;
    }

    @Override
    public void loadPanels(double[] src, int rows, int cols, boolean transpose, Panels<double[]> dst, int from, int to) {
        final int K = transpose ? cols : rows;
        final int N = transpose ? rows : cols;
        Products.checkPanels(K, N, dst);
        Products.checkRows(rows, from, to);
        final int lanes = species().length();
        if (N < lanes) {
            PlainKernels.INSTANCE.loadPanels(src, rows, cols, transpose, dst, from, to);
            return;
        }
        // src's rows [from, to) are b's rows k (as given) or its columns j (transposed)
        final int kFrom = transpose ? 0 : from;
        final int kTo = transpose ? K : to;
        final int jFrom = transpose ? from : 0;
        final int jTo = transpose ? to : N;
        final double[] d = dst.data();
        final int P = (N + lanes - 1) / lanes;
        int at = 0;
        for (int s = 0, n = slabs(P); s < n; s++) {
            final int vectors = single(P, s) ? 1 : 4;
            final int w = vectors * lanes;
            // a tile of PACK_ROWS rows k of the slab at a time: what it reads and writes stays in L1
            for (int k0 = kFrom; k0 < kTo; k0 += Products.PACK_ROWS) {
                final int k1 = Math.min(kTo, k0 + Products.PACK_ROWS);
                for (int q = 0; q < vectors; q++) {
                    final int j0 = column(P, s, q, N, lanes);
                    final int l0 = Math.max(0, jFrom - j0);
                    final int l1 = Math.min(lanes, jTo - j0);
                    final int t0 = at + q * lanes;
                    if (transpose) {            // b_kj = src[j][k]: a piece of row j of src, read in order
                        for (int l = l0; l < l1; l++) {
                            for (int k = k0, f = (j0 + l) * cols; k < k1; k++) {
                                d[t0 + l + k * w] = src[f + k];
                            }
                        }
                    } else {                    // b_kj = src[k][j]: a vector's numbers side by side in both
                        for (int k = k0; k < k1; k++) {
                            for (int l = 0, f = k * cols + j0, t = t0 + k * w; l < lanes; l++) {
                                d[t + l] = src[f + l];
                            }
                        }
                    }
                }
            }
            at += K * w;
        }
    }

    @Override
    public void mult(Mat<double[]> a, Panels<double[]> b, Mat<double[]> c) {
        final int lanes = species().length();
        if (b.cols() < lanes) {
            PlainKernels.INSTANCE.mult(a, b, c);
            return;
        }
        packed(a, 1, a.cols(), Products.check(a, b, c), b, c);
    }

    @Override
    public void multTransA(Mat<double[]> a, Panels<double[]> b, Mat<double[]> c) {
        final int lanes = species().length();
        if (b.cols() < lanes) {
            PlainKernels.INSTANCE.multTransA(a, b, c);
            return;
        }
        packed(a, a.cols(), 1, Products.checkTransA(a, b, c), b, c);
    }

    /** dst = src, into the layout of {@link #loadPanels} as given, a tile of rows at a time. */
    @Override
    public void pack(Mat<double[]> src, Panels<double[]> dst) {
        final int K = src.rows();
        final int N = src.cols();
        Products.checkPanels(K, N, dst);
        final int lanes = species().length();
        if (N < lanes) {
            PlainKernels.INSTANCE.pack(src, dst);
            return;
        }
        final double[] d = dst.data();
        final double[] m = src.data();
        final int P = (N + lanes - 1) / lanes;
        int at = 0;
        for (int s = 0, n = slabs(P); s < n; s++) {
            final int vectors = single(P, s) ? 1 : 4;
            final int w = vectors * lanes;
            for (int k0 = 0; k0 < K; k0 += Products.PACK_ROWS) {
                final int k1 = Math.min(K, k0 + Products.PACK_ROWS);
                for (int q = 0; q < vectors; q++) {
                    final int j0 = column(P, s, q, N, lanes);
                    for (int k = k0; k < k1; k++) {
                        System.arraycopy(m, src.at(k) + j0, d, at + q * lanes + k * w, lanes);
                    }
                }
            }
            at += K * w;
        }
    }

    /**
     * c = op(a)·b for b in panels, row i of op(a) from {@code a.off() + i·sRowStep}, its
     * next k {@code sStride} on: slab after slab of b, every row of c for each.
     */
    private void packed(Mat<double[]> a, int sStride, int sRowStep, int K, Panels<double[]> b, Mat<double[]> c) {
        final int lanes = species().length();
        final int P = (b.cols() + lanes - 1) / lanes;
        int at = 0;
        for (int s = 0, n = slabs(P); s < n; s++) {
            final int j0 = column(P, s, 0, c.cols(), lanes);
            if (single(P, s)) {
                single(a, sStride, sRowStep, K, b.data(), at, lanes, c, j0, false);
                at += K * lanes;
            } else {
                group(a, sStride, sRowStep, K, b.data(), at, 4 * lanes, 0, lanes, 2 * lanes, 3 * lanes, c, j0,
                        column(P, s, 1, c.cols(), lanes), column(P, s, 2, c.cols(), lanes),
                        column(P, s, 3, c.cols(), lanes), false);
                at += K * 4 * lanes;
            }
        }
    }

    /**
     * The slabs of P vector positions (P ≥ 1): groups of four neighbours, then single positions,
     * then the last four positions together (the last may overlap the one before it, and both
     * must read c before either is stored); with fewer than four positions, one group that
     * repeats some (the same sums, stored twice).
     */
    private static int slabs(int P) {
        return P < 4 ? 1 : (P - 4) / 4 + (P - 4) % 4 + 1;
    }

    /** Whether slab s is a single position. */
    private static boolean single(int P, int s) {
        return P >= 4 && s >= (P - 4) / 4 && s < (P - 4) / 4 + (P - 4) % 4;
    }

    /** The first column of vector q of slab s, for N columns of vectors of this many lanes. */
    private static int column(int P, int s, int q, int N, int lanes) {
        final int position;
        if (P < 4) {
            position = q == 0 ? 0 : q == 1 && P > 2 ? 1 : P - 1;
        } else if (s < (P - 4) / 4) {
            position = 4 * s + q;
        } else if (single(P, s)) {
            position = 4 * ((P - 4) / 4) + s - (P - 4) / 4;
        } else {
            position = P - 4 + q;
        }
        return position < P - 1 ? position * lanes : N - lanes;
    }

    /** Columns cj0..cj3 of every row of c (b's at bj0..bj3 of each of its rows), four rows at a time. */
    private void group(Mat<double[]> a, int sStride, int sRowStep, int K, double[] b, int bOff, int ldb,
                       int bj0, int bj1, int bj2, int bj3, Mat<double[]> c, int cj0, int cj1, int cj2, int cj3,
                       boolean accumulate) {
        final int M = c.rows();
        final int s0 = a.off();
        int i = 0;
        for (; i + 4 <= M; i += 4) {
            block4x4(a.data(), s0 + i * sRowStep, sRowStep, sStride, K, b, bOff, ldb, bj0, bj1, bj2, bj3,
                    c.data(), c.at(i), c.cols(), cj0, cj1, cj2, cj3, accumulate);
        }
        for (; i < M; i++) {
            block1x4(a.data(), s0 + i * sRowStep, sStride, K, b, bOff, ldb, bj0, bj1, bj2, bj3,
                    c.data(), c.at(i), cj0, cj1, cj2, cj3, accumulate);
        }
    }

    /**
     * Column cj (one vector) of every row of c, b's vector at bOff of each of its rows: four rows
     * at a time, four chains in flight (one alone waits on each fma's latency).
     */
    private void single(Mat<double[]> a, int sStride, int sRowStep, int K, double[] m, int bOff, int ldb, Mat<double[]> c, int cj,
                        boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        final double[] s = a.data();
        final double[] cd = c.data();
        int i = 0;
        for (; i + 4 <= c.rows(); i += 4) {
            final int s0 = a.off() + i * sRowStep;
            final int s1 = s0 + sRowStep;
            final int s2 = s1 + sRowStep;
            final int s3 = s2 + sRowStep;
            final int c0 = c.at(i) + cj;
            final int c1 = c0 + c.cols();
            final int c2 = c1 + c.cols();
            final int c3 = c2 + c.cols();
            DoubleVector a0 = accumulate ? DoubleVector.fromArray(sp, cd, c0) : DoubleVector.zero(sp);
            DoubleVector a1 = accumulate ? DoubleVector.fromArray(sp, cd, c1) : DoubleVector.zero(sp);
            DoubleVector a2 = accumulate ? DoubleVector.fromArray(sp, cd, c2) : DoubleVector.zero(sp);
            DoubleVector a3 = accumulate ? DoubleVector.fromArray(sp, cd, c3) : DoubleVector.zero(sp);
            int mk = bOff;
            for (int k = 0, sk = 0; k < K; k++, sk += sStride, mk += ldb) {
                final DoubleVector bv = DoubleVector.fromArray(sp, m, mk);
                a0 = bv.fma(DoubleVector.broadcast(sp, s[s0 + sk]), a0);
                a1 = bv.fma(DoubleVector.broadcast(sp, s[s1 + sk]), a1);
                a2 = bv.fma(DoubleVector.broadcast(sp, s[s2 + sk]), a2);
                a3 = bv.fma(DoubleVector.broadcast(sp, s[s3 + sk]), a3);
            }
            ((DoubleVector) sp.vectorType().cast(a0)).intoArray(cd, c0);
            ((DoubleVector) sp.vectorType().cast(a1)).intoArray(cd, c1);
            ((DoubleVector) sp.vectorType().cast(a2)).intoArray(cd, c2);
            ((DoubleVector) sp.vectorType().cast(a3)).intoArray(cd, c3);
        }
        for (; i < c.rows(); i++) {
            final int si = a.off() + i * sRowStep;
            final int ci = c.at(i) + cj;
            DoubleVector acc = accumulate ? DoubleVector.fromArray(sp, cd, ci) : DoubleVector.zero(sp);
            int mk = bOff;
            for (int k = 0, sk = si; k < K; k++, sk += sStride, mk += ldb) {
                acc = DoubleVector.fromArray(sp, m, mk).fma(DoubleVector.broadcast(sp, s[sk]), acc);
            }
            ((DoubleVector) sp.vectorType().cast(acc)).intoArray(cd, ci);
        }
    }

    /**
     * The micro-kernel: rows q = 0..3 of c (a's numbers for row q at s0 + q·sRowStep + k·sStride,
     * c's row at c0 + q·ldc) at the four column vectors cj0..cj3, from b's vectors at
     * bOff + k·ldb + bj0..bj3: sixteen accumulators, each one fma chain over k. Everything is
     * read before anything is stored.
     */
    private void block4x4(double[] s, int s0, int sRowStep, int sStride, int K, double[] m, int mOff, int ldb,
                          int j0, int j1, int j2, int j3, double[] c, int c0, int ldc, int cj0, int cj1, int cj2,
                          int cj3, boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        final int c1 = c0 + ldc;
        final int c2 = c1 + ldc;
        final int c3 = c2 + ldc;
        DoubleVector a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
        if (accumulate) {
            a00 = DoubleVector.fromArray(sp, c, c0 + cj0);
            a01 = DoubleVector.fromArray(sp, c, c0 + cj1);
            a02 = DoubleVector.fromArray(sp, c, c0 + cj2);
            a03 = DoubleVector.fromArray(sp, c, c0 + cj3);
            a10 = DoubleVector.fromArray(sp, c, c1 + cj0);
            a11 = DoubleVector.fromArray(sp, c, c1 + cj1);
            a12 = DoubleVector.fromArray(sp, c, c1 + cj2);
            a13 = DoubleVector.fromArray(sp, c, c1 + cj3);
            a20 = DoubleVector.fromArray(sp, c, c2 + cj0);
            a21 = DoubleVector.fromArray(sp, c, c2 + cj1);
            a22 = DoubleVector.fromArray(sp, c, c2 + cj2);
            a23 = DoubleVector.fromArray(sp, c, c2 + cj3);
            a30 = DoubleVector.fromArray(sp, c, c3 + cj0);
            a31 = DoubleVector.fromArray(sp, c, c3 + cj1);
            a32 = DoubleVector.fromArray(sp, c, c3 + cj2);
            a33 = DoubleVector.fromArray(sp, c, c3 + cj3);
        } else {
            a00 = DoubleVector.zero(sp);
            a01 = a00; a02 = a00; a03 = a00; a10 = a00; a11 = a00; a12 = a00; a13 = a00;
            a20 = a00; a21 = a00; a22 = a00; a23 = a00; a30 = a00; a31 = a00; a32 = a00; a33 = a00;
        }
        final int s1 = s0 + sRowStep;
        final int s2 = s1 + sRowStep;
        final int s3 = s2 + sRowStep;
        int mk = mOff;
        for (int k = 0, sk = 0; k < K; k++, sk += sStride, mk += ldb) {
            final DoubleVector b0 = DoubleVector.fromArray(sp, m, mk + j0);
            final DoubleVector b1 = DoubleVector.fromArray(sp, m, mk + j1);
            final DoubleVector b2 = DoubleVector.fromArray(sp, m, mk + j2);
            final DoubleVector b3 = DoubleVector.fromArray(sp, m, mk + j3);
            DoubleVector v = DoubleVector.broadcast(sp, s[s0 + sk]);
            a00 = b0.fma(v, a00);
            a01 = b1.fma(v, a01);
            a02 = b2.fma(v, a02);
            a03 = b3.fma(v, a03);
            v = DoubleVector.broadcast(sp, s[s1 + sk]);
            a10 = b0.fma(v, a10);
            a11 = b1.fma(v, a11);
            a12 = b2.fma(v, a12);
            a13 = b3.fma(v, a13);
            v = DoubleVector.broadcast(sp, s[s2 + sk]);
            a20 = b0.fma(v, a20);
            a21 = b1.fma(v, a21);
            a22 = b2.fma(v, a22);
            a23 = b3.fma(v, a23);
            v = DoubleVector.broadcast(sp, s[s3 + sk]);
            a30 = b0.fma(v, a30);
            a31 = b1.fma(v, a31);
            a32 = b2.fma(v, a32);
            a33 = b3.fma(v, a33);
        }
        ((DoubleVector) sp.vectorType().cast(a00)).intoArray(c, c0 + cj0);
        ((DoubleVector) sp.vectorType().cast(a01)).intoArray(c, c0 + cj1);
        ((DoubleVector) sp.vectorType().cast(a02)).intoArray(c, c0 + cj2);
        ((DoubleVector) sp.vectorType().cast(a03)).intoArray(c, c0 + cj3);
        ((DoubleVector) sp.vectorType().cast(a10)).intoArray(c, c1 + cj0);
        ((DoubleVector) sp.vectorType().cast(a11)).intoArray(c, c1 + cj1);
        ((DoubleVector) sp.vectorType().cast(a12)).intoArray(c, c1 + cj2);
        ((DoubleVector) sp.vectorType().cast(a13)).intoArray(c, c1 + cj3);
        ((DoubleVector) sp.vectorType().cast(a20)).intoArray(c, c2 + cj0);
        ((DoubleVector) sp.vectorType().cast(a21)).intoArray(c, c2 + cj1);
        ((DoubleVector) sp.vectorType().cast(a22)).intoArray(c, c2 + cj2);
        ((DoubleVector) sp.vectorType().cast(a23)).intoArray(c, c2 + cj3);
        ((DoubleVector) sp.vectorType().cast(a30)).intoArray(c, c3 + cj0);
        ((DoubleVector) sp.vectorType().cast(a31)).intoArray(c, c3 + cj1);
        ((DoubleVector) sp.vectorType().cast(a32)).intoArray(c, c3 + cj2);
        ((DoubleVector) sp.vectorType().cast(a33)).intoArray(c, c3 + cj3);
    }

    /** {@link #block4x4} for one row of c. */
    private void block1x4(double[] s, int s0, int sStride, int K, double[] m, int mOff, int ldb,
                          int j0, int j1, int j2, int j3, double[] c, int c0, int cj0, int cj1, int cj2, int cj3,
                          boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        DoubleVector a0, a1, a2, a3;
        if (accumulate) {
            a0 = DoubleVector.fromArray(sp, c, c0 + cj0);
            a1 = DoubleVector.fromArray(sp, c, c0 + cj1);
            a2 = DoubleVector.fromArray(sp, c, c0 + cj2);
            a3 = DoubleVector.fromArray(sp, c, c0 + cj3);
        } else {
            a0 = DoubleVector.zero(sp);
            a1 = a0;
            a2 = a0;
            a3 = a0;
        }
        int mk = mOff;
        for (int k = 0, sk = s0; k < K; k++, sk += sStride, mk += ldb) {
            final DoubleVector v = DoubleVector.broadcast(sp, s[sk]);
            a0 = DoubleVector.fromArray(sp, m, mk + j0).fma(v, a0);
            a1 = DoubleVector.fromArray(sp, m, mk + j1).fma(v, a1);
            a2 = DoubleVector.fromArray(sp, m, mk + j2).fma(v, a2);
            a3 = DoubleVector.fromArray(sp, m, mk + j3).fma(v, a3);
        }
        ((DoubleVector) sp.vectorType().cast(a0)).intoArray(c, c0 + cj0);
        ((DoubleVector) sp.vectorType().cast(a1)).intoArray(c, c0 + cj1);
        ((DoubleVector) sp.vectorType().cast(a2)).intoArray(c, c0 + cj2);
        ((DoubleVector) sp.vectorType().cast(a3)).intoArray(c, c0 + cj3);
    }

    // ---- exp and tanh from exact operations only: ExactMath's formulas, lane by lane -------
    // each step at most 35 bytes of bytecode, as VectorMathF's: C2 leaves a larger one a call
    // where it judges the call site cold

    /** {@link ExactMath}'s e^r − 1 for |r| ≤ ln2/2: r + r²·(1/2 + r/6 + ...). */
    private static DoubleVector expm1Small(DoubleVector r) {
        return r.mul(series(r)).fma(r, r);
    }

    /** 1/2 + r/6 + ..., Horner's rule from the last coefficient. */
    private static DoubleVector series(DoubleVector r) {
        DoubleVector p = r.broadcast(ExactMath.INV_FACT[0]);
        for (int i = 1; i < ExactMath.INV_FACT.length; i++) {
            p = horner(r, p, i);
        }
        return p;
    }

    /** One step of {@link #series}: r·p + c_i. */
    private static DoubleVector horner(DoubleVector r, DoubleVector p, int i) {
        return r.fma(p, r.broadcast(ExactMath.INV_FACT[i]));
    }

    /** The bits of v's lanes, in a long vector of known class: 0 | v (see {@link VectorMathF}). */
    private static LongVector bits(DoubleVector v) {
        return LongVector.zero(longs(v)).or(v.reinterpretAsLongs());
    }

    /** Longs in vectors of v's shape. */
    private static VectorSpecies<Long> longs(DoubleVector v) {
        return v.shape() == LONGS.vectorShape() ? LONGS : VectorSpecies.of(long.class, v.shape());
    }

    /** 2^n for the integer n held in the low bits of t = n + ROUNDER. */
    private static DoubleVector twoTo(DoubleVector t) {
        return bits(t).sub(ExactMath.ROUNDER_BITS - 1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    }

    /** t = x·log2(e) + ROUNDER: n = round(x/ln2) in its low bits. */
    private static DoubleVector scaledLog2(DoubleVector x) {
        return x.fma(x.broadcast(ExactMath.LOG2E), x.broadcast(ExactMath.ROUNDER));
    }

    /** r = x − n·ln2 for n held in t, |r| ≤ ln2/2: two-part ln 2. */
    private static DoubleVector reduce(DoubleVector x, DoubleVector t) {
        final DoubleVector n = t.sub(ExactMath.ROUNDER);
        return n.fma(x.broadcast(-ExactMath.LN2_HI), x).sub(n.mul(ExactMath.LN2_LO));
    }

    /** {@link ExactMath#exp}: e^x, x clamped to ±700. */
    static DoubleVector exp(DoubleVector x) {
        return expClamped(x.max(-ExactMath.EXP_LIMIT).min(ExactMath.EXP_LIMIT));
    }

    /** e^x within the clamp: x = n·ln2 + r, e^x = (e^r − 1 + 1)·2^n. */
    private static DoubleVector expClamped(DoubleVector x) {
        final DoubleVector t = scaledLog2(x);
        return expm1Small(reduce(x, t)).add(1.0).mul(twoTo(t));
    }

    /** {@link ExactMath#expm1}: e^x − 1 for x ≥ 0, 2^n·(e^r − 1) + (2^n − 1). */
    static DoubleVector expm1(DoubleVector x) {
        return expm1Clamped(x.min(ExactMath.EXP_LIMIT));
    }

    /** e^x − 1 within the clamp. */
    private static DoubleVector expm1Clamped(DoubleVector x) {
        final DoubleVector t = scaledLog2(x);
        final DoubleVector twoN = twoTo(t);
        return expm1Small(reduce(x, t)).fma(twoN, lessOne(x, twoN));
    }

    /** v − 1, as −1 + v (the same sum, with v an argument: see the class comment). */
    private static DoubleVector lessOne(DoubleVector like, DoubleVector v) {
        return like.broadcast(-1.0).add(v);
    }

    /** {@link ExactMath#tanh}: sign(x) · u/(u + 2), u = e^{2|x|} − 1, the sign copied bit for bit. */
    static DoubleVector tanhOf(DoubleVector x) {
        return withSignOf(x, ratio(expm1(x.abs().mul(2.0))));
    }

    /** u/(u + 2). */
    private static DoubleVector ratio(DoubleVector u) {
        return u.div(u.add(2.0));
    }

    /** t ≥ 0 with x's sign bit: 1 · (sign | t), in a vector of known class (see VectorMathF). */
    private static DoubleVector withSignOf(DoubleVector x, DoubleVector t) {
        return x.broadcast(1.0).mul(bits(x).and(ExactMath.SIGN_BIT).or(t.reinterpretAsLongs()).reinterpretAsDoubles());
    }

    /** {@link ExactMath#sigmoid}: σ(x) = 1/(e^{−x} + 1). */
    static DoubleVector sigmoid(DoubleVector x) {
        return x.broadcast(1.0).div(exp(x.neg()).add(1.0));
    }

    /**
     * y[yOff + i] = σ(x[xOff + i]) for i &lt; n (x and y may be the same row). One transcendental
     * per loop: the JIT then compiles each loop to vector instructions whole (a loop with
     * several, as a cell step had, grew past what it inlines, and fell back to the Vector API's
     * slow Java paths). For the same reason the launcher's child JVM never inlines this loop, nor
     * {@link #tanh}, into a caller ({@code Launcher.OWN_COMPILE}): inlined into a cell's step,
     * it took C2 past its node cutoff.
     */
    private void sigmoidInto(double[] x, int xOff, double[] y, int yOff, int n) {
        final VectorSpecies<Double> sp = species();
        int i = 0;
        for (; i + sp.length() <= n; i += sp.length()) {
            VectorKernels.sigmoid(DoubleVector.fromArray(sp, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ExactMath.sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        final VectorSpecies<Double> sp = species();
        int i = 0;
        for (; i + sp.length() <= n; i += sp.length()) {
            VectorKernels.tanhOf(DoubleVector.fromArray(sp, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ExactMath.tanh(x[xOff + i]);
        }
    }

    /** The GRU step of {@link Ops#gruForward}, gate by gate: each formula the plain kernels', element by element. */
    @Override
    public void gruForward(double[] ax, double[] gh, double[] gates, int go, double[] h, int prev, int next, int H) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        // z, r = σ(ax + gh)
        int i = 0;
        for (; i + lanes <= 2 * H; i += lanes) {
            DoubleVector.fromArray(sp, ax, go + i).add(DoubleVector.fromArray(sp, gh, go + i)).intoArray(gates, go + i);
        }
        for (; i < 2 * H; i++) {
            gates[go + i] = ax[go + i] + gh[go + i];
        }
        sigmoidInto(gates, go, gates, go, 2 * H);
        // n = tanh(ax_n + r⊙gh_n)
        final int ri = go + H;
        final int ni = go + 2 * H;
        for (i = 0; i + lanes <= H; i += lanes) {
            DoubleVector.fromArray(sp, gates, ri + i).fma(DoubleVector.fromArray(sp, gh, ni + i), DoubleVector.fromArray(sp, ax, ni + i))
                    .intoArray(gates, ni + i);
        }
        for (; i < H; i++) {
            gates[ni + i] = Math.fma(gates[ri + i], gh[ni + i], ax[ni + i]);
        }
        tanh(gates, ni, gates, ni, H);
        // h = (1 − z)⊙n + z⊙h_prev
        for (i = 0; i + lanes <= H; i += lanes) {
            final DoubleVector z = DoubleVector.fromArray(sp, gates, go + i);
            z.fma(DoubleVector.fromArray(sp, h, prev + i), z.neg().add(1.0).mul(DoubleVector.fromArray(sp, gates, ni + i)))
                    .intoArray(h, next + i);
        }
        for (; i < H; i++) {
            final double z = gates[go + i];
            h[next + i] = Math.fma(z, h[prev + i], (1 - z) * gates[ni + i]);
        }
    }

    /** The LSTM step of {@link Ops#lstmForward}, gate by gate: each formula the plain kernels', element by element. */
    @Override
    public void lstmForward(double[] a, double[] gates, int go, double[] c, double[] h, int prev, int next, int H) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        sigmoidInto(a, go, gates, go, 2 * H);                   // i, f
        tanh(a, go + 2 * H, gates, go + 2 * H, H);          // g
        sigmoidInto(a, go + 3 * H, gates, go + 3 * H, H);       // o
        // c = f⊙c_prev + i⊙g
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int ii = go + i;
            DoubleVector.fromArray(sp, gates, ii + H).fma(DoubleVector.fromArray(sp, c, prev + i),
                    DoubleVector.fromArray(sp, gates, ii).mul(DoubleVector.fromArray(sp, gates, ii + 2 * H))).intoArray(c, next + i);
        }
        for (; i < H; i++) {
            final int ii = go + i;
            c[next + i] = Math.fma(gates[ii + H], c[prev + i], gates[ii] * gates[ii + 2 * H]);
        }
        // h = o⊙tanh(c)
        tanh(c, next, h, next, H);
        for (i = 0; i + lanes <= H; i += lanes) {
            DoubleVector.fromArray(sp, gates, go + 3 * H + i).mul(DoubleVector.fromArray(sp, h, next + i)).intoArray(h, next + i);
        }
        for (; i < H; i++) {
            h[next + i] = gates[go + 3 * H + i] * h[next + i];
        }
    }

    /**
     * The LSTM's step back of {@link Ops#lstmBackward}: tanh(c) first, into the o gate's slot of
     * da, which the loop after reads and then replaces, element by element.
     */
    @Override
    public void lstmBackward(double[] dhs, int dOff, double[] dn, double[] dc, int nOff, double[] gates, int go,
                             double[] c, int prev, int next, double[] da, int H) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        final int oi = go + 3 * H;
        tanh(c, next, da, oi, H);
        final DoubleVector one = DoubleVector.broadcast(sp, 1.0);
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int ii = go + i;
            final DoubleVector dh = DoubleVector.fromArray(sp, dhs, dOff + i).add(DoubleVector.fromArray(sp, dn, nOff + i));
            final DoubleVector ig = DoubleVector.fromArray(sp, gates, ii);
            final DoubleVector fg = DoubleVector.fromArray(sp, gates, ii + H);
            final DoubleVector gg = DoubleVector.fromArray(sp, gates, ii + 2 * H);
            final DoubleVector og = DoubleVector.fromArray(sp, gates, ii + 3 * H);
            final DoubleVector tc = DoubleVector.fromArray(sp, da, oi + i);
            final DoubleVector dcell = dh.mul(og).fma(tc.neg().fma(tc, one), DoubleVector.fromArray(sp, dc, nOff + i));
            dcell.mul(gg).mul(ig).mul(ig.neg().add(1.0)).intoArray(da, ii);
            dcell.mul(DoubleVector.fromArray(sp, c, prev + i)).mul(fg).mul(fg.neg().add(1.0)).intoArray(da, ii + H);
            dcell.mul(ig).mul(gg.neg().fma(gg, one)).intoArray(da, ii + 2 * H);
            dh.mul(tc).mul(og).mul(og.neg().add(1.0)).intoArray(da, ii + 3 * H);
            dcell.mul(fg).intoArray(dc, nOff + i);
        }
        for (; i < H; i++) {
            final int ii = go + i;
            final double dh = dhs[dOff + i] + dn[nOff + i];
            final double ig = gates[ii];
            final double fg = gates[ii + H];
            final double gg = gates[ii + 2 * H];
            final double og = gates[ii + 3 * H];
            final double tc = da[oi + i];
            final double dcell = Math.fma(dh * og, Math.fma(-tc, tc, 1.0), dc[nOff + i]);
            da[ii] = dcell * gg * ig * (1 - ig);
            da[ii + H] = dcell * c[prev + i] * fg * (1 - fg);
            da[ii + 2 * H] = dcell * ig * Math.fma(-gg, gg, 1.0);
            da[ii + 3 * H] = dh * tc * og * (1 - og);
            dc[nOff + i] = dcell * fg;
        }
    }

    @Override
    public void gruBackward(double[] dhs, int dOff, double[] dn, double[] dz, int nOff, double[] gates, double[] gh,
                            int go, double[] h, int prev, double[] dx, double[] dhh, int H) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int zi = go + i;
            final int ri = zi + H;
            final int ni = ri + H;
            final DoubleVector dh = DoubleVector.fromArray(sp, dhs, dOff + i).add(DoubleVector.fromArray(sp, dn, nOff + i));
            final DoubleVector z = DoubleVector.fromArray(sp, gates, zi);
            final DoubleVector r = DoubleVector.fromArray(sp, gates, ri);
            final DoubleVector n = DoubleVector.fromArray(sp, gates, ni);
            final DoubleVector oneMinusZ = z.neg().add(1.0);
            final DoubleVector dnHat = dh.mul(oneMinusZ).mul(n.neg().fma(n, DoubleVector.broadcast(sp, 1.0)));
            final DoubleVector dzHat = dh.mul(DoubleVector.fromArray(sp, h, prev + i).sub(n)).mul(z).mul(oneMinusZ);
            final DoubleVector drHat = dnHat.mul(DoubleVector.fromArray(sp, gh, ni)).mul(r).mul(r.neg().add(1.0));
            dzHat.intoArray(dx, zi);
            drHat.intoArray(dx, ri);
            dnHat.intoArray(dx, ni);
            dzHat.intoArray(dhh, zi);
            drHat.intoArray(dhh, ri);
            dnHat.mul(r).intoArray(dhh, ni);
            z.mul(dh).intoArray(dz, nOff + i);
        }
        PlainKernels.gruBackward(dhs, dOff, dn, dz, nOff, gates, gh, go, h, prev, dx, dhh, H, i);
    }

    @Override
    public double softmaxLoss(double[] y, int off, double[] b, int n, int target) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int j = 0;
        // with no whole vector (n < lanes), mv stays −∞
        DoubleVector mv = DoubleVector.broadcast(sp, Double.NEGATIVE_INFINITY);
        for (; j + lanes <= n; j += lanes) {
            DoubleVector v = DoubleVector.fromArray(sp, y, off + j).add(DoubleVector.fromArray(sp, b, j));
            v.intoArray(y, off + j);
            mv = v.max(mv);
        }
        double max = DoubleVector.broadcast(sp, Double.NEGATIVE_INFINITY).max(mv).reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            y[off + j] += b[j];
            max = Math.max(max, y[off + j]);
        }
        final double yTarget = y[off + target];
        j = 0;
        for (; j + lanes <= n; j += lanes) {
            exp(DoubleVector.fromArray(sp, y, off + j).sub(max)).intoArray(y, off + j);
        }
        for (; j < n; j++) {
            y[off + j] = ExactMath.exp(y[off + j] - max);
        }
        double sum = 0;
        for (j = 0; j < n; j++) {
            sum += y[off + j];
        }
        scale(y, off, n, 1.0 / sum);
        return ExactMath.log(sum) + max - yTarget;
    }

    @Override
    public void tanhBackward(double[] d, int dOff, double[] z, int zOff, double[] e, int eOff, int n) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            final DoubleVector u = VectorKernels.exp(DoubleVector.fromArray(sp, z, zOff + i).abs().mul(-2.0));
            final DoubleVector onePlus = u.add(1.0);
            final DoubleVector s = u.mul(4.0).div(onePlus.mul(onePlus));
            s.mul(DoubleVector.fromArray(sp, d, dOff + i).add(DoubleVector.fromArray(sp, e, eOff + i))).intoArray(d, dOff + i);
        }
        PlainKernels.tanhBackward(d, dOff, z, zOff, e, eOff, n, i);
    }

    @Override
    public void softmaxBackward(double[] p, int off, int n, int target, double scale) {
        p[off + target] -= 1.0;
        scale(p, off, n, scale);
    }

    /** x[off + i] *= a for i &lt; n. */
    private void scale(double[] x, int off, int n, double a) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            DoubleVector.fromArray(sp, x, off + i).mul(a).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= a;
        }
    }

    @Override
    public void add(double[] x, int xOff, double[] y, int yOff, int n) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            DoubleVector.fromArray(sp, y, yOff + i).add(DoubleVector.fromArray(sp, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    @Override
    public void zero(double[] x, int off, int n) {
        java.util.Arrays.fill(x, off, off + n, 0.0);
    }

    @Override
    public void mul(double[] x, int xOff, double[] y, int yOff, int n) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            DoubleVector.fromArray(sp, y, yOff + i).mul(DoubleVector.fromArray(sp, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] *= x[xOff + i];
        }
    }

    @Override
    public void load(double[] src, int sOff, double[] dst, int dOff, int n) {
        System.arraycopy(src, sOff, dst, dOff, n);
    }

    @Override
    public void loadTransposed(double[] src, int rows, int cols, Mat<double[]> dst, int from, int to) {
        PlainKernels.INSTANCE.loadTransposed(src, rows, cols, dst, from, to);
    }

    @Override
    public void store(double[] src, int sOff, double[] dst, int dOff, int n) {
        System.arraycopy(src, sOff, dst, dOff, n);
    }

    @Override
    public void storeAdd(double[] src, int sOff, double[] dst, int dOff, int n) {
        add(src, sOff, dst, dOff, n);
    }

    @Override
    public void storeFirst(double[] src, int sOff, double[] dst, int dOff, int n) {
        final VectorSpecies<Double> sp = species();
        int i = 0;
        for (; i + sp.length() <= n; i += sp.length()) {
            DoubleVector.fromArray(sp, src, sOff + i).add(0.0).intoArray(dst, dOff + i);
        }
        PlainKernels.INSTANCE.storeFirst(src, sOff + i, dst, dOff + i, n - i);
    }

    @Override
    public void storeAddTransposed(Mat<double[]> src, int[] rows, int count, double[] dst, int from, int to) {
        PlainKernels.INSTANCE.storeAddTransposed(src, rows, count, dst, from, to);
    }

    @Override
    public boolean adagrad(double[] theta, double[] g, double[] m, int from, int to, double bound, double lr,
                           double eps) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        // x − x is 0 for every finite x and NaN for NaN and ±∞: one sum tells if all were finite
        DoubleVector nonFinite = DoubleVector.zero(sp);
        int i = from;
        for (; i + lanes <= to; i += lanes) {
            DoubleVector gv = DoubleVector.fromArray(sp, g, i);
            nonFinite = gv.sub(gv).add(nonFinite);
            if (bound > 0) {
                gv = gv.max(-bound).min(bound);
                gv.intoArray(g, i);
            }
            DoubleVector mv = gv.fma(gv, DoubleVector.fromArray(sp, m, i));
            mv.intoArray(m, i);
            DoubleVector.fromArray(sp, theta, i).sub(gv.mul(lr).div(mv.add(eps).lanewise(VectorOperators.SQRT)))
                    .intoArray(theta, i);
        }
        final boolean finite = !Double.isNaN(DoubleVector.zero(sp).add(nonFinite).reduceLanes(VectorOperators.ADD));
        return PlainKernels.INSTANCE.adagrad(theta, g, m, i, to, bound, lr, eps) && finite;
    }

    /** Vector API code runs on the API's Java fallbacks, about a hundred times slower, until C2 has compiled it. */
    @Override
    public boolean compiledLate() {
        return true;
    }

    @Override
    public String describe() {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        return "Vector API, " + lanes + (lanes == 1 ? " double" : " doubles") + " per vector";
    }
}
