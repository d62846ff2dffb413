package charrnn.model;

import charrnn.config.Precision;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Ops} in float32 on the JDK's Vector API: {@link VectorKernels}' design (see there)
 * with 16 floats per 512-bit vector instead of 8 doubles, so twice the numbers per
 * instruction; exp, tanh and σ are {@link VectorMathF}'s, {@link ExactMath}'s float32
 * formulas lane by lane. Every width gives the bits of {@link PlainFloats}.
 */
class VectorFloats implements Ops<float[]> {
    private static final VectorSpecies<Float> PREFERRED = FloatVector.SPECIES_PREFERRED;
    static final VectorFloats INSTANCE = new VectorFloats();

    private VectorFloats() {
    }

    /** The vectors computed with: the CPU's widest, a constant to the JIT (see {@link VectorKernels#species}). */
    VectorSpecies<Float> species() {
        return PREFERRED;
    }

    /** The float32 kernels on vectors of {@code shape}, for tests and for {@link VectorKernels#floats}. */
    static Ops<float[]> of(VectorShape shape) {
        final VectorSpecies<Float> species = VectorSpecies.of(float.class, shape);
        return species == PREFERRED ? INSTANCE : new OtherWidth(species);
    }

    /** The kernels at a width other than the preferred one. */
    private static final class OtherWidth extends VectorFloats {
        private final VectorSpecies<Float> species;

        OtherWidth(VectorSpecies<Float> species) {
            this.species = species;
        }

        @Override
        VectorSpecies<Float> species() {
            return species;
        }
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    public float[] alloc(int n) {
        return new float[n];
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
    public void product(Mat<float[]> a, boolean transA, Mat<float[]> b, Mat<float[]> c, boolean accumulate) {
        final int K = Products.check(a, transA, b, c);
        final int lanes = species().length();
        if (c.cols() < lanes) {
            PlainFloats.INSTANCE.product(a, transA, b, c, accumulate);
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
    public Panels<float[]> panels(int K, int N) {
        return new Panels<>(new float[Math.toIntExact(panelsSize(K, N))], K, N);
    }

    @Override
    public long panelsSize(int K, int N) {
        final int lanes = species().length();
        if (N < lanes) {
            return PlainFloats.INSTANCE.panelsSize(K, N);
        }
        final int P = (N + lanes - 1) / lanes;
        long width = 0;
        for (int s = 0, n = slabs(P); s < n; s++) {
            width += single(P, s) ? lanes : 4 * lanes;
        }
        return K * width;
    }

    @Override
    public void loadPanels(double[] src, int rows, int cols, boolean transpose, Panels<float[]> dst, int from, int to) {
        final int K = transpose ? cols : rows;
        final int N = transpose ? rows : cols;
        Products.checkPanels(K, N, dst);
        Products.checkRows(rows, from, to);
        final int lanes = species().length();
        if (N < lanes) {
            PlainFloats.INSTANCE.loadPanels(src, rows, cols, transpose, dst, from, to);
            return;
        }
        // src's rows [from, to) are b's rows k (as given) or its columns j (transposed)
        final int kFrom = transpose ? 0 : from;
        final int kTo = transpose ? K : to;
        final int jFrom = transpose ? from : 0;
        final int jTo = transpose ? to : N;
        final float[] d = dst.data();
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
                    if (transpose) {            // b_kj = src[j][k]: four numbers of row j of src in order, each lane
                        int k = k0;
                        for (; k + 4 <= k1; k += 4) {
                            for (int l = l0; l < l1; l++) {
                                final int f = (j0 + l) * cols + k;
                                final int t = t0 + l + k * w;
                                d[t] = (float) src[f];
                                d[t + w] = (float) src[f + 1];
                                d[t + 2 * w] = (float) src[f + 2];
                                d[t + 3 * w] = (float) src[f + 3];
                            }
                        }
                        for (; k < k1; k++) {
                            for (int l = l0; l < l1; l++) {
                                d[t0 + l + k * w] = (float) src[(j0 + l) * cols + k];
                            }
                        }
                    } else {                    // b_kj = src[k][j]: a vector's numbers side by side in both
                        for (int k = k0; k < k1; k++) {
                            load(src, k * cols + j0, d, t0 + k * w, lanes);
                        }
                    }
                }
            }
            at += K * w;
        }
    }

