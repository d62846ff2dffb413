/**
 * The model: its shape and parameters, the forward and backward passes of a stack of tanh RNN,
 * GRU or LSTM layers over a window ({@code Rnn}), a batch split into parts on threads
 * ({@code BatchRnn}), and the kernels they run on (plain Java, or the Vector API). It knows
 * nothing of files or the console.
 *
 * <p>Legend: H hidden units, V vocabulary size, T time steps per window, B streams per batch.
 * Matrices are EJML {@code DMatrixRMaj}, row-major. Activations keep one row per (t, b), row
 * index {@code t*B + b}, so a product over all time steps is one matrix-matrix product.
 */
package charrnn.model;
