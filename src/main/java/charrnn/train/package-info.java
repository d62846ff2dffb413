/** Training: the loop over windows, the clipped Adagrad update, validation. */
package charrnn.train;
