package charrnn.model;

import charrnn.config.Cell;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
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

    /** Rows [from, to) of a copy's source matrix into the copy. */
    @FunctionalInterface
    private interface Rows {
        void load(Params p, int from, int to);
    }

    /**
     * One layout of one matrix or bias of Params: how many numbers, which matrix of Params it is
     * made from, and how to copy a range of that matrix's rows into it.
     */
    private record Copy(long numbers, Function<Params, DMatrixRMaj> source, Rows rows) {
        void whole(Params p) {
            rows.load(p, 0, source.apply(p).numRows);
        }
    }

    Weights(Ops<A> k, Cell cell, int H, int V, int L) {
        final int GH = cell.gates() * H;
        final List<Layer<A>> stack = new ArrayList<>();
        final List<List<Copy>> all = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            final int at = l;
            final Layer<A> w = new Layer<>(k.panels(H, GH), k.panels(GH, H), l == 0 ? Mat.of(k, V, GH) : null,
                    l == 0 ? null : k.panels(H, GH), l == 0 ? null : k.panels(GH, H), k.alloc(GH));
            stack.add(w);
            final Function<Params, DMatrixRMaj> whh = p -> p.Whh[at];
            final Function<Params, DMatrixRMaj> wxh = p -> p.Wxh[at];
            final List<Copy> copies = new ArrayList<>();
            copies.add(new Copy((long) GH * H, whh,
                    (p, from, to) -> k.loadPanels(p.Whh[at].data, GH, H, true, w.WhhT(), from, to)));
            copies.add(new Copy((long) GH * H, whh,
                    (p, from, to) -> k.loadPanels(p.Whh[at].data, GH, H, false, w.Whh(), from, to)));
            if (l == 0) {
                copies.add(new Copy((long) GH * V, wxh,
                        (p, from, to) -> k.loadTransposed(p.Wxh[0].data, GH, V, w.table(), from, to)));
            } else {
                copies.add(new Copy((long) GH * H, wxh,
                        (p, from, to) -> k.loadPanels(p.Wxh[at].data, GH, H, true, w.WxhT(), from, to)));
                copies.add(new Copy((long) GH * H, wxh,
                        (p, from, to) -> k.loadPanels(p.Wxh[at].data, GH, H, false, w.Wxh(), from, to)));
            }
            copies.add(new Copy(GH, p -> p.bh[at],
                    (p, from, to) -> k.load(p.bh[at].data, from, w.bh(), from, to - from)));
            all.add(List.copyOf(copies));
        }
        layers = List.copyOf(stack);
        WhyT = k.panels(H, V);
        Why = k.panels(V, H);
        by = k.alloc(V);
        all.add(List.of(
                new Copy((long) V * H, p -> p.Why, (p, from, to) -> k.loadPanels(p.Why.data, V, H, true, WhyT, from, to)),
                new Copy((long) V * H, p -> p.Why, (p, from, to) -> k.loadPanels(p.Why.data, V, H, false, Why, from, to)),
                new Copy(V, p -> p.by, (p, from, to) -> k.load(p.by.data, from, by, from, to - from))));
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

    /** What a copy costs besides its numbers: its record, its lambdas, its slots in the lists. */
    private static final long COPY_BYTES = 128;
    /** The object, its lists, the layers' records. */
    private static final long FIXED_BYTES = 256;

    /** Layer l's weights from {@code p}. */
    void loadLayer(Params p, int l) {
        final List<Copy> layer = byLayer.get(l);
        for (int i = 0; i < layer.size(); i++) {
            layer.get(i).whole(p);
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
        for (int i = 0; i < copies.size(); i++) {
            final Copy copy = copies.get(i);
            if (copy.source.apply(p) == w) {
                copy.rows.load(p, from, to);
            }
        }
    }

    /**
     * Piece {@code piece} of {@code pieces} of all the weights from {@code p}: every
     * {@code pieces}-th copy, largest first, from the piece's index. All the pieces together
     * load each matrix once.
     */
    void load(Params p, int piece, int pieces) {
        for (int i = piece; i < copies.size(); i += pieces) {
            copies.get(i).whole(p);
        }
    }
}
