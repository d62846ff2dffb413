package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import charrnn.data.InputException;
import charrnn.train.TrainingState;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint files at the edges of the documented format (README, "Checkpoint format"): the
 * header's length field, bytes after the end, and payload fields that are out of range under a
 * checksum that matches, each refused with its own message through {@link CheckpointFile#read}.
 */
class CheckpointEdgesTest {
    /** Bytes before the payload: magic (8), version (4), payload length (8). */
    private static final int HEADER = 20;

    @TempDir
    Path dir;

    private Path written(TrainingState s) throws Exception {
        Path p = dir.resolve("run.ckpt");
        CheckpointFile.write(p, s);
        return p;
    }

    private String refusal(byte[] bytes) throws Exception {
        Path p = dir.resolve("bad.ckpt");
        Files.write(p, bytes);
        return assertThrows(InputException.class, () -> CheckpointFile.read(p)).getMessage();
    }

    /** The bytes with a new CRC-32C over everything before the trailer. */
    private static byte[] resealed(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    /** A header of version 2 declaring a payload of {@code length}, followed by {@code rest} bytes. */
    private static byte[] header(long length, int rest) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + rest);
        b.put(new byte[] {(byte) 0x89, 'C', 'R', 'N', 'N', '\r', '\n', 0x1A}).putInt(2).putLong(length);
        return b.array();
    }

    @Test
    void theLengthFieldIsCheckedAgainstTheFileSize() throws Exception {
        Path bad = dir.resolve("bad.ckpt");
        assertEquals(bad + " is truncated: 19 bytes, not even a whole header",
                refusal(Arrays.copyOf(header(0, 0), 19)));
        assertEquals(bad + " is truncated: 20 bytes of 24", refusal(header(0, 0)));
        assertEquals(bad + " is corrupted: its length field says -1 bytes", refusal(header(-1, 4)));
        assertEquals(bad + " is truncated: 27 bytes of 28", refusal(header(4, 7)));
        assertEquals(bad + " is corrupted: 3 bytes after its end", refusal(header(1, 8)));
        // an empty payload whose checksum is right: the content ends at once
        assertEquals(bad + " is corrupted: its content ends early", refusal(resealed(header(0, 4))));
    }

    @Test
    void bytesAfterTheEndAreCountedAndAGoodFileIsRead() throws Exception {
        byte[] good = Files.readAllBytes(written(States.random(3, 4, 2, 1)));
        Path bad = dir.resolve("bad.ckpt");
        assertEquals(bad + " is corrupted: 1 bytes after its end", refusal(Arrays.copyOf(good, good.length + 1)));
        assertEquals(bad + " is corrupted: 5 bytes after its end", refusal(Arrays.copyOf(good, good.length + 5)));
        Files.write(bad, good);
        assertEquals(2, CheckpointFile.read(bad).hp().batchSize());
    }

    /**
     * Where the vocabulary size V sits in a checkpoint of {@link States#random}'s vocabulary
     * (V = 4: 'a', 'b', 'c', U+1F600): just before its code points.
     */
    private static int offsetOfV(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (int i = HEADER; i + 20 <= bytes.length; i++) {
            if (b.getInt(i) == 4 && b.getInt(i + 4) == 'a' && b.getInt(i + 8) == 'b' && b.getInt(i + 12) == 'c'
                    && b.getInt(i + 16) == 0x1F600) {
                return i;
            }
        }
        throw new AssertionError("no vocabulary in the checkpoint");
    }

    @Test
    void aVocabularySizeOutsideTwoToAllCodePointsIsCorrupt() throws Exception {
        byte[] good = Files.readAllBytes(written(States.random(3, 4, 1, 2)));
        int at = offsetOfV(good);
        Path bad = dir.resolve("bad.ckpt");
        String[] expected = {"vocabulary size 1", "vocabulary size 0", "vocabulary size 1114113",
            "its content ends early"};
        int[] sizes = {1, 0, 0x110001, 0x110000};
        for (int k = 0; k < sizes.length; k++) {
            byte[] b = good.clone();
            ByteBuffer.wrap(b).putInt(at, sizes[k]);
            assertEquals(bad + " is corrupted: " + expected[k], refusal(resealed(b)), "V = " + sizes[k]);
        }
    }
}
