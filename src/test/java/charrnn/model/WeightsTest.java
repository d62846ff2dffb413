package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import charrnn.config.Cell;
import charrnn.config.Precision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weights in the compute format: loaded in pieces, in any order, they are the copy loaded whole. */
class WeightsTest {

    /** Every array of a copy, as float64 numbers, in a fixed order. */
    private static <A> List<double[]> arrays(Weights<A> w) {
        final List<Object> raw = new ArrayList<>();
        for (Weights.Layer<A> l : w.layers) {
            raw.add(l.WhhT().data());
            raw.add(l.Whh().data());
            raw.add(l.table() == null ? null : l.table().data());
            raw.add(l.WxhT() == null ? null : l.WxhT().data());
            raw.add(l.Wxh() == null ? null : l.Wxh().data());
            raw.add(l.bh());
        }
        raw.add(w.WhyT.data());
        raw.add(w.Why.data());
        raw.add(w.by);
        final List<double[]> out = new ArrayList<>();
        for (Object a : raw) {
            if (a == null) {
                out.add(new double[0]);
            } else if (a instanceof float[] f) {
                final double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                out.add(d);
            } else {
                out.add(((double[]) a).clone());
            }
        }
        return out;
    }

    /** p with every entry uniform in [−0.5, 0.5). */
    private static Params uniform(Params p, Rng rng) {
        for (org.ejml.data.DMatrixRMaj m : p.all()) {
            for (int i = 0; i < m.data.length; i++) {
                m.data[i] = rng.nextDouble() - 0.5;
            }
        }
        return p;
    }

    private static <A> void check(Ops<A> ops, Cell cell, int L) {
        final int H = 37;
        final int V = 11;
        final Params p = uniform(new Params(H, V, cell.gates(), L), new Rng(5));
        final Weights<A> whole = new Weights<>(ops, cell, H, V, L);
        for (int l = 0; l < L; l++) {
            whole.loadLayer(p, l);
        }
        whole.loadOutput(p);
        final List<double[]> expected = arrays(whole);
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).length > 0) {
                assertNotEquals(0.0, java.util.Arrays.stream(expected.get(i)).map(Math::abs).sum(),
                        "array " + i + " was loaded");
            }
        }
        for (int pieces = 1; pieces <= 2 + 5 * L + 3; pieces++) {
            final Weights<A> w = new Weights<>(ops, cell, H, V, L);
            for (int piece = pieces - 1; piece >= 0; piece--) {
                w.load(p, piece, pieces);
            }
            final List<double[]> got = arrays(w);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i), 0.0, cell + " L=" + L + " " + ops.describe()
                        + ": array " + i + " in " + pieces + " pieces");
            }
        }
    }

    /** Rows in stretches of any length, matrices and stretches in any order: what a whole load loads. */
    private static <A> void checkRows(Ops<A> ops, Cell cell, int L) {
        final int H = 37;
        final int V = 19;       // a vector of 16 and more: Why's panels as the vector kernels lay them out
        final Params p = uniform(new Params(H, V, cell.gates(), L), new Rng(6));
        final Weights<A> whole = new Weights<>(ops, cell, H, V, L);
        whole.load(p, 0, 1);
        final List<double[]> expected = arrays(whole);
        for (int stretch : new int[] {1, 5, 16, 17, 1000}) {
            final Weights<A> w = new Weights<>(ops, cell, H, V, L);
            for (int m = p.all().length - 1; m >= 0; m--) {
                final int rows = p.all()[m].numRows;
                for (int to = rows; to > 0; to -= stretch) {
                    w.loadRows(p, m, Math.max(0, to - stretch), to);
                }
            }
            final List<double[]> got = arrays(w);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i), 0.0, cell + " L=" + L + " " + ops.describe()
                        + ": array " + i + " in stretches of " + stretch + " rows");
            }
        }
    }

    @Test
    void rowsInStretchesInAnyOrderLoadWhatAWholeLoadLoads() {
        for (Cell cell : Cell.values()) {
            for (int L : new int[] {1, 2}) {
                for (Kernels k : new Kernels[] {Kernels.plain(), Kernels.best()}) {
                    checkRows(k, cell, L);
                    checkRows(k.ops(Precision.FLOAT32), cell, L);
                }
            }
        }
    }

    @Test
    void piecesInAnyNumberAndOrderLoadWhatAWholeLoadLoads() {
        for (Cell cell : Cell.values()) {
            for (int L : new int[] {1, 3}) {
                for (Kernels k : new Kernels[] {Kernels.plain(), Kernels.best()}) {
                    check(k, cell, L);
                    check(k.ops(Precision.FLOAT32), cell, L);
                }
            }
        }
    }
}
