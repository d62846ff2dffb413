package charrnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A text corpus: its vocabulary and the text encoded as indices.
 *
 * @param name       where it came from, for messages
 * @param vocabulary the sorted code points of the text
 * @param text       one index per character
 * @param counts     V, occurrences of each symbol in the text
 */
public record Corpus(String name, Vocabulary vocabulary, EncodedText text, long[] counts) {

    /** Largest corpus, in characters, that one Java array can index. */
    public static final int MAX_CHARS = Integer.MAX_VALUE - 16;

    private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;

    /** Characters in the corpus. */
    public int length() {
        return text.length();
    }

    /** A corpus made from a string already in memory (tests, generated text). */
    public static Corpus of(String name, String content) {
        Vocabulary vocabulary = Vocabulary.of(content);
        int[] indices = content.codePoints().map(vocabulary::indexOf).toArray();
        long[] counts = new long[vocabulary.size()];
        for (int i : indices) {
            counts[i]++;
        }
        return new Corpus(name, vocabulary, EncodedText.of(indices, vocabulary.size()), counts);
    }

    /** The name that reads standard input. */
    public static final String STDIN = "-";

    /** Where the characters come from: a file read twice, or bytes read once into memory. */
    private interface Source {
        InputStream open() throws IOException;

        /** Bytes in the source: an upper bound on its characters. */
        long size() throws IOException;
    }

    /**
     * Reads a UTF-8 file: one pass finds the vocabulary and the length, a second encodes it,
     * so only the compact encoded text is ever held in memory. A pipe, a device or standard
     * input ({@code -}) is read once, into memory, up to {@link #pipeLimit()} bytes.
     *
     * @throws InputException if the file is missing, unreadable, not UTF-8, has fewer than two
     *                        distinct characters, or is longer than charrnn reads
     */
    public static Corpus load(Path path) throws InputException {
        return load(path, pipeLimit());
    }

    /** {@link #load(Path)} with a given bound on what is read from a pipe. */
    static Corpus load(Path path, long pipeLimit) throws InputException {
        Source source = source(path, pipeLimit);
        Corpus latin1 = loadLatin1(path, source);
        if (latin1 != null) {
            return latin1;
        }
        boolean[] seen = new boolean[MAX_CODE_POINT + 1];
        long count = scan(path, source, cp -> seen[cp] = true);
        if (count == 0) {
            throw new InputException(path + " is empty: a corpus needs text to learn from");
        }
        int distinct = 0;
        for (boolean s : seen) {
            distinct += s ? 1 : 0;
        }
        int[] codePoints = new int[distinct];
        for (int cp = 0, k = 0; cp <= MAX_CODE_POINT; cp++) {
            if (seen[cp]) {
                codePoints[k++] = cp;
            }
        }
        if (distinct < 2) {
            throw new InputException(path + " has only one distinct character ("
                    + Vocabulary.describe(codePoints[0]) + "); a language model needs at least 2");
        }
        Vocabulary vocabulary = new Vocabulary(codePoints);
        long[] counts = new long[vocabulary.size()];
        return new Corpus(name(path), vocabulary, encode(path, source, vocabulary, count, counts), counts);
    }

    /**
     * Reads a UTF-8 file in a given vocabulary. Characters outside it are left out of the
     * text, and counted into {@code unknown} (code point → occurrences).
     *
     * @throws InputException if the file is missing, unreadable, not UTF-8, or has no
     *                        character of the vocabulary
     */
    public static Corpus load(Path path, Vocabulary vocabulary, java.util.Map<Integer, Long> unknown)
            throws InputException {
        return load(path, vocabulary, unknown, pipeLimit());
    }

    /** {@link #load(Path, Vocabulary, java.util.Map)} with a given bound on what is read from a pipe. */
    static Corpus load(Path path, Vocabulary vocabulary, java.util.Map<Integer, Long> unknown, long pipeLimit)
            throws InputException {
        Source source = source(path, pipeLimit);
        long[] known = new long[1];
        scan(path, source, cp -> {
            if (vocabulary.contains(cp)) {
                known[0]++;
            } else {
                unknown.merge(cp, 1L, Long::sum);
            }
        });
        if (known[0] == 0) {
            throw new InputException(path + (unknown.isEmpty() ? " is empty" : " has no character of the model's vocabulary"));
        }
        long[] counts = new long[vocabulary.size()];
        return new Corpus(name(path), vocabulary, encode(path, source, vocabulary, known[0], counts), counts);
    }