    @Override
    public void mult(Mat<float[]> a, Panels<float[]> b, Mat<float[]> c) {
        final int lanes = species().length();
        if (b.cols() < lanes) {
            PlainFloats.INSTANCE.mult(a, b, c);
            return;
        }
        packed(a, 1, a.cols(), Products.check(a, b, c), b, c);
    }

    @Override
    public void multTransA(Mat<float[]> a, Panels<float[]> b, Mat<float[]> c) {
        final int lanes = species().length();
        if (b.cols() < lanes) {
            PlainFloats.INSTANCE.multTransA(a, b, c);
            return;
        }
        packed(a, a.cols(), 1, Products.checkTransA(a, b, c), b, c);
    }

    /** dst = src, into the layout of {@link #loadPanels} as given, a tile of rows at a time. */
    @Override
    public void pack(Mat<float[]> src, Panels<float[]> dst) {
        final int K = src.rows();
        final int N = src.cols();
        Products.checkPanels(K, N, dst);
        final int lanes = species().length();
        if (N < lanes) {
            PlainFloats.INSTANCE.pack(src, dst);
            return;
        }
        final float[] d = dst.data();
        final float[] m = src.data();
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
    private void packed(Mat<float[]> a, int sStride, int sRowStep, int K, Panels<float[]> b, Mat<float[]> c) {
        final int lanes = species().length();
        final int P = (b.cols() + lanes - 1) / lanes;
        if (c.rows() == 1 && sStride == 1 && P > 4) {
            row(a.data(), a.off(), K, b.data(), P, c.data(), c.off(), c.cols());
            return;
        }
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

    /**
     * One row of c (the recurrence at batch 1) from panels of P &gt; 4 positions, a's numbers in
     * order. Slab by slab, each chain alone (or four side by side) would wait on the fma's
     * latency; so the slabs go two at a time, seven or eight chains side by side: the single
     * positions with the last group, then the other groups in pairs, one left over alone. Each
     * chain is the one the slabs compute, so the numbers are the same.
     */
    private void row(float[] s, int s0, int K, float[] m, int P, float[] c, int c0, int N) {
        final int lanes = species().length();
        final int groups = (P - 4) / 4;             // before the singles; then the last group, at P − 4
        final int singles = (P - 4) % 4;
        int pairs = groups;                         // the groups that go in pairs: the last one too if no singles
        if (singles > 0) {
            singlesAndGroup(s, s0, K, m, K * lanes * 4 * groups, singles, K * lanes * (P - 4), c, c0 + 4 * groups * lanes,
                    c0 + (P - 4) * lanes, c0 + N - lanes);
        } else {
            pairs++;
        }
        int g = 0;
        for (; g + 2 <= pairs; g += 2) {
            twoGroups(s, s0, K, m, K * lanes * 4 * g, c, c0 + 4 * g * lanes, c0 + 4 * (g + 1) * lanes,
                    c0 + Math.min(4 * (g + 1) * lanes + 3 * lanes, N - lanes));
        }
        if (g < pairs) {
            final int j = 4 * g * lanes;
            block1x4(s, s0, 1, K, m, K * lanes * 4 * g, 4 * lanes, 0, lanes, 2 * lanes, 3 * lanes, c, c0, j, j + lanes,
                    j + 2 * lanes, Math.min(j + 3 * lanes, N - lanes), false);
        }
    }

    /**
     * One row of c at the single positions (row k of single i at sb + i·K·lanes + k·lanes,
     * i &lt; singles ≤ 3; c's columns from cs on) and a group's four (row k at gb + 4k·lanes;
     * columns from cg on, the last at cLast): seven chains. A missing single repeats the first.
     * Every index is an offset plus k times a constant, which the JIT checks once per loop
     * rather than at every load.
     */
    private void singlesAndGroup(float[] s, int s0, int K, float[] m, int sb, int singles, int gb, float[] c, int cs,
                                 int cg, int cLast) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        final int sb1 = singles > 1 ? sb + K * lanes : sb;
        final int sb2 = singles > 2 ? sb + 2 * K * lanes : sb;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = a0, a2 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int k = 0; k < K; k++) {
            final FloatVector v = FloatVector.broadcast(sp, s[s0 + k]);
            a0 = FloatVector.fromArray(sp, m, sb + k * lanes).fma(v, a0);
            a1 = FloatVector.fromArray(sp, m, sb1 + k * lanes).fma(v, a1);
            a2 = FloatVector.fromArray(sp, m, sb2 + k * lanes).fma(v, a2);
            b0 = FloatVector.fromArray(sp, m, gb + 4 * k * lanes).fma(v, b0);
            b1 = FloatVector.fromArray(sp, m, gb + (4 * k + 1) * lanes).fma(v, b1);
            b2 = FloatVector.fromArray(sp, m, gb + (4 * k + 2) * lanes).fma(v, b2);
            b3 = FloatVector.fromArray(sp, m, gb + (4 * k + 3) * lanes).fma(v, b3);
        }
        ((FloatVector) sp.vectorType().cast(a0)).intoArray(c, cs);
        ((FloatVector) sp.vectorType().cast(a1)).intoArray(c, singles > 1 ? cs + lanes : cs);
        ((FloatVector) sp.vectorType().cast(a2)).intoArray(c, singles > 2 ? cs + 2 * lanes : cs);
        ((FloatVector) sp.vectorType().cast(b0)).intoArray(c, cg);
        ((FloatVector) sp.vectorType().cast(b1)).intoArray(c, cg + lanes);
        ((FloatVector) sp.vectorType().cast(b2)).intoArray(c, cg + 2 * lanes);
        ((FloatVector) sp.vectorType().cast(b3)).intoArray(c, cLast);
    }

