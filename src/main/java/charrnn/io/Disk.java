package charrnn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What makes a write durable: forcing a file's bytes, and a folder's new entry, to the disk.
 * Neither changes what any reader sees while the machine runs; they matter only if it loses
 * power. (For that reason mutation testing leaves these calls alone: see the pit profile in
 * pom.xml.)
 */
final class Disk {
    private Disk() {
    }

    /** Forces what was written through {@code ch}, and its metadata, to the disk. */
    static void force(FileChannel ch) throws IOException {
        ch.force(true);
    }

    /** Makes a rename in {@code folder} durable: fsync of the folder, where the platform allows it. */
    static void syncFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a folder; the rename itself is still atomic
        }
    }
}
