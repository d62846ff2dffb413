/**
 * Files the program writes and reads back: the versioned, checksummed, validated checkpoint, the
 * metrics log, and {@code OutputFile}, the one way a file is written (atomically, and only over
 * a file charrnn wrote itself), with the run lock that keeps two runs off one checkpoint.
 */
package charrnn.io;
