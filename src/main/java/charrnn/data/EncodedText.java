package charrnn.data;

/**
 * A corpus as vocabulary indices, one per character, held in the smallest array type that
 * can hold index V-1: a byte per character up to 256 symbols, two bytes up to 65,536, four
 * beyond.
 */
public sealed interface EncodedText permits EncodedText.Bytes, EncodedText.Chars, EncodedText.Ints {

    /** Characters in the text. */
    int length();

    /** The index of character {@code i}. */
    int at(int i);

    /** Bytes used per character. */
    int bytesPerChar();

    /** An empty store of {@code length} characters, sized for a vocabulary of {@code v}. */
    static EncodedText allocate(int length, int v) {
        if (v <= 256) {
            return new Bytes(new byte[length], length);
        } else if (v <= 65_536) {
            return new Chars(new char[length]);
        }
        return new Ints(new int[length]);
    }

    /** Writes index {@code index} at position {@code i}; used while loading only. */
    void set(int i, int index);

    /** Encodes {@code indices} (all below {@code v}). */
    static EncodedText of(int[] indices, int v) {
        EncodedText text = allocate(indices.length, v);
        for (int i = 0; i < indices.length; i++) {
            text.set(i, indices[i]);
        }
        return text;
    }

    /** One byte per character; {@code data} may be longer than the text (it is read in place). */
    record Bytes(byte[] data, int length) implements EncodedText {
        public Bytes {
            if (length < 0 || length > data.length) {
                throw new IllegalArgumentException("length " + length + " outside [0, " + data.length + "]");
            }
        }

        public int length() { return length; }
        public int at(int i) { return data[i] & 0xFF; }
        public int bytesPerChar() { return 1; }
        public void set(int i, int index) { data[i] = (byte) index; }
    }

    record Chars(char[] data) implements EncodedText {
        public int length() { return data.length; }
        public int at(int i) { return data[i]; }
        public int bytesPerChar() { return 2; }
        public void set(int i, int index) { data[i] = (char) index; }
    }

    record Ints(int[] data) implements EncodedText {
        public int length() { return data.length; }
        public int at(int i) { return data[i]; }
        public int bytesPerChar() { return 4; }
        public void set(int i, int index) { data[i] = index; }
    }
}
