package charrnn.cli;

import java.io.OutputStreamWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import charrnn.data.InputException;
import charrnn.io.OutputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;

/** Entry point: {@code java -jar charrnn.jar [OPTIONS] CORPUS}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (Launcher.wanted(args)) {
            int code = Launcher.relaunch(args);
            if (code >= 0) {
                System.exit(code);
            }
            // no child JVM could be started: run here, on the plain kernels
        }
        Launcher.watchParent();
        // straight to the file descriptors: System.out would swallow a closed pipe's errors,
        // which the commands check for to stop writing what no one reads
        PrintWriter out = utf8(new FileOutputStream(FileDescriptor.out));
        PrintWriter err = utf8(new FileOutputStream(FileDescriptor.err));
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the program with the given output streams and returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Object command = command(args);
        CommandLine cl = commandLine(command, out, err);
        int code;
        try {
            code = cl.execute(arguments(args, command));
        } catch (OutOfMemoryError e) {
            // thrown past picocli, which handles exceptions only
            err.println("charrnn: " + outOfMemory());
            code = ExitCode.MEMORY;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The line for a run out of memory: how much it had, and what to lower. */
    static String outOfMemory() {
        long mb = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory (Java may use at most " + mb + " MB here): lower --hidden or --batch-size, "
                + "or give Java more memory, e.g. java -Xmx" + Math.max(2, 2 * ((mb + 1023) >> 10)) + "g -jar charrnn.jar ...";
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
        cl.registerConverter(Path.class, Main::path);
        cl.setOut(out);
        cl.setErr(err);
        String[] footer = cl.getCommandSpec().usageMessage().footer();
        String[] codes = ExitCode.helpLines();
        String[] both = java.util.Arrays.copyOf(footer, footer.length + 1 + codes.length);
        both[footer.length] = "";
        System.arraycopy(codes, 0, both, footer.length + 1, codes.length);
        cl.getCommandSpec().usageMessage().footer(both);
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
            int code = exitCode(ex);
            if (code == ExitCode.INTERNAL) {
                e.println("charrnn: internal error: " + ex + " (run with --verbose for details, and please report it)");
                if (Verbosity.enabled(parseResult)) {
                    ex.printStackTrace(e);
                }
            } else {
                e.println("charrnn: " + ex.getMessage());
            }
            return code;
        });
        return cl;
    }

    /** The exit code of an exception a command let out: the table's, or internal error. */
    static int exitCode(Exception ex) {
        if (ex instanceof Failure f) {
            return f.code;
        }
        if (ex instanceof InputException) {
            return ExitCode.INPUT;
        }
        if (ex instanceof OutputException) {
            return ExitCode.OUTPUT;
        }
        return ExitCode.INTERNAL;
    }

    /**
     * A path from the command line. A name that this system's character set cannot encode
     * (a non-ASCII name under LC_ALL=C) is refused with a hint, not a Java exception.
     */
    private static Path path(String name) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new CommandLine.TypeConversionException("cannot use the file name '" + name + "': "
                    + (name.chars().anyMatch(c -> c > 127)
                    ? "this system's character set (" + System.getProperty("sun.jnu.encoding")
                    + ") cannot encode it; run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8"
                    : e.getReason()));
        }
    }

    private static PrintWriter utf8(OutputStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
