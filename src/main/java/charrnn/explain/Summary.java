package charrnn.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Where a model was lost on a text: by kind of character, the worst characters and words. */
public final class Summary {
    private Summary() {
    }

    /** Kinds of character, each predicted character of exactly one. */
    public enum Kind {
        NEWLINE("newline"),
        LINE_START("first character of a line"),
        SPACE("space or tab"),
        WORD_START("first letter of a word"),
        WORD_REST("later letter of a word"),
        DIGIT("digit"),
        OTHER("punctuation and other");

        public final String title;

        Kind(String title) {
            this.title = title;
        }

        /** The kind of character c after character {@code before}. */
        static Kind of(int before, int c) {
            if (c == '\n') {
                return NEWLINE;
            }
            if (before == '\n') {
                return LINE_START;
            }
            if (c == ' ' || c == '\t') {
                return SPACE;
            }
            if (Character.isLetter(c)) {
                return Character.isLetter(before) ? WORD_REST : WORD_START;
            }
            return Character.isDigit(c) ? DIGIT : OTHER;
        }
    }

    /** The code point of character k read. */
    static int cp(Reading r, int k) {
        return r.vocabulary.codePoint(r.symbol[k]);
    }

    /** The kind of each character read (index 0, never predicted, has one too). */
    public static Kind[] kinds(Reading r) {
        Kind[] kinds = new Kind[r.read()];
        for (int k = 0; k < kinds.length; k++) {
            kinds[k] = Kind.of(k == 0 ? -1 : cp(r, k - 1), cp(r, k));
        }
        return kinds;
    }

    /** Characters predicted of each kind, in {@link Kind} order. */
    public static int[] counts(Kind[] kinds) {
        int[] n = new int[Kind.values().length];
        for (int k = 1; k < kinds.length; k++) {
            n[kinds[k].ordinal()]++;
        }
        return n;
    }

    /** Mean bits per character of each kind (NaN for a kind absent from the text). */
    public static double[] meanBits(Reading r, Kind[] kinds) {
        double[] sum = new double[Kind.values().length];
        int[] n = counts(kinds);
        for (int k = 1; k < kinds.length; k++) {
            sum[kinds[k].ordinal()] += r.bits(k);
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = n[i] == 0 ? Double.NaN : sum[i] / n[i];
        }
        return sum;
    }

    /** Width of the buckets of line length in {@link #lineEnds}; the last bucket is open. */
    public static final int LINE_BUCKET = 10;
    public static final int LINE_BUCKETS = 7;

    /**
     * The newlines by the length of the line they end (characters read since the newline
     * before), in buckets of {@link #LINE_BUCKET}, the last open: how many there are and their
     * mean bits. Where the line's end can be foreseen only by counting back to its start, a model
     * that tracks the line's length is less surprised.
     *
     * @return {counts, mean bits (NaN where none)}, each LINE_BUCKETS long
     */
    public static double[][] lineEnds(Reading r) {
        double[] n = new double[LINE_BUCKETS];
        double[] bits = new double[LINE_BUCKETS];
        int length = 0;
        for (int k = 0; k < r.read(); k++) {
            if (cp(r, k) != '\n') {
                length++;
                continue;
            }
            if (k > 0) {
                final int b = Math.min(length / LINE_BUCKET, LINE_BUCKETS - 1);
                n[b]++;
                bits[b] += r.bits(k);
            }
            length = 0;
        }
        for (int b = 0; b < LINE_BUCKETS; b++) {
            bits[b] = n[b] == 0 ? Double.NaN : bits[b] / n[b];
        }
        return new double[][] {n, bits};
    }

    /** The n characters with the most bits of surprise, most first. */
    public static int[] mostSurprising(Reading r, int n) {
        return IntStream.range(1, r.read()).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> -r.nats[k]).thenComparingInt(k -> k))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    /**
     * A word read: characters {@code from} to {@code to − 1}, a maximal run of letters.
     *
     * @param bits its characters' surprise, summed
     */
    public record Word(int from, int to, double bits) {
    }

    /**
     * The n words whose letters cost the most bits in all, most first: of a word that occurs
     * more than once, its worst occurrence.
     */
    public static List<Word> mostSurprisingWords(Reading r, int n) {
        List<Word> words = new ArrayList<>();
        int k = 1;
        while (k < r.read()) {
            if (!Character.isLetter(cp(r, k))) {
                k++;
                continue;
            }
            int from = k;
            double bits = 0;
            while (k < r.read() && Character.isLetter(cp(r, k))) {
                bits += r.bits(k++);
            }
            words.add(new Word(from, k, bits));
        }
        words.sort(Comparator.comparingDouble((Word w) -> -w.bits()).thenComparingInt(Word::from));
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Word> worst = new ArrayList<>();
        for (Word w : words) {
            if (worst.size() < n && seen.add(spelling(r, w))) {
                worst.add(w);
            }
        }
        return worst;
    }

    private static String spelling(Reading r, Word w) {
        StringBuilder s = new StringBuilder();
        for (int k = w.from(); k < w.to(); k++) {
            s.appendCodePoint(cp(r, k));
        }
        return s.toString();
    }

    /**
     * The n characters where model b's surprise is lowest compared with a's (b − a most
     * negative), most first; swap the two for where a does better.
     */
    public static int[] largestGains(Reading a, Reading b, int n) {
        return IntStream.range(1, a.read()).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> b.nats[k] - a.nats[k]).thenComparingInt(k -> k))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }
}
