package charrnn.model;

/**
 * A dense row-major matrix in the compute format's storage ({@code double[]} or
 * {@code float[]}), or a block of consecutive rows of one: rows × cols numbers from
 * {@code data[off]}, row i at {@code off + i·cols}. Views are made once, where the buffers are
 * allocated, so the passes name the h_{t−1} and h_t of their equations without arithmetic on
 * offsets and without allocating.
 *
 * @param <A> {@code double[]} or {@code float[]}
 */
public record Mat<A>(A data, int off, int rows, int cols) {

    /** A new matrix of rows × cols zeros. */
    static <A> Mat<A> of(Ops<A> ops, int rows, int cols) {
        return new Mat<>(ops.alloc(rows * cols), 0, rows, cols);
    }

    /** The {@code count} rows from row {@code first}. */
    Mat<A> rows(int first, int count) {
        if (first < 0 || count < 0 || first + count > rows) {
            throw new IndexOutOfBoundsException("rows " + first + ".." + (first + count) + " of " + rows);
        }
        return new Mat<>(data, off + first * cols, count, cols);
    }

    /** Where row i starts in {@link #data}. */
    int at(int i) {
        return off + i * cols;
    }

    /** rows · cols. */
    int size() {
        return rows * cols;
    }
}
