/** The gradient check: backpropagation compared with centred finite differences. */
package charrnn.check;
