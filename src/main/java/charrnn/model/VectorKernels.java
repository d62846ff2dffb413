package charrnn.model;

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
    public void combine(double[] s, int sOff, int sStride, int K, double[] m, int mOff, int mStride,
                        double[] c, int cOff, int N, boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        if (N < lanes) {
            PlainKernels.INSTANCE.combine(s, sOff, sStride, K, m, mOff, mStride, c, cOff, N, accumulate);
            return;
        }
        // the last vector, [N−lanes, N): computed from c as it is now and stored last; where it
        // overlaps the chunks below, it computes the same sums in the same order
        final int last = N - lanes;
        final boolean ragged = N % lanes != 0;
        DoubleVector tail = null;
        if (ragged) {
            tail = accumulate ? DoubleVector.fromArray(sp, c, cOff + last) : DoubleVector.zero(sp);
            int si = sOff;
            int mk = mOff + last;
            for (int k = 0; k < K; k++, si += sStride, mk += mStride) {
                tail = DoubleVector.fromArray(sp, m, mk).fma(DoubleVector.broadcast(sp, s[si]), tail);
            }
        }
        int j = 0;
        for (; j + 4 * lanes <= N; j += 4 * lanes) {
            DoubleVector a0;
            DoubleVector a1;
            DoubleVector a2;
            DoubleVector a3;
            if (accumulate) {
                a0 = DoubleVector.fromArray(sp, c, cOff + j);
                a1 = DoubleVector.fromArray(sp, c, cOff + j + lanes);
                a2 = DoubleVector.fromArray(sp, c, cOff + j + 2 * lanes);
                a3 = DoubleVector.fromArray(sp, c, cOff + j + 3 * lanes);
            } else {
                a0 = DoubleVector.zero(sp);
                a1 = a0;
                a2 = a0;
                a3 = a0;
            }
            int si = sOff;
            int mk = mOff + j;
            for (int k = 0; k < K; k++, si += sStride, mk += mStride) {
                final DoubleVector sv = DoubleVector.broadcast(sp, s[si]);
                a0 = DoubleVector.fromArray(sp, m, mk).fma(sv, a0);
                a1 = DoubleVector.fromArray(sp, m, mk + lanes).fma(sv, a1);
                a2 = DoubleVector.fromArray(sp, m, mk + 2 * lanes).fma(sv, a2);
                a3 = DoubleVector.fromArray(sp, m, mk + 3 * lanes).fma(sv, a3);
            }
            a0.intoArray(c, cOff + j);
            a1.intoArray(c, cOff + j + lanes);
            a2.intoArray(c, cOff + j + 2 * lanes);
            a3.intoArray(c, cOff + j + 3 * lanes);
        }
        for (; j + lanes <= N; j += lanes) {
            DoubleVector a = accumulate ? DoubleVector.fromArray(sp, c, cOff + j) : DoubleVector.zero(sp);
            int si = sOff;
            int mk = mOff + j;
            for (int k = 0; k < K; k++, si += sStride, mk += mStride) {
                a = DoubleVector.fromArray(sp, m, mk).fma(DoubleVector.broadcast(sp, s[si]), a);
            }
            a.intoArray(c, cOff + j);
        }
        if (ragged) {
            tail.intoArray(c, cOff + last);
        }
    }

    @Override
    public void combineRows(int rows, double[] s, int sOff, int sRowStep, int sStride, int K,
                            double[] m, int mOff, int mStride, double[] c, int cOff, int cRowStep, int N,
                            boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        int q = 0;
        if (N >= lanes) {
            for (; q + 4 <= rows; q += 4) {
                combine4(s, sOff + q * sRowStep, sRowStep, sStride, K, m, mOff, mStride,
                        c, cOff + q * cRowStep, cRowStep, N, accumulate);
            }
        }
        for (; q < rows; q++) {
            combine(s, sOff + q * sRowStep, sStride, K, m, mOff, mStride, c, cOff + q * cRowStep, N, accumulate);
        }
    }

    /** Four output rows, two vectors of each per step of k: eight accumulators, two loads of m. */
    private void combine4(double[] s, int s0, int sRowStep, int sStride, int K, double[] m, int mOff,
                                 int mStride, double[] c, int c0, int cRowStep, int N, boolean accumulate) {
        final VectorSpecies<Double> sp = species();
        final int lanes = sp.length();
        final int s1 = s0 + sRowStep;
        final int s2 = s1 + sRowStep;
        final int s3 = s2 + sRowStep;
        final int c1 = c0 + cRowStep;
        final int c2 = c1 + cRowStep;
        final int c3 = c2 + cRowStep;
        final int last = N - lanes;
        final boolean ragged = N % lanes != 0;
        DoubleVector t0 = null;
        DoubleVector t1 = null;
        DoubleVector t2 = null;
        DoubleVector t3 = null;
        if (ragged) {   // the last, overlapping vector of each row, from c as it is now; stored last
            if (accumulate) {
                t0 = DoubleVector.fromArray(sp, c, c0 + last);
                t1 = DoubleVector.fromArray(sp, c, c1 + last);
                t2 = DoubleVector.fromArray(sp, c, c2 + last);
                t3 = DoubleVector.fromArray(sp, c, c3 + last);
            } else {
                t0 = DoubleVector.zero(sp);
                t1 = t0;
                t2 = t0;
                t3 = t0;
            }
            int mk = mOff + last;
            for (int k = 0, sk = 0; k < K; k++, sk += sStride, mk += mStride) {
                final DoubleVector mv = DoubleVector.fromArray(sp, m, mk);
                t0 = mv.fma(DoubleVector.broadcast(sp, s[s0 + sk]), t0);
                t1 = mv.fma(DoubleVector.broadcast(sp, s[s1 + sk]), t1);
                t2 = mv.fma(DoubleVector.broadcast(sp, s[s2 + sk]), t2);
                t3 = mv.fma(DoubleVector.broadcast(sp, s[s3 + sk]), t3);
            }
        }
        int j = 0;
        for (; j + 2 * lanes <= N; j += 2 * lanes) {
            DoubleVector a0;
            DoubleVector b0;
            DoubleVector a1;
            DoubleVector b1;
            DoubleVector a2;
            DoubleVector b2;
            DoubleVector a3;
            DoubleVector b3;
            if (accumulate) {
                a0 = DoubleVector.fromArray(sp, c, c0 + j);
                b0 = DoubleVector.fromArray(sp, c, c0 + j + lanes);
                a1 = DoubleVector.fromArray(sp, c, c1 + j);
                b1 = DoubleVector.fromArray(sp, c, c1 + j + lanes);
                a2 = DoubleVector.fromArray(sp, c, c2 + j);
                b2 = DoubleVector.fromArray(sp, c, c2 + j + lanes);
                a3 = DoubleVector.fromArray(sp, c, c3 + j);
                b3 = DoubleVector.fromArray(sp, c, c3 + j + lanes);
            } else {
                a0 = DoubleVector.zero(sp);
                b0 = a0;
                a1 = a0;
                b1 = a0;
                a2 = a0;
                b2 = a0;
                a3 = a0;
                b3 = a0;
            }
            int mk = mOff + j;
            for (int k = 0, sk = 0; k < K; k++, sk += sStride, mk += mStride) {
                final DoubleVector ma = DoubleVector.fromArray(sp, m, mk);
                final DoubleVector mb = DoubleVector.fromArray(sp, m, mk + lanes);
                final DoubleVector v0 = DoubleVector.broadcast(sp, s[s0 + sk]);
                final DoubleVector v1 = DoubleVector.broadcast(sp, s[s1 + sk]);
                final DoubleVector v2 = DoubleVector.broadcast(sp, s[s2 + sk]);
                final DoubleVector v3 = DoubleVector.broadcast(sp, s[s3 + sk]);
                a0 = ma.fma(v0, a0);
                b0 = mb.fma(v0, b0);
                a1 = ma.fma(v1, a1);
                b1 = mb.fma(v1, b1);
                a2 = ma.fma(v2, a2);
                b2 = mb.fma(v2, b2);
                a3 = ma.fma(v3, a3);
                b3 = mb.fma(v3, b3);
            }
            a0.intoArray(c, c0 + j);
            b0.intoArray(c, c0 + j + lanes);
            a1.intoArray(c, c1 + j);
            b1.intoArray(c, c1 + j + lanes);
            a2.intoArray(c, c2 + j);
            b2.intoArray(c, c2 + j + lanes);
            a3.intoArray(c, c3 + j);
            b3.intoArray(c, c3 + j + lanes);
        }
        for (; j + lanes <= N; j += lanes) {
            DoubleVector a0 = accumulate ? DoubleVector.fromArray(sp, c, c0 + j) : DoubleVector.zero(sp);
            DoubleVector a1 = accumulate ? DoubleVector.fromArray(sp, c, c1 + j) : DoubleVector.zero(sp);
            DoubleVector a2 = accumulate ? DoubleVector.fromArray(sp, c, c2 + j) : DoubleVector.zero(sp);
            DoubleVector a3 = accumulate ? DoubleVector.fromArray(sp, c, c3 + j) : DoubleVector.zero(sp);
            int mk = mOff + j;
            for (int k = 0, sk = 0; k < K; k++, sk += sStride, mk += mStride) {
                final DoubleVector mv = DoubleVector.fromArray(sp, m, mk);
                a0 = mv.fma(DoubleVector.broadcast(sp, s[s0 + sk]), a0);
                a1 = mv.fma(DoubleVector.broadcast(sp, s[s1 + sk]), a1);
                a2 = mv.fma(DoubleVector.broadcast(sp, s[s2 + sk]), a2);
                a3 = mv.fma(DoubleVector.broadcast(sp, s[s3 + sk]), a3);
            }
            a0.intoArray(c, c0 + j);
            a1.intoArray(c, c1 + j);
            a2.intoArray(c, c2 + j);
            a3.intoArray(c, c3 + j);
        }
        if (ragged) {
            t0.intoArray(c, c0 + last);
            t1.intoArray(c, c1 + last);
            t2.intoArray(c, c2 + last);
            t3.intoArray(c, c3 + last);
        }
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
    public double softmax(double[] y, int off, double[] b, int n) {
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
        return ExactMath.log(sum) + max;
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
    public void scale(double[] x, int off, int n, double a) {
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
