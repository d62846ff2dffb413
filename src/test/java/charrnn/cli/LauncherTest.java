package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import charrnn.io.CheckpointFile;
import charrnn.train.TrainingState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process the user starts, {@code java -cp ... charrnn.cli.Main} with no JVM flag (as
 * {@code java -jar} is), runs the command in a child JVM with the Vector API: exit codes,
 * signals, streams and JVM options behave as if there were one process.
 */
class LauncherTest {
    @TempDir
    Path dir;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command line a user types: no --add-modules. */
    private static List<String> user(String... args) {
        return user(java(), List.of(), args);
    }

    private static List<String> user(String java, List<String> jvmOptions, String... args) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmOptions);
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        c.addAll(List.of(args));
        return c;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
        return new Run(p.exitValue(), out, err.get(60, TimeUnit.SECONDS));
    }

    private Path corpus() throws IOException {
        Path p = dir.resolve("c.txt");
        Files.writeString(p, "one process to the user, two to the kernel, the same answer.\n".repeat(60));
        return p;
    }

    private String[] small(Path save, String... more) throws IOException {
        List<String> a = new ArrayList<>(List.of("--hidden", "8", "--seq-length", "8", "--print-every", "10",
                "--sample-every", "0", "--save", save.toString()));
        a.addAll(List.of(more));
        if (!a.contains("--iterations")) {
            a.addAll(List.of("--iterations", "30"));
        }
        a.add(corpus().toString());
        return a.toArray(new String[0]);
    }

    @Test
    void theUsersCommandGetsTheVectorKernelsAndNoWarningLine() throws Exception {
        Run r = run(user(small(dir.resolve("m.ckpt"))));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kernels: Vector API"), r.out());
        assertFalse(r.err().contains("WARNING"), r.err());
        assertTrue(r.err().isEmpty(), r.err());
        // HotSpot echoes a CompileCommand on stdout unless told to be quiet
        assertFalse(r.out().contains("CompileCommand"), r.out());
        Run verbose = run(user(small(dir.resolve("v.ckpt"), "--verbose")));
        assertTrue(verbose.err().contains(Launcher.INCUBATOR_WARNING), "--verbose shows the JVM's line: " + verbose.err());
    }

    @Test
    void theChildJvmCompilesTheVectorKernelsEarly() throws Exception {
        Process parent = new ProcessBuilder(user("--hidden", "16", "--iterations", "100000000", "--sample-every", "0",
                "--checkpoint-every", "100000000", "--val-fraction", "0", "--save", dir.resolve("jit.ckpt").toString(),
                corpus().toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        watchdog(parent, 60);
        try {
            ProcessHandle c = child(parent);
            List<String> arguments = List.of(Files.readString(Path.of("/proc/" + c.pid() + "/cmdline")).split("\0"));
            assertTrue(arguments.containsAll(Launcher.JIT_OPTIONS), arguments.toString());
            assertTrue(arguments.indexOf(Launcher.JIT_OPTIONS.get(0)) < arguments.indexOf(Main.class.getName()),
                    "JVM options come before the main class: " + arguments);
            assertTrue(Launcher.JIT_OPTIONS.stream().anyMatch(o -> o.contains("charrnn.model.Vector")),
                    Launcher.JIT_OPTIONS.toString());
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
            parent.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The kernels are compiled at a twentieth of HotSpot's thresholds whatever the processors;
     * on one, everything else at four times them. HotSpot multiplies a method's own scaling by
     * the global one, so the kernels' option must be divided by the global scaling.
     */
    @Test
    void theKernelsCompileAtATwentiethOnAnyMachineAndTheRestLaterOnOneProcessor() {
        for (int processors : new int[] {1, 2, 8}) {
            List<String> options = Launcher.jitOptions(processors);
            double global = options.stream().filter(o -> o.startsWith("-XX:CompileThresholdScaling="))
                    .mapToDouble(o -> Double.parseDouble(o.substring(o.indexOf('=') + 1))).reduce(1, (a, b) -> a * b);
            List<Double> kernels = options.stream()
                    .filter(o -> o.startsWith("-XX:CompileCommand=CompileThresholdScaling,charrnn.model.Vector*::*,"))
                    .map(o -> Double.parseDouble(o.substring(o.lastIndexOf(',') + 1))).toList();
            assertEquals(1, kernels.size(), options.toString());
            assertEquals(0.05, global * kernels.get(0), 1e-12, processors + " processors: " + options);
            assertEquals(processors == 1 ? 4.0 : 1.0, global, 0.0, processors + " processors: " + options);
        }
    }

    /**
     * HotSpot ignores a CompileCommand whose method does not exist: a kernel renamed, or given
     * another signature, would silently be inlined again. Each one the child names must exist.
     */
    @Test
    void theMethodsCompiledOnTheirOwnExistWithTheirDescriptors() throws Exception {
        List<String> twoProcessors = Launcher.jitOptions(2);
        assertEquals(Launcher.OWN_COMPILE.size(),
                twoProcessors.stream().filter(o -> o.startsWith("-XX:CompileCommand=dontinline,")).count());
        for (String entry : Launcher.OWN_COMPILE) {
            assertTrue(twoProcessors.contains("-XX:CompileCommand=dontinline," + entry), entry);
            assertTrue(Launcher.jitOptions(1).contains("-XX:CompileCommand=dontinline," + entry), entry);
            Matcher m = Pattern.compile("([\\w.]+)::(\\w+)(\\(.*)").matcher(entry);
            assertTrue(m.matches(), entry);
            Class<?> type = Class.forName(m.group(1));
            long found = java.util.Arrays.stream(type.getDeclaredMethods())
                    .filter(x -> x.getName().equals(m.group(2)))
                    .filter(x -> java.lang.invoke.MethodType.methodType(x.getReturnType(), x.getParameterTypes())
                            .toMethodDescriptorString().equals(m.group(3)))
                    .count();
            assertEquals(1, found, entry + " names no method of " + type.getName());
        }
    }

    /**
     * On one processor the kernels' entry points are called, not inlined, in both kernel
     * classes; with more, the options leave them alone.
     */
    @Test
    void onOneProcessorEveryEntryPointOfBothKernelClassesIsCompiledOnItsOwn() {
        List<String> one = Launcher.jitOptions(1);
        for (String kernels : Launcher.KERNEL_CLASSES) {
            for (String method : Launcher.ENTRY_POINTS) {
                assertTrue(one.contains("-XX:CompileCommand=dontinline," + kernels + "::" + method), kernels + "::" + method);
            }
        }
        for (int processors : new int[] {2, 8}) {
            List<String> many = Launcher.jitOptions(processors);
            for (String method : Launcher.ENTRY_POINTS) {
                assertTrue(many.stream().noneMatch(o -> o.endsWith("::" + method)), processors + " processors: " + method);
            }
        }
    }

    /**
     * The entry points are exactly the kernels' methods that pass over data: a new kernel
     * method left off the list would be inlined again, a name no longer a kernel's would
     * keep some other method from being inlined.
     */
    @Test
    void theEntryPointsAreTheKernelMethodsThatTakeArraysOrMatrices() throws Exception {
        Class<?> kernels = Class.forName("charrnn.model.Kernels");
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (java.lang.reflect.Method m : kernels.getMethods()) {
            boolean data = false;
            for (java.lang.reflect.Type t : m.getGenericParameterTypes()) {
                Class<?> raw = t instanceof java.lang.reflect.ParameterizedType pt ? (Class<?>) pt.getRawType()
                        : t instanceof Class<?> c ? c : Object.class;          // a type variable: the storage A
                data |= raw.isArray() || raw == Object.class || raw.getSimpleName().equals("Mat")
                        || raw.getSimpleName().equals("Panels");
            }
            if (data && !java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                expected.add(m.getName());
            }
        }
        assertEquals(expected, new java.util.TreeSet<>(Launcher.ENTRY_POINTS));
        assertEquals(Launcher.ENTRY_POINTS.size(), new java.util.HashSet<>(Launcher.ENTRY_POINTS).size());
    }

    /**
     * A CompileCommand names methods by name: no method of a kernel class that takes or returns
     * a vector may share an entry point's name, or it would be called with its vectors as
     * objects, on the Vector API's fallbacks. And each name is a method of a kernel class.
     */
    @Test
    void noVectorFunctionSharesAnEntryPointsName() throws Exception {
        java.util.Set<String> declared = new java.util.HashSet<>();
        for (String name : Launcher.KERNEL_CLASSES) {
            for (java.lang.reflect.Method m : Class.forName(name).getDeclaredMethods()) {
                if (!Launcher.ENTRY_POINTS.contains(m.getName())) {
                    continue;
                }
                declared.add(m.getName());
                List<Class<?>> types = new ArrayList<>(List.of(m.getParameterTypes()));
                types.add(m.getReturnType());
                for (Class<?> t : types) {
                    assertFalse(t.getName().startsWith("jdk.incubator.vector."), name + "::" + m);
                }
            }
        }
        assertEquals(new java.util.HashSet<>(Launcher.ENTRY_POINTS), declared);
    }

    @Test
    void oneJvmWhenAskedForWithANote() throws Exception {
        List<String> c = user(java(), List.of("-D" + Launcher.LAUNCH_PROPERTY + "=inline"), small(dir.resolve("m.ckpt")));
        Run r = run(c);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kernels: plain Java"), r.out());
        assertTrue(r.out().contains("-D" + Launcher.LAUNCH_PROPERTY + "=inline"), r.out());
    }

    @Test
    void exitCodesPassThroughUnchanged() throws Exception {
        Path c = corpus();
        assertEquals(ExitCode.OK, run(user(small(dir.resolve("ok.ckpt")))).code());
        assertEquals(ExitCode.FAILED, run(user(small(dir.resolve("nan.ckpt"), "--learning-rate", "1e308",
                "--clip", "0", "--iterations", "100"))).code());
        assertEquals(ExitCode.USAGE, run(user("--hidden", "0", c.toString())).code());
        Run input = run(user("--save", dir.resolve("x.ckpt").toString(), dir.resolve("missing.txt").toString()));
        assertEquals(ExitCode.INPUT, input.code());
        assertEquals(1, input.err().lines().count(), input.err());
        Files.writeString(dir.resolve("notes.ckpt"), "mine");
        assertEquals(ExitCode.OUTPUT, run(user("--save", dir.resolve("notes.ckpt").toString(), c.toString())).code());
        assertEquals(ExitCode.MEMORY, run(user("--hidden", "16384", "--batch-size", "64", "--save",
                dir.resolve("big.ckpt").toString(), c.toString())).code());
    }

    @Test
    void theUsersJvmOptionsReachTheChild() throws Exception {
        // the child reports the heap it may use: -Xmx64m must have reached it
        Run r = run(user(java(), List.of("-Xmx64m"), "--hidden", "3000", "--save", dir.resolve("m.ckpt").toString(),
                corpus().toString()));
        assertEquals(ExitCode.MEMORY, r.code(), r.err());
        Matcher m = Pattern.compile("than the (\\d+) MB Java has left").matcher(r.err());
        assertTrue(m.find(), r.err());
        assertTrue(Integer.parseInt(m.group(1)) <= 64, r.err());
    }

    /**
     * Kills {@code p} and everything it started after {@code seconds}, so that a test that
     * fails cannot leave a JVM training for ever.
     */
    private static Thread watchdog(Process p, long seconds) {
        Thread t = new Thread(() -> {
            try {
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The child of a launched run, once it has started training. */
    private static ProcessHandle child(Process parent) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Optional<ProcessHandle> c = parent.toHandle().children().findFirst();
            if (c.isPresent()) {
                return c.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no child JVM was started");
    }

    /** The process group of {@code pid}: field 5 of /proc/PID/stat. */
    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[2]);
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", signal, "--", Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
    }

    /** Starts a long run, waits for its 1000th update, signals the parent, checks the saved run. */
    private void stopsWithACheckpoint(String signal, int expected) throws Exception {
        Path save = dir.resolve(signal + ".ckpt");
        Process parent = new ProcessBuilder(user("--hidden", "16", "--iterations", "100000000", "--print-every", "200",
                "--sample-every", "0", "--checkpoint-every", "100000000", "--val-fraction", "0", "--save",
                save.toString(), corpus().toString())).redirectErrorStream(true).start();
        watchdog(parent, 150);
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (!sent && line.startsWith("iter 1000 ")) {
                    signal(signal, parent.pid());      // the parent only, as kill PID does
                    sent = true;
                }
            }
        }
        assertTrue(parent.waitFor(120, TimeUnit.SECONDS));
        assertEquals(expected, parent.exitValue(), out.toString());
        Matcher m = Pattern.compile("interrupted at iteration (\\d+)\\n").matcher(out);
        assertTrue(m.find(), out.toString());
        TrainingState s = CheckpointFile.read(save);
        assertEquals(Long.parseLong(m.group(1)), s.iteration());
        assertTrue(s.iteration() >= 1000);
    }

    @Test
    void sigtermToTheUsersProcessSavesAndExits143() throws Exception {
        stopsWithACheckpoint("TERM", ExitCode.TERMINATED);
    }

    @Test
    void sigintToTheUsersProcessSavesAndExits130() throws Exception {
        stopsWithACheckpoint("INT", ExitCode.INTERRUPTED);
    }

    @Test
    void ctrlCToTheWholeProcessGroupSavesAndExits130() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid makes a process group of its own");
        Path save = dir.resolve("group.ckpt");
        List<String> c = new ArrayList<>(List.of("/usr/bin/setsid", "--wait"));
        c.addAll(user("--hidden", "16", "--iterations", "100000000", "--print-every", "200", "--sample-every", "0",
                "--checkpoint-every", "100000000", "--val-fraction", "0", "--save", save.toString(), corpus().toString()));
        Process setsid = new ProcessBuilder(c).redirectErrorStream(true).start();
        watchdog(setsid, 150);
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(setsid.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (!sent && line.startsWith("iter 1000 ")) {
                    // as a terminal's Ctrl-C: SIGINT to every process of the group, which
                    // setsid made for the user's JVM (exec'd in its place, or forked)
                    long user = setsid.toHandle().descendants()
                            .filter(h -> h.info().arguments().map(a -> !String.join(" ", a).contains("charrnn.parent"))
                                    .orElse(false))
                            .findFirst().map(ProcessHandle::pid).orElse(setsid.pid());
                    signal("INT", -processGroup(user));
                    sent = true;
                }
            }
        }
        assertTrue(setsid.waitFor(120, TimeUnit.SECONDS));
        assertEquals(ExitCode.INTERRUPTED, setsid.exitValue(), out.toString());
        assertTrue(out.toString().contains("interrupted at iteration"), out.toString());
        assertTrue(CheckpointFile.read(save).iteration() >= 1000);
    }

    @Test
    void aChildWhoseParentIsKilledSavesAndEndsInsteadOfRunningOn() throws Exception {
        Path save = dir.resolve("orphan.ckpt");
        Process parent = new ProcessBuilder(user("--hidden", "16", "--iterations", "100000000", "--print-every", "200",
                "--sample-every", "0", "--checkpoint-every", "100000000", "--val-fraction", "0", "--save",
                save.toString(), corpus().toString())).redirectErrorStream(true).start();
        watchdog(parent, 150);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("iter 1000 ")) {
                // wait for training to be under way
            }
            ProcessHandle child = child(parent);
            parent.destroyForcibly();                  // kill -9: no chance to pass anything on
            assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
            child.onExit().get(120, TimeUnit.SECONDS);
            assertFalse(child.isAlive());
        }
        assertTrue(CheckpointFile.read(save).iteration() >= 1000, "the orphaned child saved its run");
    }

    @Test
    void aReaderThatGoesAwayEndsTheRunPromptlyWithNoJvmLeft() throws Exception {
        Path save = dir.resolve("m.ckpt");
        assertEquals(0, run(user(small(save))).code());
        String sample = String.join(" ", user("sample", "--checkpoint", save.toString(), "--length",
                "200000000").stream().map(a -> "'" + a + "'").toList());
        Process sh = new ProcessBuilder("/bin/bash", "-c", sample + " | head -c 100 | wc -c; echo \"exit ${PIPESTATUS[0]}\"")
                .redirectErrorStream(true).start();
        watchdog(sh, 120);
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // 200 million characters take minutes; a sampler that notices the closed pipe takes a second
        assertTrue(sh.waitFor(60, TimeUnit.SECONDS), "sample | head ended promptly");
        assertTrue(out.contains("100\n"), "head had its 100 bytes: " + out);
        assertTrue(out.contains("exit " + ExitCode.OUTPUT), "sample saw its reader go: " + out);
        Thread.sleep(200);
        // an orphan would belong to init by now: look among all processes
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().command().orElse("").endsWith("java")
                && p.info().arguments().map(a -> List.of(a).contains(save.toString())).orElse(false)),
                "no JVM of the pipeline is left running");
    }

    @Test
    void aProcessSubstitutionReachesTheChild() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash makes <(...) paths");
        Path save = dir.resolve("m.ckpt");
        assertEquals(0, run(user(small(save))).code());
        String eval = String.join(" ", user("eval", "--checkpoint", save.toString()).stream()
                .map(a -> "'" + a + "'").toList()) + " <(cat '" + corpus() + "')";
        Run r = run(List.of("/bin/bash", "-c", eval));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("characters predicted, loss"), r.out());
    }

    @Test
    void helpAndVersionStayInOneJvm() throws Exception {
        Process p = new ProcessBuilder(user("--help")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(out.contains("Exit codes"), out);
        assertFalse(Launcher.wanted(new String[] {"--help"}));
        assertFalse(Launcher.wanted(new String[] {"sample", "--version"}));
        assertFalse(Launcher.wanted(new String[] {"plot", "a.csv", "-o", "a.png"}));
    }

    @Test
    void worksOnJava25Too() throws Exception {
        Path jdks = Path.of("/usr/lib/jvm");
        Optional<Path> java25 = Files.isDirectory(jdks)
                ? Files.list(jdks).filter(p -> p.getFileName().toString().startsWith("temurin-25"))
                        .map(p -> p.resolve("bin/java")).filter(Files::isExecutable).findFirst()
                : Optional.empty();
        assumeTrue(java25.isPresent(), "a Java 25 JDK is installed");
        Run r = run(user(java25.get().toString(), List.of(), small(dir.resolve("m.ckpt"))));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kernels: Vector API"), r.out());
        assertTrue(r.err().isEmpty(), r.err());
    }
}
