/** Drawing text from a trained model: one step at a time, with temperature or greedily. */
package charrnn.sample;
