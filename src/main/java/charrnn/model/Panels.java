package charrnn.model;

/**
 * A K×N right-hand factor of products, a weight matrix, in the layout the {@link Ops} that
 * made it reads fastest: row-major for the plain kernels, slab after slab of side-by-side
 * vectors for the Vector API's (see {@code VectorKernels.panels}). Made by {@link Ops#panels},
 * filled by {@link Ops#loadPanels}, read by {@link Ops#mult(Mat, Panels, Mat)} of the same Ops.
 *
 * @param <A> {@code double[]} or {@code float[]}
 */
public record Panels<A>(A data, int rows, int cols) {
}
