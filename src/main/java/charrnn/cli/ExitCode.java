package charrnn.cli;

/**
 * Every exit status of the program, in one table.
 *
 * <table>
 *   <caption>exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>success (and a gradient check that passed)</td></tr>
 *   <tr><td>1</td><td>the gradient check failed, or training diverged</td></tr>
 *   <tr><td>2</td><td>bad command line: an unknown option or an invalid value</td></tr>
 *   <tr><td>3</td><td>an input file that cannot be used: missing, unreadable, not UTF-8, too short</td></tr>
 *   <tr><td>4</td><td>an output file that cannot be written</td></tr>
 *   <tr><td>70</td><td>an internal error (a bug): please report it, with --verbose output</td></tr>
 *   <tr><td>130</td><td>interrupted</td></tr>
 * </table>
 */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INPUT = 3;
    public static final int OUTPUT = 4;
    public static final int INTERNAL = 70;
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
