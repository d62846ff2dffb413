package charrnn.model;

import charrnn.config.Cell;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.ejml.data.DMatrixRMaj;

/**
 * The weights of a {@link Net} in its compute format, in the layouts its products read: for
 * layer l, Whhᵀ (the recurrence) and Whh (its backpropagation); for layer 0 the table Wxh⁰ᵀ,
 * whose row x is column x of Wxh⁰; above it Wxhᵀ (the input term) and Wxh (∂J/∂h of the layer
 * below); bh; and for the output Whyᵀ (the scores), Why (dh of the top layer) and by.
 *
 * <p>A model alone holds its own copy and refreshes it from the float64 {@link Params} in each
 * pass that sees new weights. The parts of a batch share one copy, which the batch refreshes
 * once per update, its threads each loading a share of the matrices ({@link #load(Params, int,
 * int)}): copying is exact rounding, so who copies what changes no bit.
 *
 * @param <A> {@code double[]} or {@code float[]}
 */
final class Weights<A> {
    /** Layer l's weights (table for layer 0, WxhT and Wxh above it; the others null). */
    record Layer<A>(Panels<A> WhhT, Panels<A> Whh, Mat<A> table, Panels<A> WxhT, Panels<A> Wxh, A bh) {
    }

    final List<Layer<A>> layers;
    final Panels<A> WhyT;       // H×V   Whyᵀ, for the scores
    final Panels<A> Why;        // V×H   for dh of the top layer
    final A by;                 // V

    /** One copy each, largest first, so that dealing them out in turn gives each piece a like share. */
    private final List<Copy> copies;
    /** The copies of layer l, then (index L) those of the output layer. */
    private final List<List<Copy>> byLayer;

    /** One matrix or bias copied from Params: how many numbers, and the copy itself. */
    private record Copy(long numbers, Consumer<Params> run) {
    }

    private final Ops<A> k;

    Weights(Ops<A> k, Cell cell, int H, int V, int L) {
        this.k = k;
        final int GH = cell.gates() * H;
        final List<Layer<A>> stack = new ArrayList<>();
        final List<List<Copy>> all = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            final int at = l;
            final Layer<A> w = new Layer<>(k.panels(H, GH), k.panels(GH, H), l == 0 ? Mat.of(k, V, GH) : null,
                    l == 0 ? null : k.panels(H, GH), l == 0 ? null : k.panels(GH, H), k.alloc(GH));
            stack.add(w);
            final List<Copy> copies = new ArrayList<>();
            copies.add(new Copy((long) GH * H, p -> k.loadPanels(p.Whh[at].data, GH, H, true, w.WhhT())));
            copies.add(new Copy((long) GH * H, p -> k.loadPanels(p.Whh[at].data, GH, H, false, w.Whh())));
            if (l == 0) {
                copies.add(new Copy((long) GH * V, p -> k.loadTransposed(p.Wxh[0].data, GH, V, w.table())));
            } else {
                copies.add(new Copy((long) GH * H, p -> k.loadPanels(p.Wxh[at].data, GH, H, true, w.WxhT())));
                copies.add(new Copy((long) GH * H, p -> k.loadPanels(p.Wxh[at].data, GH, H, false, w.Wxh())));
            }
            copies.add(new Copy(GH, p -> k.load(p.bh[at].data, 0, w.bh(), 0, GH)));
            all.add(List.copyOf(copies));
        }
        layers = List.copyOf(stack);
        WhyT = k.panels(H, V);
        Why = k.panels(V, H);
        by = k.alloc(V);
        all.add(List.of(
                new Copy((long) V * H, p -> k.loadPanels(p.Why.data, V, H, true, WhyT)),
                new Copy((long) V * H, p -> k.loadPanels(p.Why.data, V, H, false, Why)),
                new Copy(V, p -> k.load(p.by.data, 0, by, 0, V))));
        byLayer = List.copyOf(all);
        final List<Copy> sorted = new ArrayList<>();
        all.forEach(sorted::addAll);
        sorted.sort(Comparator.comparingLong(Copy::numbers).reversed());
        copies = List.copyOf(sorted);
    }

    /** Bytes the weights of a model of this shape take (see {@link Net#bytes}). */
    static long bytes(Ops<?> k, Cell cell, int H, int V, int L) {
        final int GH = cell.gates() * H;
        long numbers = 0;
        for (int l = 0; l < L; l++) {
            numbers += k.panelsSize(H, GH) + k.panelsSize(GH, H) + GH;                          // WhhT, Whh, bh
            numbers += l == 0 ? (long) V * GH : k.panelsSize(H, GH) + k.panelsSize(GH, H);     // table, or WxhT, Wxh
        }
        numbers += k.panelsSize(H, V) + k.panelsSize(V, H) + V;                                  // WhyT, Why, by
        final long copies = 5L * L - 1 + 3;
        return numbers * k.bytes() + copies * COPY_BYTES + FIXED_BYTES;
    }

    /** What a copy costs besides its numbers: its record, its lambda, its slots in the lists. */
    private static final long COPY_BYTES = 128;
    /** The object, its lists, the layers' records. */
    private static final long FIXED_BYTES = 256;

    /** Layer l's weights from {@code p}. */
    void loadLayer(Params p, int l) {
        final List<Copy> layer = byLayer.get(l);
        for (int i = 0; i < layer.size(); i++) {
            layer.get(i).run.accept(p);
        }
    }

    /** The output layer's weights from {@code p}. */
    void loadOutput(Params p) {
        loadLayer(p, layers.size());
    }

    /**
     * Rows [from, to) of matrix {@code m} of {@code p} (one of {@link Params#all()}) into every
     * copy of it, fresh from the optimizer's step while they are still in cache: the same numbers
     * as a {@link #load} after the step, since every number is rounded alone.
     */
    void loadRows(Params p, int m, int from, int to) {
        final DMatrixRMaj w = p.all()[m];
        final int rows = w.numRows;
        final int cols = w.numCols;
        for (int l = 0; l < layers.size(); l++) {
            final Layer<A> layer = layers.get(l);
            if (w == p.Whh[l]) {
                k.loadPanels(w.data, rows, cols, true, layer.WhhT(), from, to);
                k.loadPanels(w.data, rows, cols, false, layer.Whh(), from, to);
                return;
            }
            if (w == p.Wxh[l]) {
                if (l == 0) {
                    k.loadTransposed(w.data, rows, cols, layer.table(), from, to);
                } else {
                    k.loadPanels(w.data, rows, cols, true, layer.WxhT(), from, to);
                    k.loadPanels(w.data, rows, cols, false, layer.Wxh(), from, to);
                }
                return;
            }
            if (w == p.bh[l]) {
                k.load(w.data, from, layer.bh(), from, to - from);
                return;
            }
        }
        if (w == p.Why) {
            k.loadPanels(w.data, rows, cols, true, WhyT, from, to);
            k.loadPanels(w.data, rows, cols, false, Why, from, to);
        } else if (w == p.by) {
            k.load(w.data, from, by, from, to - from);
        } else {
            throw new IllegalStateException("matrix " + m + " of the Params is none of its fields");
        }
    }

    /**
     * Piece {@code piece} of {@code pieces} of all the weights from {@code p}: every
     * {@code pieces}-th copy, largest first, from the piece's index. All the pieces together
     * load each matrix once.
     */
    void load(Params p, int piece, int pieces) {
        for (int i = piece; i < copies.size(); i += pieces) {
            copies.get(i).run.accept(p);
        }
    }
}
