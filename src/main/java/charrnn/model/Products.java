package charrnn.model;

/** What every implementation of {@link Ops#product} checks, and the tile of the transposes. */
final class Products {
    /** Tile edge of the transposes: a tile of the source and one of the target stay in L1. */
    static final int TILE = 16;
    /**
     * Rows k of a slab packed at a time (see {@code VectorFloats.loadPanels}): transposed, the
     * slab's up to 64 source rows are read this many numbers each while the tile's rows are
     * written. `ProductBench batch1`, 1536×512, ns per number, against the whole slab at once:
     * transposed 0.85 (0.93) in float32, 0.66 (1.01) in float64; as given 0.47 (0.60) and 0.54
     * (0.87); 16 and 32 rows were slower transposed.
     */
    static final int PACK_ROWS = 64;

    private Products() {
    }

    /**
     * K of c (+)= op(a)·b, after checking that the shapes fit and that c shares no storage
     * with a or b.
     */
    static <A> int check(Mat<A> a, boolean transA, Mat<A> b, Mat<A> c) {
        final int M = transA ? a.cols() : a.rows();
        final int K = transA ? a.rows() : a.cols();
        if (M != c.rows() || K != b.rows() || b.cols() != c.cols()) {
            throw new IllegalArgumentException("product of " + a.rows() + "×" + a.cols() + (transA ? "ᵀ" : "")
                    + " and " + b.rows() + "×" + b.cols() + " into " + c.rows() + "×" + c.cols());
        }
        if (c.data() == a.data() && overlap(a, c) || c.data() == b.data() && overlap(b, c)) {
            throw new IllegalArgumentException("a product's result overlaps one of its factors");
        }
        return K;
    }

    /** K of c = a·b for b in panels, after checking that the shapes fit. */
    static <A> int check(Mat<A> a, Panels<A> b, Mat<A> c) {
        if (a.rows() != c.rows() || a.cols() != b.rows() || b.cols() != c.cols()) {
            throw new IllegalArgumentException("product of " + a.rows() + "×" + a.cols() + " and " + b.rows() + "×"
                    + b.cols() + " into " + c.rows() + "×" + c.cols());
        }
        return a.cols();
    }

    /** K of c = aᵀ·b for b in panels, after checking that the shapes fit. */
    static <A> int checkTransA(Mat<A> a, Panels<A> b, Mat<A> c) {
        if (a.cols() != c.rows() || a.rows() != b.rows() || b.cols() != c.cols()) {
            throw new IllegalArgumentException("product of " + a.rows() + "×" + a.cols() + "ᵀ and " + b.rows() + "×"
                    + b.cols() + " into " + c.rows() + "×" + c.cols());
        }
        return a.rows();
    }

    static <A> void checkPanels(int K, int N, Panels<A> dst) {
        if (dst.rows() != K || dst.cols() != N) {
            throw new IllegalArgumentException(K + "×" + N + " into panels of " + dst.rows() + "×" + dst.cols());
        }
    }

    private static <A> boolean overlap(Mat<A> x, Mat<A> y) {
        return x.off() < y.off() + y.size() && y.off() < x.off() + x.size();
    }

    /** Rows [from, to) of a matrix of {@code rows} rows. */
    static void checkRows(int rows, int from, int to) {
        if (from < 0 || from > to || to > rows) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
        }
    }

    static <A> void checkTransposed(int rows, int cols, Mat<A> dst) {
        if (dst.rows() != cols || dst.cols() != rows) {
            throw new IllegalArgumentException("the transpose of " + rows + "×" + cols + " into "
                    + dst.rows() + "×" + dst.cols());
        }
    }
}
