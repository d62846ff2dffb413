/** The command line: options, output lines, exit codes and error messages. */
package charrnn.cli;
