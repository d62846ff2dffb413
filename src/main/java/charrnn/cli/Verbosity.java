package charrnn.cli;

import picocli.CommandLine;

/** Whether {@code --verbose} was given: stack traces are shown only then. */
final class Verbosity {
    private Verbosity() {
    }

    static boolean enabled(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult r = parseResult;
        while (r != null) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
            r = r.subcommand();
        }
        return false;
    }
}
