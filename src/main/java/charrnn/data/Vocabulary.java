package charrnn.data;

import java.util.Arrays;

/**
 * The sorted set of Unicode code points of a corpus, each mapped to its index 0..V-1.
 * Code points, not UTF-16 chars: a character outside the Basic Multilingual Plane is one
 * symbol.
 */
public final class Vocabulary {
    private final int[] codePoints;      // V, strictly increasing
    private final int[] indexByCodePoint; // maxCodePoint+1, -1 where absent

    public Vocabulary(int[] sortedCodePoints) {
        if (sortedCodePoints.length == 0) {
            throw new IllegalArgumentException("a vocabulary needs at least one symbol");
        }
        for (int i = 0; i < sortedCodePoints.length; i++) {
            int cp = sortedCodePoints[i];
            if (!Character.isValidCodePoint(cp) || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)
                    || (i > 0 && cp <= sortedCodePoints[i - 1])) {
                throw new IllegalArgumentException("code points must be valid characters (no surrogates), strictly increasing");
            }
        }
        this.codePoints = sortedCodePoints.clone();
        this.indexByCodePoint = new int[codePoints[codePoints.length - 1] + 1];
        Arrays.fill(indexByCodePoint, -1);
        for (int i = 0; i < codePoints.length; i++) {
            indexByCodePoint[codePoints[i]] = i;
        }
    }

    /** The vocabulary of the code points of {@code text}. */
    public static Vocabulary of(CharSequence text) {
        return new Vocabulary(text.codePoints().sorted().distinct().toArray());
    }

    /** V, the number of distinct symbols. */
    public int size() {
        return codePoints.length;
    }

    /** The code point of symbol {@code index}. */
    public int codePoint(int index) {
        return codePoints[index];
    }

    /** The index of {@code codePoint}, or -1 if it is not in the vocabulary. */
    public int indexOf(int codePoint) {
        return codePoint >= 0 && codePoint < indexByCodePoint.length ? indexByCodePoint[codePoint] : -1;
    }

    public boolean contains(int codePoint) {
        return indexOf(codePoint) >= 0;
    }

    /** A copy of the code points, in index order. */
    public int[] codePoints() {
        return codePoints.clone();
    }

    /** Text of the symbols {@code indices[0..n)}. */
    public String decode(int[] indices, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(codePoints[indices[i]]);
        }
        return sb.toString();
    }

    /** A readable name for a symbol in messages: the character itself, or its escape. */
    public static String describe(int codePoint) {
        String hex = String.format("U+%04X", codePoint);
        if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                || Character.getType(codePoint) == Character.UNASSIGNED) {
            return hex;
        }
        return "'" + new String(Character.toChars(codePoint)) + "' (" + hex + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }
}
