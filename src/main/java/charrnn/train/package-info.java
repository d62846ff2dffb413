/**
 * Training: the loop over windows, the update rules (Adagrad, RMSprop, Adam/AdamW behind
 * {@link charrnn.train.Optimizer}), the learning-rate schedules, clipping, validation.
 */
package charrnn.train;
