package charrnn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Keeps two live runs from writing the same checkpoint: a run holds an operating-system lock on
 * {@code FILE.lock} beside its checkpoint for as long as it trains. The lock dies with the
 * process, however it ends; the small file is removed when the run closes it normally.
 */
public final class RunLock implements AutoCloseable {
    private static final String MARK = "charrnn run lock";

    private final Path path;
    private final FileChannel channel;     // holds the lock until it is closed

    private RunLock(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** The lock file of checkpoint {@code save}. */
    public static Path lockFile(Path save) {
        return save.resolveSibling(save.getFileName() + ".lock");
    }

    /**
     * Takes the lock of checkpoint {@code save}.
     *
     * @throws OutputException if another live run holds it, or it cannot be taken
     */
    public static RunLock acquire(Path save) throws OutputException {
        Path path = lockFile(save);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            requireOurs(path);
        }
        FileChannel ch;
        try {
            ch = OutputFile.openForLock(path);
        } catch (IOException e) {
            throw cannotTake(path, save, e);
        }
        try {
            if (OutputFile.tryLock(ch) == null) {
                throw new OutputException("another charrnn run is writing " + save + " (it holds " + path
                        + "); wait for it to end, or give this run another --save");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((MARK + ", process " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            return new RunLock(path, ch);
        } catch (IOException e) {
            OutputFile.closeQuietly(ch);
            throw e instanceof OutputException oe ? oe : cannotTake(path, save, e);
        }
    }

    private static OutputException cannotTake(Path path, Path save, IOException e) {
        return new OutputException("cannot take the lock " + path + " of checkpoint " + save + ": " + OutputFile.reason(e));
    }

    private static void requireOurs(Path path) throws OutputException {
        byte[] head;
        try {
            head = Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? OutputFile.head(path) : null;
        } catch (IOException e) {
            throw new OutputException("cannot read the lock " + path + ": " + OutputFile.reason(e));
        }
        if (head == null || (head.length > 0 && !OutputFile.startsWith(head, MARK.getBytes(StandardCharsets.US_ASCII)))) {
            throw new OutputException("refusing to use " + path + " as the run's lock file: something else is there");
        }
    }

    /** Removes the lock file and releases the lock (closing the channel releases it). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a lock file left behind is harmless: the next run takes it over
        }
        OutputFile.closeQuietly(channel);
    }
}
