package charrnn.model;

import charrnn.config.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the JDK's Vector API: the widest vectors the CPU has (8 doubles with
 * AVX-512), four vector accumulators per row chunk held in registers across the whole sum.
 * Loaded only when {@code jdk.incubator.vector} is in the boot layer (see {@link KernelChoice}).
 *
 * <p>Three rules keep it fast and reproducible. No masked loads in inner loops (on JDK 17 they
 * are several times slower than plain ones): the last, partial vector of a row is computed as
 * a whole vector ending at the row's end, overlapping the one before it, and element-wise tails
 * are done in scalar code, by {@link PlainKernels}. No operation whose result may depend on the
 * JIT tier, the JDK or the CPU: lane-wise EXP and TANH and floating-point
 * {@code reduceLanes(ADD)} may round differently interpreted and compiled; exp and tanh are
 * {@link ExactMath}'s formulas, lane by lane, and sums run in {@link Kernels}' fixed order. And
 * the vector width never enters a sum: products are vectorised across outputs, each output one
 * fma chain over k, so every width and the plain kernels give the same bits.
 */
class VectorKernels implements Kernels {
    private static final VectorSpecies<Double> PREFERRED = DoubleVector.SPECIES_PREFERRED;
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
     * N, overlapping its neighbour when N is not a multiple of the width), taken four at a
     * time; for each group of four, the rows of c four at a time, so a block of 4×4 vectors
     * of c stays in registers over the whole chain over k while b's four vectors of row k are
     * reused by four rows and a's four numbers by four vectors. Groups outside, rows inside:
     * the K×4 vectors of b a group reads stay in cache for all the rows.
     */
    @Override
    public void product(Mat<double[]> a, boolean transA, Mat<double[]> b, Mat<double[]> c, boolean accumulate) {
        final int K = Products.check(a, transA, b, c);
        final int lanes = species().length();
        final int M = c.rows();
        final int N = c.cols();
        if (N < lanes) {
            PlainKernels.INSTANCE.product(a, transA, b, c, accumulate);
            return;
        }
        final int sStride = transA ? a.cols() : 1;      // a's next k
        final int sRowStep = transA ? 1 : a.cols();     // a's next row of c
        final int P = (N + lanes - 1) / lanes;           // vector positions across a row of c
        final int last = N - lanes;                      // where the last one starts
        if (P < 4) {    // a group of four with positions repeated: the same sums, stored twice
            group(a, sStride, sRowStep, K, b, c, M, 0, P > 2 ? lanes : last, last, last, accumulate);
            return;
        }
        int p = 0;
        for (; p + 4 <= P - 4; p += 4) {
            final int j = p * lanes;
            group(a, sStride, sRowStep, K, b, c, M, j, j + lanes, j + 2 * lanes, j + 3 * lanes, accumulate);
        }
        for (; p < P - 4; p++) {
            single(a, sStride, sRowStep, K, b, c, M, p * lanes, accumulate);
        }
        // the last four positions together: the last may overlap the one before it, and both
        // must read c before either is stored
        group(a, sStride, sRowStep, K, b, c, M, (P - 4) * lanes, (P - 3) * lanes, (P - 2) * lanes, last, accumulate);
    }

    /** Columns j0..j3 (one vector each) of every row of c, four rows at a time. */
    private void group(Mat<double[]> a, int sStride, int sRowStep, int K, Mat<double[]> b, Mat<double[]> c, int M,
                       int j0, int j1, int j2, int j3, boolean accumulate) {
        final int s0 = a.off();
        int i = 0;
        for (; i + 4 <= M; i += 4) {
            block4x4(a.data(), s0 + i * sRowStep, sRowStep, sStride, K, b.data(), b.off(), b.cols(),
                    j0, j1, j2, j3, c.data(), c.at(i), c.cols(), accumulate);
        }
        for (; i < M; i++) {
            block1x4(a.data(), s0 + i * sRowStep, sStride, K, b.data(), b.off(), b.cols(),
                    j0, j1, j2, j3, c.data(), c.at(i), accumulate);
        }
    }

    /** Column j (one vector) of every row of c. */
    private void single(Mat<double[]> a, int sStride, int sRowStep, int K, Mat<double[]> b, Mat<double[]> c, int M,
                        int j, boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        final double[] s = a.data();
        final double[] m = b.data();
        final double[] cd = c.data();
        final int ldb = b.cols();
        for (int i = 0; i < M; i++) {
            final int si = a.off() + i * sRowStep;
            final int ci = c.at(i) + j;
            DoubleVector acc = accumulate ? DoubleVector.fromArray(sp, cd, ci) : DoubleVector.zero(sp);
            int mk = b.off() + j;
            for (int k = 0, sk = si; k < K; k++, sk += sStride, mk += ldb) {
                acc = DoubleVector.fromArray(sp, m, mk).fma(DoubleVector.broadcast(sp, s[sk]), acc);
            }
            acc.intoArray(cd, ci);
        }
    }

    /**
     * The micro-kernel: rows q = 0..3 of c (a's numbers for row q at s0 + q·sRowStep + k·sStride,
     * c's row at c0 + q·ldc) at the four column vectors j0..j3: sixteen accumulators, each one
     * fma chain over k. Everything is read before anything is stored.
     */
    private void block4x4(double[] s, int s0, int sRowStep, int sStride, int K, double[] m, int mOff, int ldb,
                          int j0, int j1, int j2, int j3, double[] c, int c0, int ldc, boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        final int c1 = c0 + ldc;
        final int c2 = c1 + ldc;
        final int c3 = c2 + ldc;
        DoubleVector a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
        if (accumulate) {
            a00 = DoubleVector.fromArray(sp, c, c0 + j0);
            a01 = DoubleVector.fromArray(sp, c, c0 + j1);
            a02 = DoubleVector.fromArray(sp, c, c0 + j2);
            a03 = DoubleVector.fromArray(sp, c, c0 + j3);
            a10 = DoubleVector.fromArray(sp, c, c1 + j0);
            a11 = DoubleVector.fromArray(sp, c, c1 + j1);
            a12 = DoubleVector.fromArray(sp, c, c1 + j2);
            a13 = DoubleVector.fromArray(sp, c, c1 + j3);
            a20 = DoubleVector.fromArray(sp, c, c2 + j0);
            a21 = DoubleVector.fromArray(sp, c, c2 + j1);
            a22 = DoubleVector.fromArray(sp, c, c2 + j2);
            a23 = DoubleVector.fromArray(sp, c, c2 + j3);
            a30 = DoubleVector.fromArray(sp, c, c3 + j0);
            a31 = DoubleVector.fromArray(sp, c, c3 + j1);
            a32 = DoubleVector.fromArray(sp, c, c3 + j2);
            a33 = DoubleVector.fromArray(sp, c, c3 + j3);
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
        a00.intoArray(c, c0 + j0);
        a01.intoArray(c, c0 + j1);
        a02.intoArray(c, c0 + j2);
        a03.intoArray(c, c0 + j3);
        a10.intoArray(c, c1 + j0);
        a11.intoArray(c, c1 + j1);
        a12.intoArray(c, c1 + j2);
        a13.intoArray(c, c1 + j3);
        a20.intoArray(c, c2 + j0);
        a21.intoArray(c, c2 + j1);
        a22.intoArray(c, c2 + j2);
        a23.intoArray(c, c2 + j3);
        a30.intoArray(c, c3 + j0);
        a31.intoArray(c, c3 + j1);
        a32.intoArray(c, c3 + j2);
        a33.intoArray(c, c3 + j3);
    }

    /** {@link #block4x4} for one row of c. */
    private void block1x4(double[] s, int s0, int sStride, int K, double[] m, int mOff, int ldb,
                          int j0, int j1, int j2, int j3, double[] c, int c0, boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        DoubleVector a0, a1, a2, a3;
        if (accumulate) {
            a0 = DoubleVector.fromArray(sp, c, c0 + j0);
            a1 = DoubleVector.fromArray(sp, c, c0 + j1);
            a2 = DoubleVector.fromArray(sp, c, c0 + j2);
            a3 = DoubleVector.fromArray(sp, c, c0 + j3);
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
        a0.intoArray(c, c0 + j0);
        a1.intoArray(c, c0 + j1);
        a2.intoArray(c, c0 + j2);
        a3.intoArray(c, c0 + j3);
    }

    // ---- exp and tanh from exact operations only: ExactMath's formulas, lane by lane -------

    /** {@link ExactMath}'s e^r − 1 for |r| ≤ ln2/2. */
    private static DoubleVector expm1Small(DoubleVector r) {
        final double[] c = ExactMath.INV_FACT;
        DoubleVector p = r.broadcast(c[0]);
        for (int i = 1; i < c.length; i++) {
            p = p.fma(r, r.broadcast(c[i]));
        }
        // e^r − 1 = r + r²·(1/2 + r/6 + ...)
        return p.mul(r).fma(r, r);
    }

    /** 2^n for the integer n held in the low bits of t = n + ROUNDER. */
    private static DoubleVector twoTo(DoubleVector t) {
        return t.reinterpretAsLongs().sub(ExactMath.ROUNDER_BITS - 1023L).lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles();
    }

    /** {@link ExactMath#exp}: e^x, x clamped to ±700. */
    static DoubleVector exp(DoubleVector x) {
        x = x.max(-ExactMath.EXP_LIMIT).min(ExactMath.EXP_LIMIT);
        // x = n·ln2 + r, |r| ≤ ln2/2
        final DoubleVector t = x.fma(x.broadcast(ExactMath.LOG2E), x.broadcast(ExactMath.ROUNDER));
        final DoubleVector n = t.sub(ExactMath.ROUNDER);
        final DoubleVector r = n.fma(x.broadcast(-ExactMath.LN2_HI), x).sub(n.mul(ExactMath.LN2_LO));
        return expm1Small(r).add(1.0).mul(twoTo(t));
    }

    /** {@link ExactMath#expm1}: e^x − 1 for x ≥ 0, 2^n·(e^r − 1) + (2^n − 1). */
    static DoubleVector expm1(DoubleVector x) {
        x = x.min(ExactMath.EXP_LIMIT);
        final DoubleVector t = x.fma(x.broadcast(ExactMath.LOG2E), x.broadcast(ExactMath.ROUNDER));
        final DoubleVector n = t.sub(ExactMath.ROUNDER);
        final DoubleVector r = n.fma(x.broadcast(-ExactMath.LN2_HI), x).sub(n.mul(ExactMath.LN2_LO));
        final DoubleVector twoN = twoTo(t);
        return expm1Small(r).fma(twoN, twoN.sub(1.0));
    }

    /** {@link ExactMath#tanh}: sign(x) · u/(u + 2), u = e^{2|x|} − 1, the sign copied bit for bit. */
    static DoubleVector tanh(DoubleVector x) {
        final DoubleVector u = expm1(x.abs().mul(2.0));
        final DoubleVector t = u.div(u.add(2.0));
        return t.reinterpretAsLongs().or(x.reinterpretAsLongs().and(ExactMath.SIGN_BIT)).reinterpretAsDoubles();
    }

    @Override
    public void addTanh(double[] x, int off, double[] b, int bOff, int n) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            tanh(DoubleVector.fromArray(sp, x, off + i).add(DoubleVector.fromArray(sp, b, bOff + i))).intoArray(x, off + i);
        }
        PlainKernels.addTanh(x, off, b, bOff, n, i);
    }

    /** {@link ExactMath#sigmoid}: σ(x) = 1/(e^{−x} + 1). */
    static DoubleVector sigmoid(DoubleVector x) {
        return x.broadcast(1.0).div(exp(x.neg()).add(1.0));
    }

    @Override
    public void gruForward(double[] ax, double[] gh, double[] gates, int go, double[] h, int prev, int next, int H) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int zi = go + i;
            final int ri = zi + H;
            final int ni = ri + H;
            final DoubleVector z = sigmoid(DoubleVector.fromArray(sp, ax, zi).add(DoubleVector.fromArray(sp, gh, zi)));
            final DoubleVector r = sigmoid(DoubleVector.fromArray(sp, ax, ri).add(DoubleVector.fromArray(sp, gh, ri)));
            final DoubleVector n = tanh(r.fma(DoubleVector.fromArray(sp, gh, ni), DoubleVector.fromArray(sp, ax, ni)));
            z.intoArray(gates, zi);
            r.intoArray(gates, ri);
            n.intoArray(gates, ni);
            // (1 − z)⊙n + z⊙h
            z.fma(DoubleVector.fromArray(sp, h, prev + i), z.neg().add(1.0).mul(n)).intoArray(h, next + i);
        }
        PlainKernels.gruForward(ax, gh, gates, go, h, prev, next, H, i);
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
    public void lstmForward(double[] a, double[] gates, int go, double[] c, double[] h, int prev, int next, int H) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int ii = go + i;
            final DoubleVector ig = sigmoid(DoubleVector.fromArray(sp, a, ii));
            final DoubleVector fg = sigmoid(DoubleVector.fromArray(sp, a, ii + H));
            final DoubleVector gg = tanh(DoubleVector.fromArray(sp, a, ii + 2 * H));
            final DoubleVector og = sigmoid(DoubleVector.fromArray(sp, a, ii + 3 * H));
            final DoubleVector cn = fg.fma(DoubleVector.fromArray(sp, c, prev + i), ig.mul(gg));
            ig.intoArray(gates, ii);
            fg.intoArray(gates, ii + H);
            gg.intoArray(gates, ii + 2 * H);
            og.intoArray(gates, ii + 3 * H);
            cn.intoArray(c, next + i);
            og.mul(tanh(cn)).intoArray(h, next + i);
        }
        PlainKernels.lstmForward(a, gates, go, c, h, prev, next, H, i);
    }

    @Override
    public void lstmBackward(double[] dhs, int dOff, double[] dn, double[] dc, int nOff, double[] gates, int go,
                             double[] c, int prev, int next, double[] da, int H) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        final DoubleVector one = DoubleVector.broadcast(sp, 1.0);
        int i = 0;
        for (; i + lanes <= H; i += lanes) {
            final int ii = go + i;
            final DoubleVector dh = DoubleVector.fromArray(sp, dhs, dOff + i).add(DoubleVector.fromArray(sp, dn, nOff + i));
            final DoubleVector ig = DoubleVector.fromArray(sp, gates, ii);
            final DoubleVector fg = DoubleVector.fromArray(sp, gates, ii + H);
            final DoubleVector gg = DoubleVector.fromArray(sp, gates, ii + 2 * H);
            final DoubleVector og = DoubleVector.fromArray(sp, gates, ii + 3 * H);
            final DoubleVector tc = tanh(DoubleVector.fromArray(sp, c, next + i));
            final DoubleVector dcell = dh.mul(og).fma(tc.neg().fma(tc, one), DoubleVector.fromArray(sp, dc, nOff + i));
            dcell.mul(gg).mul(ig).mul(ig.neg().add(1.0)).intoArray(da, ii);
            dcell.mul(DoubleVector.fromArray(sp, c, prev + i)).mul(fg).mul(fg.neg().add(1.0)).intoArray(da, ii + H);
            dcell.mul(ig).mul(gg.neg().fma(gg, one)).intoArray(da, ii + 2 * H);
            dh.mul(tc).mul(og).mul(og.neg().add(1.0)).intoArray(da, ii + 3 * H);
            dcell.mul(fg).intoArray(dc, nOff + i);
        }
        PlainKernels.lstmBackward(dhs, dOff, dn, dc, nOff, gates, go, c, prev, next, da, H, i);
    }

    @Override
    public double softmaxLoss(double[] y, int off, double[] b, int n, int target) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        double max = Double.NEGATIVE_INFINITY;
        int j = 0;
        if (n >= lanes) {
            DoubleVector mv = DoubleVector.broadcast(sp, Double.NEGATIVE_INFINITY);
            for (; j + lanes <= n; j += lanes) {
                DoubleVector v = DoubleVector.fromArray(sp, y, off + j).add(DoubleVector.fromArray(sp, b, j));
                v.intoArray(y, off + j);
                mv = mv.max(v);
            }
            max = mv.reduceLanes(VectorOperators.MAX);   // exact in any order
        }
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
    public void tanhBackward(double[] d, int dOff, double[] h, int hOff, double[] e, int eOff, int n) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int i = 0;
        final DoubleVector one = DoubleVector.broadcast(sp, 1.0);
        for (; i + lanes <= n; i += lanes) {
            DoubleVector hv = DoubleVector.fromArray(sp, h, hOff + i);
            DoubleVector dh = DoubleVector.fromArray(sp, d, dOff + i).add(DoubleVector.fromArray(sp, e, eOff + i));
            hv.neg().fma(hv, one).mul(dh).intoArray(d, dOff + i);
        }
        PlainKernels.tanhBackward(d, dOff, h, hOff, e, eOff, n, i);
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
    public void loadTransposed(double[] src, int rows, int cols, Mat<double[]> dst) {
        PlainKernels.INSTANCE.loadTransposed(src, rows, cols, dst);
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
    public void storeAddTransposed(Mat<double[]> src, double[] dst) {
        PlainKernels.INSTANCE.storeAddTransposed(src, dst);
    }

    @Override
    public boolean adagrad(double[] theta, double[] g, double[] m, int n, double bound, double lr, double eps) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        // x − x is 0 for every finite x and NaN for NaN and ±∞: one sum tells if all were finite
        DoubleVector nonFinite = DoubleVector.zero(sp);
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            DoubleVector gv = DoubleVector.fromArray(sp, g, i);
            nonFinite = nonFinite.add(gv.sub(gv));
            if (bound > 0) {
                gv = gv.max(-bound).min(bound);
                gv.intoArray(g, i);
            }
            DoubleVector mv = gv.fma(gv, DoubleVector.fromArray(sp, m, i));
            mv.intoArray(m, i);
            DoubleVector.fromArray(sp, theta, i).sub(gv.mul(lr).div(mv.add(eps).lanewise(VectorOperators.SQRT)))
                    .intoArray(theta, i);
        }
        final boolean finite = !Double.isNaN(nonFinite.reduceLanes(VectorOperators.ADD));
        return PlainKernels.adagrad(theta, g, m, i, n, bound, lr, eps) && finite;
    }

    @Override
    public String describe() {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        return "Vector API, " + lanes + (lanes == 1 ? " double" : " doubles") + " per vector";
    }
}
