/**
 * The model: parameters, the forward and backward passes of the tanh RNN over a window, and the
 * matrix kernels they run on. It knows nothing of files or the console.
 *
 * <p>Legend: H hidden units, V vocabulary size, T time steps per window, B streams per batch.
 * Matrices are EJML {@code DMatrixRMaj}, row-major. Activations keep one row per (t, b), row
 * index {@code t*B + b}, so a product over all time steps is one matrix-matrix product.
 */
package charrnn.model;
