/**
 * The text side: reading a UTF-8 corpus into code points, the vocabulary that maps them to
 * indices, the compact encoded corpus, and the windows of it that training walks.
 */
package charrnn.data;
