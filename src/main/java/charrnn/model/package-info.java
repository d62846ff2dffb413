/**
 * The model: its shape and parameters, the forward and backward passes of a stack of tanh RNN,
 * GRU or LSTM layers over a window ({@code Net}, written once for float32 and float64, behind
 * {@code Rnn}), a batch split into parts on threads ({@code BatchRnn}), and the arithmetic they
 * run on ({@code Ops}: plain Java or the Vector API, in each precision, the same bits). It knows
 * nothing of files or the console.
 *
 * <p>Legend: H hidden units, V vocabulary size, T time steps per window, B streams per batch,
 * G gate blocks of the cell, L layers. Parameters are EJML {@code DMatrixRMaj}, row-major
 * float64; inside a pass, matrices are {@code Mat} views over {@code double[]} or
 * {@code float[]}, and weights are packed into {@code Panels}. Activations keep one row per
 * (t, b), row index {@code t*B + b}, so a product over all time steps is one matrix product.
 */
package charrnn.model;
