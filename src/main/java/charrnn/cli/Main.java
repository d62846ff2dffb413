package charrnn.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point: {@code java -jar charrnn.jar [OPTIONS] CORPUS}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = utf8(System.out);
        PrintWriter err = utf8(System.err);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the program with the given output streams and returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Object command = command(args);
        CommandLine cl = commandLine(command, out, err);
        int code = cl.execute(arguments(args, command));
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command for these arguments: {@code sample}, {@code eval}, {@code plot} or {@code explain} when the
     * first argument names one, training otherwise. Only that one command is built: picocli
     * reads every command's annotations when it is built, and for {@code --help} that reading
     * is most of the start-up time.
     */
    static Object command(String[] args) {
        String first = args.length > 0 ? args[0] : "";
        return switch (first) {
            case "sample" -> new SampleCommand();
            case "eval" -> new EvalCommand();
            case "plot" -> new PlotCommand();
            case "explain" -> new ExplainCommand();
            default -> new TrainCommand();
        };
    }

    /** The arguments for {@link #command}: without the command's name. */
    static String[] arguments(String[] args, Object command) {
        return command instanceof TrainCommand ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
    }

    static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("charrnn: " + ex.getMessage() + " (see --help)");
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof CommandLine.ParameterException pe) {
                e.println("charrnn: " + pe.getMessage() + " (see --help)");
                return ExitCode.USAGE;
            }
            e.println("charrnn: internal error: " + ex + " (run with --verbose for details, and please report it)");
            if (Verbosity.enabled(parseResult)) {
                ex.printStackTrace(e);
            }
            return ExitCode.INTERNAL;
        });
        return cl;
    }

    private static PrintWriter utf8(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
