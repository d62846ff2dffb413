/** The hyperparameters of a run: one validated record that every other package reads. */
package charrnn.config;
