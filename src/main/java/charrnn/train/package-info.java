/** Training: the loop over windows, gradient clipping and the Adagrad update. */
package charrnn.train;
