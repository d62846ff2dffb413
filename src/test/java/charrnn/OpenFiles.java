package charrnn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The files this process holds open, read from Linux's list of its descriptors. */
public final class OpenFiles {
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFiles() {
    }

    /** Whether the list can be read here (Linux). */
    public static boolean listed() {
        return Files.isDirectory(FDS);
    }

    /** Descriptors of this process open on {@code file} (a real path), removed since or not. */
    public static long on(Path file) throws IOException {
        String name = file.toString();
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.equals(name) || target.equals(name + " (deleted)");
                } catch (IOException e) {
                    return false;       // the descriptor of the listing itself, closed by now
                }
            }).count();
        }
    }
}
