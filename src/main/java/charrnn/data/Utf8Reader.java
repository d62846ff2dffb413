package charrnn.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A strict streaming UTF-8 decoder that yields code points and, on malformed input, names the
 * byte offset of the offending sequence. Strict means what the Unicode standard says: no
 * overlong forms, no surrogates, nothing above U+10FFFF. A byte order mark at offset 0 is
 * skipped.
 */
final class Utf8Reader implements Closeable {
    private static final int BUFFER = 1 << 20;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private long base;      // file offset of buf[0]
    private boolean eof;

    private Utf8Reader(InputStream in) throws IOException {
        this.in = in;
        refill();
        if (lim >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
            pos = 3;
        }
    }

    /** A reader of {@code in}, which it closes when closed, or at once if its first read fails. */
    static Utf8Reader open(InputStream in) throws IOException {
        try {
            return new Utf8Reader(in);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /** Thrown for a byte sequence that is not UTF-8. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;
        final long offset;

        MalformedException(String what, long offset) {
            super(what + " at byte offset " + offset);
            this.offset = offset;
        }
    }

    /**
     * Decodes up to {@code out.length} code points into {@code out}.
     *
     * @return how many were decoded, or -1 at the end of the input
     */
    int read(int[] out) throws IOException, MalformedException {
        int n = 0;
        while (n < out.length) {
            if (pos == lim && !eof) {
                refill();
            }
            if (pos == lim) {
                break;                  // the end of the input
            }
            // ASCII run: the common case, one compare per byte
            int stop = Math.min(lim, pos + (out.length - n));
            while (pos < stop && buf[pos] >= 0) {
                out[n++] = buf[pos++];
            }
            // the run stopped at the end of out or of the buffer, or else at a byte ≥ 0x80
            if (n == out.length || pos >= lim) {
                continue;
            }
            if (lim - pos < 4 && !eof) {
                refill();               // a whole character of up to 4 bytes in view
            }
            out[n++] = decodeMultiByte();
        }
        return n == 0 && eof && pos >= lim ? -1 : n;
    }

    private int decodeMultiByte() throws MalformedException {
        int b0 = buf[pos] & 0xFF;
        long at = base + pos;
        int need;
        int min2;   // allowed range of the second byte
        int max2;
        int cp;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 2; cp = b0 & 0x1F; min2 = 0x80; max2 = 0xBF;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 3; cp = b0 & 0x0F;
            min2 = b0 == 0xE0 ? 0xA0 : 0x80;          // no overlong forms
            max2 = b0 == 0xED ? 0x9F : 0xBF;          // no surrogates
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 4; cp = b0 & 0x07;
            min2 = b0 == 0xF0 ? 0x90 : 0x80;          // no overlong forms
            max2 = b0 == 0xF4 ? 0x8F : 0xBF;          // nothing above U+10FFFF
        } else {
            throw new MalformedException(String.format("malformed UTF-8: byte 0x%02X cannot start a character", b0), at);
        }
        if (lim - pos < need) {
            throw new MalformedException(String.format(
                    "malformed UTF-8: the file ends inside a %d-byte character", need), at);
        }
        for (int k = 1; k < need; k++) {
            int b = buf[pos + k] & 0xFF;
            int lo = k == 1 ? min2 : 0x80;
            int hi = k == 1 ? max2 : 0xBF;
            if (b < lo || b > hi) {
                throw new MalformedException(String.format(
                        "malformed UTF-8: byte 0x%02X cannot follow 0x%02X in a %d-byte character", b, b0, need), at);
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        pos += need;
        return cp;
    }

    private void refill() throws IOException {
        int keep = lim - pos;
        System.arraycopy(buf, pos, buf, 0, keep);
        base += pos;
        pos = 0;
        lim = keep;
        while (lim < buf.length) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r == -1) {
                eof = true;
                break;
            }
            lim += r;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
