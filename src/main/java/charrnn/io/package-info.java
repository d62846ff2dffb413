/**
 * Files the program writes and reads back: the versioned, checksummed checkpoint, written
 * atomically.
 */
package charrnn.io;