    /**
     * One pass for the common case of a text whose every character is below U+0100 (ASCII and
     * Latin-1): the characters are kept as bytes while the file is decoded, then renumbered in
     * place. Returns null, having read only up to the first character beyond, for any other text.
     */
    private static Corpus loadLatin1(Path path, Source source) throws InputException {
        long size;
        try {
            size = source.size();
        } catch (IOException e) {
            throw unreadable(path, e);
        }
        if (size == 0 || size > MAX_CHARS) {
            return null;
        }
        byte[] bytes = new byte[(int) size];    // UTF-8 takes at least one byte per character
        boolean[] seen = new boolean[256];
        int[] length = new int[1];
        boolean[] beyond = new boolean[1];
        read(path, source, NOT_UTF8, (chunk, got) -> {
            int n = length[0];
            if (n + got > bytes.length) {
                throw new InputException(path + " changed while it was being read");
            }
            for (int i = 0; i < got; i++) {
                final int cp = chunk[i];
                if (cp >= seen.length) {
                    beyond[0] = true;
                    return false;
                }
                seen[cp] = true;
                bytes[n++] = (byte) cp;
            }
            length[0] = n;
            return true;
        });
        if (beyond[0]) {
            return null;
        }
        final int n = length[0];
        int distinct = 0;
        for (boolean s : seen) {
            distinct += s ? 1 : 0;
        }
        if (distinct == 0) {
            throw new InputException(path + " is empty: a corpus needs text to learn from");
        }
        int[] codePoints = new int[distinct];
        int[] indexOf = new int[256];
        for (int cp = 0, k = 0; cp < 256; cp++) {
            if (seen[cp]) {
                indexOf[cp] = k;
                codePoints[k++] = cp;
            }
        }
        if (distinct < 2) {
            throw new InputException(path + " has only one distinct character ("
                    + Vocabulary.describe(codePoints[0]) + "); a language model needs at least 2");
        }
        long[] counts = new long[distinct];
        for (int i = 0; i < n; i++) {
            final int index = indexOf[bytes[i] & 0xFF];
            bytes[i] = (byte) index;
            counts[index]++;
        }
        return new Corpus(name(path), new Vocabulary(codePoints), new EncodedText.Bytes(bytes, n), counts);
    }

    private static String name(Path path) {
        return isStdin(path) ? "standard input" : path.toString();
    }

    private static boolean isStdin(Path path) {
        return path.toString().equals(STDIN);
    }

    /**
     * Bytes read at most from a pipe, a device or standard input, which are held in memory
     * whole: a quarter of the heap, and no more than one array holds.
     */
    public static long pipeLimit() {
        return Math.min(MAX_CHARS, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * A regular file is read where it lies, twice; anything else (a pipe, a device, standard
     * input) once, into memory, up to {@code limit} bytes.
     */
    private static Source source(Path path, long limit) throws InputException {
        if (!isStdin(path)) {
            if (Files.isDirectory(path)) {
                throw new InputException(path + " is a directory, not a text file");
            }
            if (!Files.exists(path)) {
                throw new InputException("cannot read " + path + ": no such file");
            }
            if (Files.isRegularFile(path)) {
                return new Source() {
                    @Override
                    public InputStream open() throws IOException {
                        return Files.newInputStream(path);
                    }

                    @Override
                    public long size() throws IOException {
                        return Files.size(path);
                    }
                };
            }
        }
        byte[] bytes;
        try (InputStream in = isStdin(path) ? System.in : Files.newInputStream(path)) {
            bytes = in.readNBytes((int) Math.min(limit + 1, MAX_CHARS));
        } catch (IOException e) {
            throw unreadable(path, e);
        }
        if (bytes.length > limit) {
            throw new InputException(name(path) + " goes on beyond " + limit + " bytes, the most charrnn reads from a "
                    + "pipe or device (it holds such input in memory); save it to a regular file first");
        }
        return new Source() {
            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }

    /** First pass: validates the UTF-8, hands every code point to {@code visit}, counts them. */
    private static long scan(Path path, Source source, java.util.function.IntConsumer visit) throws InputException {
        long[] count = new long[1];
        read(path, source, NOT_UTF8, (chunk, n) -> {
            for (int i = 0; i < n; i++) {
                visit.accept(chunk[i]);
            }
            count[0] += n;
            if (count[0] > MAX_CHARS) {
                throw new InputException(path + " has more than " + MAX_CHARS + " characters, the most supported");
            }
            return true;
        });
        return count[0];
    }

    /**
     * Second pass: the indices of the {@code count} characters that are in the vocabulary, and
     * how often each occurs, into {@code counts}.
     */
    private static EncodedText encode(Path path, Source source, Vocabulary vocabulary, long count, long[] counts)
            throws InputException {
        EncodedText text = EncodedText.allocate((int) count, vocabulary.size());
        int[] written = new int[1];
        read(path, source, " changed while it was being read: ", (chunk, n) -> {
            int at = written[0];
            for (int i = 0; i < n; i++) {
                int index = vocabulary.indexOf(chunk[i]);
                if (index >= 0) {
                    if (at == count) {
                        throw new InputException(path + " changed while it was being read");
                    }
                    text.set(at++, index);
                    counts[index]++;
                }
            }
            written[0] = at;
            return true;
        });
        if (written[0] != count) {
            throw new InputException(path + " changed while it was being read");
        }
        return text;
    }

    /** What a malformed sequence means on a first reading. */
    private static final String NOT_UTF8 = " is not UTF-8 text: ";

    /** What a pass does with each chunk of code points; false to stop reading. */
    private interface Chunks {
        boolean accept(int[] chunk, int n) throws InputException;
    }

    /**
     * The one read loop: the source decoded in chunks of code points, each handed to
     * {@code each}, until the end or until it returns false. A malformed sequence is reported
     * as the path followed by {@code malformed} and the decoder's words.
     */
    private static void read(Path path, Source source, String malformed, Chunks each) throws InputException {
        int[] chunk = new int[1 << 16];
        try (Utf8Reader reader = Utf8Reader.open(source.open())) {
            int n;
            while ((n = reader.read(chunk)) != -1) {
                if (!each.accept(chunk, n)) {
                    return;
                }
            }
        } catch (Utf8Reader.MalformedException e) {
            throw new InputException(path + malformed + e.getMessage());
        } catch (IOException e) {
            throw unreadable(path, e);
        }
    }

    private static InputException unreadable(Path path, IOException e) {
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            why = "no such file";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new InputException("cannot read " + path + ": " + why, e);
    }
}
