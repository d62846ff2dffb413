/**
 * Training: the loop over windows, the clipped Adagrad update, and validation ({@code HeldOut},
 * the held-out text in pieces side by side; {@code Evaluator}, one text read in order).
 */
package charrnn.train;
