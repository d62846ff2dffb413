package charrnn.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * charrnn's mark on the images it draws: a PNG text chunk {@code Software: charrnn} right after
 * the header chunk, so that {@code plot} replaces an image it drew and no other.
 */
public final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** The signature and the header chunk: 8 + (4 + 4 + 13 + 4) bytes. */
    private static final int AFTER_HEADER = 33;
    private static final byte[] TEXT = "Software\0charrnn".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TEXT_TYPE = "tEXt".getBytes(StandardCharsets.ISO_8859_1);

    private Png() {
    }

    /** {@code png} with the mark inserted after its header chunk. */
    public static byte[] mark(byte[] png) {
        if (!OutputFile.startsWith(png, SIGNATURE) || png.length < AFTER_HEADER) {
            throw new IllegalArgumentException("not a PNG image");
        }
        ByteBuffer chunk = ByteBuffer.allocate(4 + 4 + TEXT.length + 4);
        chunk.putInt(TEXT.length).put(TEXT_TYPE).put(TEXT);
        CRC32 crc = new CRC32();
        crc.update(TEXT_TYPE);
        crc.update(TEXT);
        chunk.putInt((int) crc.getValue());
        byte[] out = new byte[png.length + chunk.capacity()];
        System.arraycopy(png, 0, out, 0, AFTER_HEADER);
        System.arraycopy(chunk.array(), 0, out, AFTER_HEADER, chunk.capacity());
        System.arraycopy(png, AFTER_HEADER, out, AFTER_HEADER + chunk.capacity(), png.length - AFTER_HEADER);
        return out;
    }

    /** Whether a file starting with {@code head} is a PNG that carries the mark. */
    static boolean isCharrnns(byte[] head) {
        if (!OutputFile.startsWith(head, SIGNATURE) || head.length < AFTER_HEADER + 8 + TEXT.length) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(head, AFTER_HEADER, 8 + TEXT.length);
        if (b.getInt() != TEXT.length) {
            return false;
        }
        byte[] rest = new byte[4 + TEXT.length];
        b.get(rest);
        return OutputFile.startsWith(rest, TEXT_TYPE)
                && java.util.Arrays.equals(rest, 4, rest.length, TEXT, 0, TEXT.length);
    }
}