    /**
     * One row of c at two neighbouring groups' eight positions (row k of the first at
     * ga + 4k·lanes, of the second K·4·lanes further; c's columns from ca and cb on, the last at
     * cLast): eight chains.
     */
    private void twoGroups(float[] s, int s0, int K, float[] m, int ga, float[] c, int ca, int cb, int cLast) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        final int gb = ga + 4 * K * lanes;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int k = 0; k < K; k++) {
            final FloatVector v = FloatVector.broadcast(sp, s[s0 + k]);
            a0 = FloatVector.fromArray(sp, m, ga + 4 * k * lanes).fma(v, a0);
            a1 = FloatVector.fromArray(sp, m, ga + (4 * k + 1) * lanes).fma(v, a1);
            a2 = FloatVector.fromArray(sp, m, ga + (4 * k + 2) * lanes).fma(v, a2);
            a3 = FloatVector.fromArray(sp, m, ga + (4 * k + 3) * lanes).fma(v, a3);
            b0 = FloatVector.fromArray(sp, m, gb + 4 * k * lanes).fma(v, b0);
            b1 = FloatVector.fromArray(sp, m, gb + (4 * k + 1) * lanes).fma(v, b1);
            b2 = FloatVector.fromArray(sp, m, gb + (4 * k + 2) * lanes).fma(v, b2);
            b3 = FloatVector.fromArray(sp, m, gb + (4 * k + 3) * lanes).fma(v, b3);
        }
        ((FloatVector) sp.vectorType().cast(a0)).intoArray(c, ca);
        ((FloatVector) sp.vectorType().cast(a1)).intoArray(c, ca + lanes);
        ((FloatVector) sp.vectorType().cast(a2)).intoArray(c, ca + 2 * lanes);
        ((FloatVector) sp.vectorType().cast(a3)).intoArray(c, ca + 3 * lanes);
        ((FloatVector) sp.vectorType().cast(b0)).intoArray(c, cb);
        ((FloatVector) sp.vectorType().cast(b1)).intoArray(c, cb + lanes);
        ((FloatVector) sp.vectorType().cast(b2)).intoArray(c, cb + 2 * lanes);
        ((FloatVector) sp.vectorType().cast(b3)).intoArray(c, cLast);
    }

    /** Columns cj0..cj3 of every row of c (b's at bj0..bj3 of each of its rows), four rows at a time. */
    private void group(Mat<float[]> a, int sStride, int sRowStep, int K, float[] b, int bOff, int ldb,
                       int bj0, int bj1, int bj2, int bj3, Mat<float[]> c, int cj0, int cj1, int cj2, int cj3,
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
    private void single(Mat<float[]> a, int sStride, int sRowStep, int K, float[] m, int bOff, int ldb, Mat<float[]> c, int cj,
                        boolean accumulate) {
        final VectorSpecies<Float> sp = species();
        final float[] s = a.data();
        final float[] cd = c.data();
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
            FloatVector a0 = accumulate ? FloatVector.fromArray(sp, cd, c0) : FloatVector.zero(sp);
            FloatVector a1 = accumulate ? FloatVector.fromArray(sp, cd, c1) : FloatVector.zero(sp);
            FloatVector a2 = accumulate ? FloatVector.fromArray(sp, cd, c2) : FloatVector.zero(sp);
            FloatVector a3 = accumulate ? FloatVector.fromArray(sp, cd, c3) : FloatVector.zero(sp);
            int mk = bOff;
            for (int k = 0, sk = 0; k < K; k++, sk += sStride, mk += ldb) {
                final FloatVector bv = FloatVector.fromArray(sp, m, mk);
                a0 = bv.fma(FloatVector.broadcast(sp, s[s0 + sk]), a0);
                a1 = bv.fma(FloatVector.broadcast(sp, s[s1 + sk]), a1);
                a2 = bv.fma(FloatVector.broadcast(sp, s[s2 + sk]), a2);
                a3 = bv.fma(FloatVector.broadcast(sp, s[s3 + sk]), a3);
            }
            ((FloatVector) sp.vectorType().cast(a0)).intoArray(cd, c0);
            ((FloatVector) sp.vectorType().cast(a1)).intoArray(cd, c1);
            ((FloatVector) sp.vectorType().cast(a2)).intoArray(cd, c2);
            ((FloatVector) sp.vectorType().cast(a3)).intoArray(cd, c3);
        }
        for (; i < c.rows(); i++) {
            final int si = a.off() + i * sRowStep;
            final int ci = c.at(i) + cj;
            FloatVector acc = accumulate ? FloatVector.fromArray(sp, cd, ci) : FloatVector.zero(sp);
            int mk = bOff;
            for (int k = 0, sk = si; k < K; k++, sk += sStride, mk += ldb) {
                acc = FloatVector.fromArray(sp, m, mk).fma(FloatVector.broadcast(sp, s[sk]), acc);
            }
            ((FloatVector) sp.vectorType().cast(acc)).intoArray(cd, ci);
        }
    }

    /**
     * The micro-kernel: rows q = 0..3 of c (a's numbers for row q at s0 + q·sRowStep + k·sStride,
     * c's row at c0 + q·ldc) at the four column vectors cj0..cj3, from b's vectors at
     * bOff + k·ldb + bj0..bj3: sixteen accumulators, each one fma chain over k. Everything is
     * read before anything is stored.
     */
    private void block4x4(float[] s, int s0, int sRowStep, int sStride, int K, float[] m, int mOff, int ldb,
                          int j0, int j1, int j2, int j3, float[] c, int c0, int ldc, int cj0, int cj1, int cj2,
                          int cj3, boolean accumulate) {
        final VectorSpecies<Float> sp = species();
        final int c1 = c0 + ldc;
        final int c2 = c1 + ldc;
        final int c3 = c2 + ldc;
        FloatVector a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
        if (accumulate) {
            a00 = FloatVector.fromArray(sp, c, c0 + cj0);
            a01 = FloatVector.fromArray(sp, c, c0 + cj1);
            a02 = FloatVector.fromArray(sp, c, c0 + cj2);
            a03 = FloatVector.fromArray(sp, c, c0 + cj3);
            a10 = FloatVector.fromArray(sp, c, c1 + cj0);
            a11 = FloatVector.fromArray(sp, c, c1 + cj1);
            a12 = FloatVector.fromArray(sp, c, c1 + cj2);
            a13 = FloatVector.fromArray(sp, c, c1 + cj3);
            a20 = FloatVector.fromArray(sp, c, c2 + cj0);
            a21 = FloatVector.fromArray(sp, c, c2 + cj1);
            a22 = FloatVector.fromArray(sp, c, c2 + cj2);
            a23 = FloatVector.fromArray(sp, c, c2 + cj3);
            a30 = FloatVector.fromArray(sp, c, c3 + cj0);
            a31 = FloatVector.fromArray(sp, c, c3 + cj1);
            a32 = FloatVector.fromArray(sp, c, c3 + cj2);
            a33 = FloatVector.fromArray(sp, c, c3 + cj3);
        } else {
            a00 = FloatVector.zero(sp);
            a01 = a00; a02 = a00; a03 = a00; a10 = a00; a11 = a00; a12 = a00; a13 = a00;
            a20 = a00; a21 = a00; a22 = a00; a23 = a00; a30 = a00; a31 = a00; a32 = a00; a33 = a00;
        }
        final int s1 = s0 + sRowStep;
        final int s2 = s1 + sRowStep;
        final int s3 = s2 + sRowStep;
        int mk = mOff;
        for (int k = 0, sk = 0; k < K; k++, sk += sStride, mk += ldb) {
            final FloatVector b0 = FloatVector.fromArray(sp, m, mk + j0);
            final FloatVector b1 = FloatVector.fromArray(sp, m, mk + j1);
            final FloatVector b2 = FloatVector.fromArray(sp, m, mk + j2);
            final FloatVector b3 = FloatVector.fromArray(sp, m, mk + j3);
            FloatVector v = FloatVector.broadcast(sp, s[s0 + sk]);
            a00 = b0.fma(v, a00);
            a01 = b1.fma(v, a01);
            a02 = b2.fma(v, a02);
            a03 = b3.fma(v, a03);
            v = FloatVector.broadcast(sp, s[s1 + sk]);
            a10 = b0.fma(v, a10);
            a11 = b1.fma(v, a11);
            a12 = b2.fma(v, a12);
            a13 = b3.fma(v, a13);
            v = FloatVector.broadcast(sp, s[s2 + sk]);
            a20 = b0.fma(v, a20);
            a21 = b1.fma(v, a21);
            a22 = b2.fma(v, a22);
            a23 = b3.fma(v, a23);
            v = FloatVector.broadcast(sp, s[s3 + sk]);
            a30 = b0.fma(v, a30);
            a31 = b1.fma(v, a31);
            a32 = b2.fma(v, a32);
            a33 = b3.fma(v, a33);
        }
        ((FloatVector) sp.vectorType().cast(a00)).intoArray(c, c0 + cj0);
        ((FloatVector) sp.vectorType().cast(a01)).intoArray(c, c0 + cj1);
        ((FloatVector) sp.vectorType().cast(a02)).intoArray(c, c0 + cj2);
        ((FloatVector) sp.vectorType().cast(a03)).intoArray(c, c0 + cj3);
        ((FloatVector) sp.vectorType().cast(a10)).intoArray(c, c1 + cj0);
        ((FloatVector) sp.vectorType().cast(a11)).intoArray(c, c1 + cj1);
        ((FloatVector) sp.vectorType().cast(a12)).intoArray(c, c1 + cj2);
        ((FloatVector) sp.vectorType().cast(a13)).intoArray(c, c1 + cj3);
        ((FloatVector) sp.vectorType().cast(a20)).intoArray(c, c2 + cj0);
        ((FloatVector) sp.vectorType().cast(a21)).intoArray(c, c2 + cj1);
        ((FloatVector) sp.vectorType().cast(a22)).intoArray(c, c2 + cj2);
        ((FloatVector) sp.vectorType().cast(a23)).intoArray(c, c2 + cj3);
        ((FloatVector) sp.vectorType().cast(a30)).intoArray(c, c3 + cj0);
        ((FloatVector) sp.vectorType().cast(a31)).intoArray(c, c3 + cj1);
        ((FloatVector) sp.vectorType().cast(a32)).intoArray(c, c3 + cj2);
        ((FloatVector) sp.vectorType().cast(a33)).intoArray(c, c3 + cj3);
    }

    /** {@link #block4x4} for one row of c. */
    private void block1x4(float[] s, int s0, int sStride, int K, float[] m, int mOff, int ldb,
                          int j0, int j1, int j2, int j3, float[] c, int c0, int cj0, int cj1, int cj2, int cj3,
                          boolean accumulate) {
        final VectorSpecies<Float> sp = species();
        FloatVector a0, a1, a2, a3;
        if (accumulate) {
            a0 = FloatVector.fromArray(sp, c, c0 + cj0);
            a1 = FloatVector.fromArray(sp, c, c0 + cj1);
            a2 = FloatVector.fromArray(sp, c, c0 + cj2);
            a3 = FloatVector.fromArray(sp, c, c0 + cj3);
        } else {
            a0 = FloatVector.zero(sp);
            a1 = a0;
            a2 = a0;
            a3 = a0;
        }
        int mk = mOff;
        for (int k = 0, sk = s0; k < K; k++, sk += sStride, mk += ldb) {
            final FloatVector v = FloatVector.broadcast(sp, s[sk]);
            a0 = FloatVector.fromArray(sp, m, mk + j0).fma(v, a0);
            a1 = FloatVector.fromArray(sp, m, mk + j1).fma(v, a1);
            a2 = FloatVector.fromArray(sp, m, mk + j2).fma(v, a2);
            a3 = FloatVector.fromArray(sp, m, mk + j3).fma(v, a3);
        }
        ((FloatVector) sp.vectorType().cast(a0)).intoArray(c, c0 + cj0);
        ((FloatVector) sp.vectorType().cast(a1)).intoArray(c, c0 + cj1);
        ((FloatVector) sp.vectorType().cast(a2)).intoArray(c, c0 + cj2);
        ((FloatVector) sp.vectorType().cast(a3)).intoArray(c, c0 + cj3);
    }

    /**
     * y[yOff + i] = σ(x[xOff + i]) for i &lt; n (x and y may be the same row). One transcendental
     * per loop: the JIT then compiles each loop to vector instructions whole (a loop with
     * several, as a cell step had, grew past what it inlines, and fell back to the Vector API's
     * slow Java paths). For the same reason the launcher's child JVM never inlines this loop, nor
     * {@link #tanh}, into a caller ({@code Launcher.OWN_COMPILE}): inlined into a cell's step,
     * it took C2 past its node cutoff.
     */
    private void sigmoidInto(float[] x, int xOff, float[] y, int yOff, int n) {
        final VectorSpecies<Float> sp = species();
        int i = 0;
        for (; i + sp.length() <= n; i += sp.length()) {
            VectorMathF.sigmoid(FloatVector.fromArray(sp, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ExactMath.sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        final VectorSpecies<Float> sp = species();
        int i = 0;
        for (; i + sp.length() <= n; i += sp.length()) {
            VectorMathF.tanh(FloatVector.fromArray(sp, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = ExactMath.tanh(x[xOff + i]);
        }
    }

    /** The GRU step of {@link Ops#gruForward}, gate by gate: each formula the plain kernels', element by element. */
    @Override
    public void gruForward(float[] ax, float[] gh, float[] gates, int go, float[] h, int prev, int next, int H) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        // z, r = σ(ax + gh)
        int i = 0;
        for (; i + lanes <= 2 * H; i += lanes) {
            FloatVector.fromArray(sp, ax, go + i).add(FloatVector.fromArray(sp, gh, go + i)).intoArray(gates, go + i);
        }
        for (; i < 2 * H; i++) {
            gates[go + i] = ax[go + i] + gh[go + i];
        }
        sigmoidInto(gates, go, gates, go, 2 * H);
        // n = tanh(ax_n + r⊙gh_n)
        final int ri = go + H;
        final int ni = go + 2 * H;
        for (i = 0; i + lanes <= H; i += lanes) {
            FloatVector.fromArray(sp, gates, ri + i).fma(FloatVector.fromArray(sp, gh, ni + i), FloatVector.fromArray(sp, ax, ni + i))
                    .intoArray(gates, ni + i);
        }
        for (; i < H; i++) {
            gates[ni + i] = Math.fma(gates[ri + i], gh[ni + i], ax[ni + i]);
        }
        tanh(gates, ni, gates, ni, H);
        // h = (1 − z)⊙n + z⊙h_prev
        for (i = 0; i + lanes <= H; i += lanes) {
            final FloatVector z = FloatVector.fromArray(sp, gates, go + i);
            z.fma(FloatVector.fromArray(sp, h, prev + i), z.neg().add(1f).mul(FloatVector.fromArray(sp, gates, ni + i)))
                    .intoArray(h, next + i);
        }
        for (; i < H; i++) {
            final float z = gates[go + i];
            h[next + i] = Math.fma(z, h[prev + i], (1 - z) * gates[ni + i]);
        }
    }

    /** The LSTM step of {@link Ops#lstmForward}, gate by gate: each formula the plain kernels', element by element. */
    @Override
    public void lstmForward(float[] a, float[] gates, int go, float[] c, float[] h, int prev, int next, int H) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        sigmoidInto(a, go, gates, go, 2 * H);                   // i, f
        tanh(a, go + 2 * H, gates, go + 2 * H, H);          // g
        sigmoidInto(a, go + 3 * H, gates, go + 3 * H, H);       // o
        // c = f⊙c_prev + i⊙g
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int ii = go + i;
            FloatVector.fromArray(sp, gates, ii + H).fma(FloatVector.fromArray(sp, c, prev + i),
                    FloatVector.fromArray(sp, gates, ii).mul(FloatVector.fromArray(sp, gates, ii + 2 * H))).intoArray(c, next + i);
        }
        for (; i < H; i++) {
            final int ii = go + i;
            c[next + i] = Math.fma(gates[ii + H], c[prev + i], gates[ii] * gates[ii + 2 * H]);
        }
        // h = o⊙tanh(c)
        tanh(c, next, h, next, H);
        for (i = 0; i + lanes <= H; i += lanes) {
            FloatVector.fromArray(sp, gates, go + 3 * H + i).mul(FloatVector.fromArray(sp, h, next + i)).intoArray(h, next + i);
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
    public void lstmBackward(float[] dhs, int dOff, float[] dn, float[] dc, int nOff, float[] gates, int go,
                             float[] c, int prev, int next, float[] da, int H) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        final int oi = go + 3 * H;
        tanh(c, next, da, oi, H);
        final FloatVector one = FloatVector.broadcast(sp, 1f);
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int ii = go + i;
            final FloatVector dh = FloatVector.fromArray(sp, dhs, dOff + i).add(FloatVector.fromArray(sp, dn, nOff + i));
            final FloatVector ig = FloatVector.fromArray(sp, gates, ii);
            final FloatVector fg = FloatVector.fromArray(sp, gates, ii + H);
            final FloatVector gg = FloatVector.fromArray(sp, gates, ii + 2 * H);
            final FloatVector og = FloatVector.fromArray(sp, gates, ii + 3 * H);
            final FloatVector tc = FloatVector.fromArray(sp, da, oi + i);
            final FloatVector dcell = dh.mul(og).fma(tc.neg().fma(tc, one), FloatVector.fromArray(sp, dc, nOff + i));
            dcell.mul(gg).mul(ig).mul(ig.neg().add(1f)).intoArray(da, ii);
            dcell.mul(FloatVector.fromArray(sp, c, prev + i)).mul(fg).mul(fg.neg().add(1f)).intoArray(da, ii + H);
            dcell.mul(ig).mul(gg.neg().fma(gg, one)).intoArray(da, ii + 2 * H);
            dh.mul(tc).mul(og).mul(og.neg().add(1f)).intoArray(da, ii + 3 * H);
            dcell.mul(fg).intoArray(dc, nOff + i);
        }
        for (; i < H; i++) {
            final int ii = go + i;
            final float dh = dhs[dOff + i] + dn[nOff + i];
            final float ig = gates[ii];
            final float fg = gates[ii + H];
            final float gg = gates[ii + 2 * H];
            final float og = gates[ii + 3 * H];
            final float tc = da[oi + i];
            final float dcell = Math.fma(dh * og, Math.fma(-tc, tc, 1f), dc[nOff + i]);
            da[ii] = dcell * gg * ig * (1 - ig);
            da[ii + H] = dcell * c[prev + i] * fg * (1 - fg);
            da[ii + 2 * H] = dcell * ig * Math.fma(-gg, gg, 1f);
            da[ii + 3 * H] = dh * tc * og * (1 - og);
            dc[nOff + i] = dcell * fg;
        }
    }

    @Override
    public void gruBackward(float[] dhs, int dOff, float[] dn, float[] dz, int nOff, float[] gates, float[] gh,
                            int go, float[] h, int prev, float[] dx, float[] dhh, int H) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int zi = go + i;
            final int ri = zi + H;
            final int ni = ri + H;
            final FloatVector dh = FloatVector.fromArray(sp, dhs, dOff + i).add(FloatVector.fromArray(sp, dn, nOff + i));
            final FloatVector z = FloatVector.fromArray(sp, gates, zi);
            final FloatVector r = FloatVector.fromArray(sp, gates, ri);
            final FloatVector n = FloatVector.fromArray(sp, gates, ni);
            final FloatVector oneMinusZ = z.neg().add(1f);
            final FloatVector dnHat = dh.mul(oneMinusZ).mul(n.neg().fma(n, FloatVector.broadcast(sp, 1f)));
            final FloatVector dzHat = dh.mul(FloatVector.fromArray(sp, h, prev + i).sub(n)).mul(z).mul(oneMinusZ);
            final FloatVector drHat = dnHat.mul(FloatVector.fromArray(sp, gh, ni)).mul(r).mul(r.neg().add(1f));
            dzHat.intoArray(dx, zi);
            drHat.intoArray(dx, ri);
            dnHat.intoArray(dx, ni);
            dzHat.intoArray(dhh, zi);
            drHat.intoArray(dhh, ri);
            dnHat.mul(r).intoArray(dhh, ni);
            z.mul(dh).intoArray(dz, nOff + i);
        }
        PlainFloats.gruBackward(dhs, dOff, dn, dz, nOff, gates, gh, go, h, prev, dx, dhh, H, i);
    }

    @Override
    public double softmaxLoss(float[] y, int off, float[] b, int n, int target) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        int j = 0;
        // with no whole vector (n < lanes), mv stays −∞
        FloatVector mv = FloatVector.broadcast(sp, Float.NEGATIVE_INFINITY);
        for (; j + lanes <= n; j += lanes) {
            FloatVector v = FloatVector.fromArray(sp, y, off + j).add(FloatVector.fromArray(sp, b, j));
            v.intoArray(y, off + j);
            mv = v.max(mv);
        }
        float max = FloatVector.broadcast(sp, Float.NEGATIVE_INFINITY).max(mv).reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            y[off + j] += b[j];
            max = Math.max(max, y[off + j]);
        }
        final float yTarget = y[off + target];
        j = 0;
        for (; j + lanes <= n; j += lanes) {
            VectorMathF.exp(FloatVector.fromArray(sp, y, off + j).sub(max)).intoArray(y, off + j);
        }
        for (; j < n; j++) {
            y[off + j] = ExactMath.exp(y[off + j] - max);
        }
        double sum = 0;     // in float64, index by index
        for (j = 0; j < n; j++) {
            sum += y[off + j];
        }
        scale(y, off, n, (float) (1.0 / sum));
        return ExactMath.log(sum) + max - yTarget;
    }

    @Override
    public void tanhBackward(float[] d, int dOff, float[] z, int zOff, float[] e, int eOff, int n) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            final FloatVector u = VectorMathF.exp(FloatVector.fromArray(sp, z, zOff + i).abs().mul(-2f));
            final FloatVector onePlus = u.add(1f);
            final FloatVector s = u.mul(4f).div(onePlus.mul(onePlus));
            s.mul(FloatVector.fromArray(sp, d, dOff + i).add(FloatVector.fromArray(sp, e, eOff + i))).intoArray(d, dOff + i);
        }
        PlainFloats.tanhBackward(d, dOff, z, zOff, e, eOff, n, i);
    }

    @Override
    public void softmaxBackward(float[] p, int off, int n, int target, double scale) {
        p[off + target] -= 1f;
        scale(p, off, n, (float) scale);
    }

    /** x[off + i] *= a for i &lt; n. */
    private void scale(float[] x, int off, int n, float a) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector.fromArray(sp, x, off + i).mul(a).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= a;
        }
    }

    @Override
    public void zero(float[] x, int off, int n) {
        java.util.Arrays.fill(x, off, off + n, 0f);
    }

    @Override
    public void add(float[] x, int xOff, float[] y, int yOff, int n) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector.fromArray(sp, y, yOff + i).add(FloatVector.fromArray(sp, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    @Override
    public void mul(float[] x, int xOff, float[] y, int yOff, int n) {
        final VectorSpecies<Float> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector.fromArray(sp, y, yOff + i).mul(FloatVector.fromArray(sp, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] *= x[xOff + i];
        }
    }

    @Override
    public void load(double[] src, int sOff, float[] dst, int dOff, int n) {
        PlainFloats.INSTANCE.load(src, sOff, dst, dOff, n);
    }

    @Override
    public void loadTransposed(double[] src, int rows, int cols, Mat<float[]> dst, int from, int to) {
        PlainFloats.INSTANCE.loadTransposed(src, rows, cols, dst, from, to);
    }

    @Override
    public void store(float[] src, int sOff, double[] dst, int dOff, int n) {
        PlainFloats.INSTANCE.store(src, sOff, dst, dOff, n);
    }

    @Override
    public void storeAdd(float[] src, int sOff, double[] dst, int dOff, int n) {
        PlainFloats.INSTANCE.storeAdd(src, sOff, dst, dOff, n);
    }

    @Override
    public void storeFirst(float[] src, int sOff, double[] dst, int dOff, int n) {
        PlainFloats.INSTANCE.storeFirst(src, sOff, dst, dOff, n);
    }

    @Override
    public void storeAddTransposed(Mat<float[]> src, int[] rows, int count, double[] dst, int from, int to) {
        PlainFloats.INSTANCE.storeAddTransposed(src, rows, count, dst, from, to);
    }

    @Override
    public String describe() {
        final int lanes = species().length();
        return "Vector API, float32, " + lanes + (lanes == 1 ? " float" : " floats") + " per vector";
    }
}
