package charrnn.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, shared by every command: stack traces of internal errors (see {@link Verbosity}). */
final class VerboseOption {
    @Option(names = "--verbose", description = "Show stack traces of internal errors.")
    boolean verbose;
}
