package charrnn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;

/**
 * The one way charrnn writes a file. The rule: a path is written only if nothing is there yet,
 * or a regular file that charrnn itself wrote (recognised by the signature of its kind), and
 * never when it is also an input of the same command. Anything else is refused with one line
 * ({@link OutputException}), before any work starts and again just before each write.
 *
 * <p>Writes are atomic: the bytes go to {@code FILE.tmp} in the same folder (created anew; a
 * leftover of an interrupted write of the same kind is cleared first), are forced to the disk,
 * and the temporary file is renamed over FILE; then the folder is synced. A process killed at
 * any instant leaves the previous file or the new one, never a torn one.
 */
public final class OutputFile {

    /** What charrnn writes, each recognised by the first bytes it always starts with. */
    public enum Kind {
        CHECKPOINT("a charrnn checkpoint") {
            @Override
            boolean written(byte[] head) {
                return startsWith(head, CheckpointFile.MAGIC);
            }
        },
        METRICS_LOG("a charrnn metrics log") {
            @Override
            boolean written(byte[] head) {
                return startsWith(head, MetricsLog.HEADER_PREFIX.getBytes(StandardCharsets.US_ASCII));
            }
        },
        PNG("an image drawn by charrnn plot") {
            @Override
            boolean written(byte[] head) {
                return Png.isCharrnns(head);
            }
        },
        HTML("a page written by charrnn explain") {
            @Override
            boolean written(byte[] head) {
                return new String(head, StandardCharsets.UTF_8).contains(HTML_MARK);
            }
        };

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** Whether a file starting with {@code head} (up to {@link #HEAD} bytes) is of this kind. */
        abstract boolean written(byte[] head);

        public String description() {
            return description;
        }
    }

    /** Bytes read from the start of an existing file to recognise it. */
    static final int HEAD = 4096;
    /** What every page of {@code charrnn explain} carries in its head. */
    public static final String HTML_MARK = "<meta name=\"generator\" content=\"charrnn explain\">";

    private OutputFile() {
    }

    /**
     * Checks that {@code path} may be written as a file of {@code kind}: nothing there yet or a
     * regular file of that kind, in a folder where files can be created, and none of
     * {@code inputs}.
     *
     * @throws OutputException with the reason if not
     */
    public static void requireReplaceable(Path path, Kind kind, Collection<Path> inputs) throws OutputException {
        for (Path input : inputs) {
            if (input != null && sameFile(path, input)) {
                throw new OutputException("refusing to write " + path + ": it is also an input of this command ("
                        + input + ")");
            }
        }
        requireOwned(path, kind);
        Path dir = folder(path);
        if (!Files.isDirectory(dir)) {
            throw new OutputException("cannot write " + path + ": " + (Files.exists(dir) ? dir + " is not a folder" : "no such folder " + dir));
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".charrnn-", ".probe");
        } catch (IOException e) {
            throw new OutputException("cannot write " + path + ": " + reason(e));
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // an empty probe left behind harms nothing
                }
            }
        }
    }

    /**
     * Refuses a path that exists and is not a regular file of {@code kind}: a folder, a link, a
     * device, a pipe, or another file.
     */
    public static void requireOwned(Path path, Kind kind) throws OutputException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(path)) {
            throw new OutputException("refusing to replace " + path + ": it is a symbolic link; charrnn replaces only "
                    + kind.description() + " it wrote, or writes a new file");
        }
        if (Files.isDirectory(path)) {
            throw new OutputException("cannot write " + path + ": it is a folder");
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputException("refusing to replace " + path + ": it is a device, pipe or socket, not a regular file");
        }
        byte[] head;
        try {
            head = head(path);
        } catch (IOException e) {
            throw new OutputException("cannot replace " + path + ": " + reason(e));
        }
        if (head.length > 0 && !kind.written(head)) {
            // an empty file holds nothing to lose
            throw new OutputException("refusing to replace " + path + ": it exists and is not " + kind.description()
                    + "; give a new file name, or remove it first");
        }
    }

    /**
     * Writes {@code bytes} to {@code path} atomically, if {@link #requireOwned} allows it.
     *
     * @throws IOException if it cannot be written; {@code path} is then as it was
     */
    public static void write(Path path, Kind kind, byte[] bytes) throws OutputException {
        requireOwned(path, kind);
        Path tmp = temporary(path);
        clearLeftover(tmp, kind);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                Disk.force(ch);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new OutputException("cannot write " + path + ": the file system cannot replace files atomically");
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the message below is the one that matters
            }
            throw e instanceof OutputException oe ? oe : new OutputException("cannot write " + path + ": " + reason(e), e);
        }
        Disk.syncFolder(folder(path));
    }

    /** The temporary file {@code path} is written to before it replaces it. */
    public static Path temporary(Path path) {
        return path.resolveSibling(path.getFileName() + ".tmp");
    }

    /**
     * Removes what an interrupted write of this kind left at {@code tmp}: an empty file or one
     * that starts as a file of {@code kind}. Anything else there is the user's: refused.
     */
    private static void clearLeftover(Path tmp, Kind kind) throws OutputException {
        if (!Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS)) {
                byte[] head = head(tmp);
                if (head.length == 0 || kind.written(head) || isPrefixOfSignature(head, kind)) {
                    Files.delete(tmp);
                    return;
                }
            }
        } catch (IOException e) {
            throw new OutputException("cannot write through " + tmp + ": " + reason(e));
        }
        throw new OutputException("cannot write " + tmp + ", the temporary file of this write: something else is there");
    }

    /** A write killed within its first bytes leaves a file too short to carry the whole signature. */
    private static boolean isPrefixOfSignature(byte[] head, Kind kind) {
        return kind == Kind.CHECKPOINT && startsWith(CheckpointFile.MAGIC, head);
    }

    /** The first {@link #HEAD} bytes of a regular file (fewer if it is shorter). */
    static byte[] head(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(HEAD);
        }
    }

    static boolean startsWith(byte[] head, byte[] prefix) {
        return head.length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Opens (creating it if need be) a file of charrnn's own to write and lock, never through a link. */
    static FileChannel openForLock(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Closes {@code ch}, which releases any lock held through it; an error in closing is not
     * reported (the caller is failing with a better reason, or has nothing left to lose).
     */
    static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // see above
        }
    }

    /**
     * An exclusive lock on {@code ch}, or null if another process (or this one) holds one. The
     * lock lasts until {@code ch} is closed.
     */
    static java.nio.channels.FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null;
        }
    }

    /** Whether {@code a} and {@code b} name the same file, existing or not. */
    public static boolean sameFile(Path a, Path b) {
        if (Files.exists(a) && Files.exists(b)) {
            try {
                return Files.isSameFile(a, b);
            } catch (IOException e) {
                // one of them went away since: compare their names, as for files yet to be made
            }
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static Path folder(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? path.toAbsolutePath().getRoot() : parent;
    }

    /** One short phrase saying why an operation on a file failed. */
    public static String reason(IOException e) {
        if (e instanceof OutputException) {
            return e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "something is already there";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
