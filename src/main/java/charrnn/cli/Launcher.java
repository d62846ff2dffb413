package charrnn.cli;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes {@code java -jar charrnn.jar ...} the fast program: when the JDK's Vector API module is
 * on this runtime but was not added to this JVM (the user typed no flag), the command runs in a
 * child JVM that has it, with the user's own JVM options, streams and signals.
 *
 * <ul>
 *   <li>Decided before picocli loads, from the arguments alone: {@code --help}, {@code --version}
 *       and {@code plot}, which do no arithmetic, stay in this JVM and start as fast as before.</li>
 *   <li>The child inherits stdin and stdout (a terminal stays a terminal, for the progress line);
 *       its stderr passes through this process line by line, less the JVM's own
 *       {@code WARNING: Using incubator modules} line (kept with {@code --verbose}).</li>
 *   <li>The child's exit code is this process's. SIGINT and SIGTERM sent to this process are
 *       passed on: the child saves its final checkpoint and both end with 130 or 143. A child
 *       whose parent dies (kill -9) stops the same way instead of running on as an orphan.</li>
 *   <li>The child has the JIT compile the vector kernels early ({@link #JIT_OPTIONS}).</li>
 *   <li>{@code -Dcharrnn.launch=inline} keeps everything in one JVM (plain-Java kernels unless
 *       the module was added by hand); a runtime without the module runs inline, and says so
 *       on the kernels line.</li>
 * </ul>
 */
final class Launcher {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Set on the child: the pid of the process that launched it. */
    static final String PARENT_PROPERTY = "charrnn.parent";
    /** {@code inline}: never start a child JVM. */
    static final String LAUNCH_PROPERTY = "charrnn.launch";
    /** The line the JVM prints on stderr when an incubator module is added. */
    static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: " + VECTOR_MODULE;
    /**
     * The methods, with their descriptors, that the child compiles on their own: each a loop of
     * one exp-based function over arrays, for float32 and float64.
     */
    static final List<String> OWN_COMPILE = List.of(
            "charrnn.model.VectorFloats::tanh([FI[FII)V",
            "charrnn.model.VectorFloats::sigmoidInto([FI[FII)V",
            "charrnn.model.VectorKernels::tanh([DI[DII)V",
            "charrnn.model.VectorKernels::sigmoidInto([DI[DII)V");
    /** The two classes of Vector API kernels. */
    static final List<String> KERNEL_CLASSES = List.of("charrnn.model.VectorFloats", "charrnn.model.VectorKernels");
    /**
     * The kernels' entry points, by name: every method of {@code charrnn.model.Kernels} (and the
     * {@code Ops} it extends) that passes over arrays or matrices. On a single processor the
     * child compiles each, in both {@link #KERNEL_CLASSES}, on its own and never into a caller
     * (see {@link #JIT_OPTIONS}). A name matches every method of that name, so no method of
     * those classes that takes or returns a vector may have one of these (it would then pass
     * its vectors as objects); LauncherTest checks that and that the list is complete.
     */
    static final List<String> ENTRY_POINTS = List.of(
            "product", "mult", "multTransA", "pack", "loadPanels", "zero", "add", "mul", "tanh", "tanhBackward",
            "softmaxLoss", "softmaxBackward", "gruForward", "gruBackward", "lstmForward", "lstmBackward",
            "load", "loadTransposed", "store", "storeAdd", "storeFirst", "storeAddTransposed", "adagrad");
    /** The Vector API kernels' compile thresholds, times HotSpot's usual. */
    static final double KERNELS = 0.05;
    /** On a single processor, every other method's compile thresholds, times HotSpot's usual. */
    static final int LATER_ON_ONE = 4;
    /**
     * The child's JIT options: the Vector API kernels (classes {@code charrnn.model.Vector*})
     * compiled by C2 after a twentieth of the usual calls and loop turns. Until C2 compiles
     * them, their vector operations run as objects, tens of times slower than the plain
     * kernels; at HotSpot's usual thresholds a GRU of 2×512 units spent its first seconds so.
     * In bench/ab.py, 12-s runs of a GRU of 2×512 units got 3–14% faster, the user's command
     * (H=100, one core) 0–4% (README gives the figures); at a hundredth the small model's
     * compiled code got slower.
     *
     * <p>The loops of exp-based functions ({@link #OWN_COMPILE}) are compiled on their own,
     * never inlined into a caller: C2 inlined them into the GRU's and LSTM's steps, reached its
     * node cutoff half-way through tanh's e^x − 1, and left the rest as calls that pass vectors
     * as objects, on the Vector API's Java fallbacks (19 MB allocated per update of a GRU of
     * 2×512 units, an LSTM of 128 units 40% slower). {@code quiet} keeps HotSpot from printing
     * the commands on stdout.
     *
     * <p>On a single processor every other method is compiled after four times HotSpot's usual
     * calls and loop turns ({@link #LATER_ON_ONE}; a method's own scaling multiplies the global
     * one, so the kernels' option is divided by it): there the compiler takes turns with the
     * run, and much of what it compiled at the usual thresholds was the JDK's start-up,
     * picocli, the data's reading and the Vector API's own methods, which run only as fallbacks
     * until the kernels are compiled. The user's command (H=100, one core): four interleaved
     * rounds 107,307 → 118,428 chars/s, bench/ab.py +7.4% (3 rounds); 100,000 updates +3%, the
     * same speed after warm-up. At 8 and 16 times, or with the training loop's own classes at
     * the usual thresholds, it was slower. With two processors the compiler has one of its own,
     * and the same option moved models of batch 32 by −5% to +8%; it is not given there.
     *
     * <p>On a single processor, too, the kernels' entry points ({@link #ENTRY_POINTS}) are
     * compiled on their own and called, never inlined into the model's code: inlined, C2
     * compiled each kernel again inside every method of {@code Net} that calls it, on the
     * core the run needs (in a -XX:+LogCompilation of the user's command, C2's compiles of the
     * model's own methods took 0.45 s of wall time, 0.21 s after). A call costs nanoseconds
     * against a kernel's microseconds. The user's command (H=100, one core), eight interleaved
     * rounds: 112,247 → 118,832 chars/s, faster in all eight, none allocating. With two
     * processors it moved models of batch 32 by −3% to +4% after warm-up and README's
     * command not at all; it is not given there.
     */
    static final List<String> JIT_OPTIONS = jitOptions(Runtime.getRuntime().availableProcessors());
    /** Longest wait for a signalled child to save its checkpoint. */
    private static final long GRACE_SECONDS = 150;

    private Launcher() {
    }

    /** The child's JIT options on a machine of this many processors (see {@link #JIT_OPTIONS}). */
    static List<String> jitOptions(int processors) {
        final int later = processors == 1 ? LATER_ON_ONE : 1;
        List<String> options = new ArrayList<>(List.of("-XX:CompileCommand=quiet"));
        if (later != 1) {
            options.add("-XX:CompileThresholdScaling=" + later);
        }
        options.add("-XX:CompileCommand=CompileThresholdScaling,charrnn.model.Vector*::*," + KERNELS / later);
        for (String method : OWN_COMPILE) {
            options.add("-XX:CompileCommand=dontinline," + method);
        }
        if (later != 1) {
            for (String kernels : KERNEL_CLASSES) {
                for (String method : ENTRY_POINTS) {
                    options.add("-XX:CompileCommand=dontinline," + kernels + "::" + method);
                }
            }
        }
        return List.copyOf(options);
    }

    /** Whether {@code args} should run in a child JVM that has the Vector API. */
    static boolean wanted(String[] args) {
        if ("inline".equals(System.getProperty(LAUNCH_PROPERTY)) || System.getProperty(PARENT_PROPERTY) != null) {
            return false;
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
            return false;               // added by hand: already the fast JVM
        }
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h") || a.equals("--version") || a.equals("-V")) {
                return false;
            }
        }
        if (args.length > 0 && args[0].equals("plot")) {
            return false;
        }
        return ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent();
    }

    /** Runs {@code args} in a child JVM with the Vector API and returns its exit code. */
    static int relaunch(String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JIT_OPTIONS);
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("--add-modules");
        command.add(VECTOR_MODULE);
        command.add("-D" + PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        for (String a : args) {
            command.add(inheritable(a));
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        // the options these variables held are in the input arguments already
        Map<String, String> env = pb.environment();
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("JAVA_TOOL_OPTIONS");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            return -1;
        }
        boolean verbose = List.of(args).contains("--verbose");
        Thread pump = new Thread(() -> copyErrors(child, verbose), "charrnn-stderr");
        pump.setDaemon(true);
        pump.start();
        Thread forward = new Thread(() -> {
            // this JVM is shutting down on a signal (or at its normal end, when the child is gone)
            if (child.isAlive()) {
                child.destroy();        // SIGTERM: the child stops and saves
                try {
                    child.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
                    pump.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "charrnn-forward-signal");
        Runtime.getRuntime().addShutdownHook(forward);
        try {
            int code = child.waitFor();
            pump.join();
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        }
    }

    /**
     * An argument the child can use as this process would: a file descriptor of this process
     * named as a path ({@code <(zcat corpus.gz)} gives /dev/fd/63) is not inherited, so it is
     * named through /proc as this process's, which the child may open as the same user.
     */
    static String inheritable(String arg) {
        for (String prefix : new String[] {"/dev/fd/", "/proc/self/fd/"}) {
            if (arg.startsWith(prefix) && arg.substring(prefix.length()).matches("\\d+")) {
                Path viaProc = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd",
                        arg.substring(prefix.length()));
                return java.nio.file.Files.exists(viaProc) ? viaProc.toString() : arg;
            }
        }
        return arg;
    }

    /** The child's stderr, line by line, without the incubator warning. */
    private static void copyErrors(Process child, boolean verbose) {
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!verbose && line.equals(INCUBATOR_WARNING)) {
                    continue;
                }
                err.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            }
        } catch (IOException e) {
            // our stderr is gone: nothing left to tell anyone
        }
    }

    /**
     * In a child: end as if by SIGTERM (saving the run) when the parent is gone, so that no JVM
     * trains on as an orphan after a kill -9 of the one the user started.
     */
    static void watchParent() {
        String parent = System.getProperty(PARENT_PROPERTY);
        if (parent == null) {
            return;
        }
        try {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> System.exit(ExitCode.TERMINATED)),
                    () -> System.exit(ExitCode.TERMINATED));
        } catch (NumberFormatException e) {
            // not ours to interpret: run as usual
        }
    }
}
