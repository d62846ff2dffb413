package charrnn.cli;

import java.util.List;

/**
 * Every exit status of the program, in one table: {@code --help} prints it, README.md's table
 * says the same (a test checks both).
 */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INPUT = 3;
    public static final int OUTPUT = 4;
    public static final int MEMORY = 5;
    public static final int INTERNAL = 70;
    public static final int INTERRUPTED = 130;
    public static final int TERMINATED = 143;

    /** One row of the table. */
    record Meaning(int code, String text) {
    }

    /** The table, as {@code --help} shows it. */
    static final List<Meaning> TABLE = List.of(
            new Meaning(OK, "success; gradient check passed"),
            new Meaning(FAILED, "gradient check failed, or training diverged"),
            new Meaning(USAGE, "bad command line: unknown option, invalid value"),
            new Meaning(INPUT, "unusable input file: missing, unreadable, not UTF-8, too short or too long, not a checkpoint"),
            new Meaning(OUTPUT, "cannot or may not write an output: a file charrnn did not write, a full disk, "
                    + "a closed standard output, another run writing the same checkpoint"),
            new Meaning(MEMORY, "out of memory: lower --hidden or --batch-size, or give Java more with -Xmx"),
            new Meaning(INTERNAL, "internal error (a bug; --verbose shows the stack trace)"),
            new Meaning(INTERRUPTED, "stopped by Ctrl-C (SIGINT), after saving a final checkpoint"),
            new Meaning(TERMINATED, "stopped by SIGTERM, after saving a final checkpoint"));

    private ExitCode() {
    }

    /** The table as lines for the end of {@code --help}. */
    static String[] helpLines() {
        String[] lines = new String[TABLE.size() + 1];
        lines[0] = "Exit codes:";
        for (int i = 0; i < TABLE.size(); i++) {
            lines[i + 1] = String.format("  %3d  %s", TABLE.get(i).code(), TABLE.get(i).text());
        }
        return lines;
    }
}
