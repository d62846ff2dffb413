/**
 * Training: the loop over windows, the update rules (Adagrad, RMSprop, Adam/AdamW behind
 * {@link charrnn.train.Optimizer}), the learning-rate schedules, clipping, and validation
 * ({@code HeldOut}, the held-out text in pieces side by side; {@code Evaluator}, one text read
 * in order).
 */
package charrnn.train;
