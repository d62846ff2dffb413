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

    /**
     * Reads a UTF-8 file: one pass finds the vocabulary and the length, a second encodes it,
     * so only the compact encoded text is ever held in memory.
     *
     * @throws InputException if the file is missing, unreadable, not UTF-8, or has fewer
     *                        than two distinct characters
     */
    public static Corpus load(Path path) throws InputException {
        requireFile(path);
        Corpus latin1 = loadLatin1(path);
        if (latin1 != null) {
            return latin1;
        }
        boolean[] seen = new boolean[MAX_CODE_POINT + 1];
        long count = scan(path, cp -> seen[cp] = true);
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
        return new Corpus(path.toString(), vocabulary, encode(path, vocabulary, count, counts), counts);
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
        requireFile(path);
        long[] known = new long[1];
        scan(path, cp -> {
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
        return new Corpus(path.toString(), vocabulary, encode(path, vocabulary, known[0], counts), counts);
    }

    /**
     * One pass for the common case of a text whose every character is below U+0100 (ASCII and
     * Latin-1): the characters are kept as bytes while the file is decoded, then renumbered in
     * place. Returns null, having read only up to the first character beyond, for any other text.
     */
    private static Corpus loadLatin1(Path path) throws InputException {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw unreadable(path, e);
        }
        if (size == 0 || size > MAX_CHARS) {
            return null;
        }
        byte[] bytes = new byte[(int) size];    // UTF-8 takes at least one byte per character
        boolean[] seen = new boolean[256];
        int n = 0;
        int[] chunk = new int[1 << 16];
        try (Utf8Reader reader = open(path)) {
            int got;
            while ((got = reader.read(chunk)) >= 0) {
                if (n + got > bytes.length) {
                    throw new InputException(path + " changed while it was being read");
                }
                for (int i = 0; i < got; i++) {
                    final int cp = chunk[i];
                    if (cp > 0xFF) {
                        return null;
                    }
                    seen[cp] = true;
                    bytes[n++] = (byte) cp;
                }
            }
        } catch (Utf8Reader.MalformedException e) {
            throw new InputException(path + " is not UTF-8 text: " + e.getMessage());
        } catch (IOException e) {
            throw unreadable(path, e);
        }
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
        return new Corpus(path.toString(), new Vocabulary(codePoints), new EncodedText.Bytes(bytes, n), counts);
    }

    private static void requireFile(Path path) throws InputException {
        if (Files.isDirectory(path)) {
            throw new InputException(path + " is a directory, not a text file");
        }
        if (!Files.exists(path)) {
            throw new InputException("cannot read " + path + ": no such file");
        }
    }

    /** First pass: validates the UTF-8, hands every code point to {@code visit}, counts them. */
    private static long scan(Path path, java.util.function.IntConsumer visit) throws InputException {
        long count = 0;
        int[] chunk = new int[1 << 16];
        try (Utf8Reader reader = open(path)) {
            int n;
            while ((n = reader.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    visit.accept(chunk[i]);
                }
                count += n;
            }
        } catch (Utf8Reader.MalformedException e) {
            throw new InputException(path + " is not UTF-8 text: " + e.getMessage());
        } catch (IOException e) {
            throw unreadable(path, e);
        }
        return count;
    }

    /**
     * Second pass: the indices of the {@code count} characters that are in the vocabulary, and
     * how often each occurs, into {@code counts}.
     */
    private static EncodedText encode(Path path, Vocabulary vocabulary, long count, long[] counts)
            throws InputException {
        if (count > MAX_CHARS) {
            throw new InputException(path + " has " + count + " characters; at most " + MAX_CHARS + " are supported");
        }
        EncodedText text = EncodedText.allocate((int) count, vocabulary.size());
        int at = 0;
        int[] chunk = new int[1 << 16];
        try (Utf8Reader reader = open(path)) {
            int n;
            while ((n = reader.read(chunk)) >= 0) {
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
            }
        } catch (Utf8Reader.MalformedException e) {
            throw new InputException(path + " changed while it was being read: " + e.getMessage());
        } catch (IOException e) {
            throw unreadable(path, e);
        }
        if (at != count) {
            throw new InputException(path + " changed while it was being read");
        }
        return text;
    }

    private static Utf8Reader open(Path path) throws IOException {
        InputStream in = Files.newInputStream(path);
        try {
            return new Utf8Reader(in);
        } catch (IOException e) {
            in.close();
            throw e;
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
