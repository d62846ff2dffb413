package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The strict UTF-8 decoder at every edge of the standard's table of well-formed byte
 * sequences (Unicode 15, table 3-7), seen through {@link Corpus#load}: each first and last
 * code point of a range decodes to itself, each byte just outside a range is refused with the
 * offset of the sequence it starts.
 */
class Utf8DecodingTest {
    @TempDir
    Path dir;

    private static byte[] hex(String hex) {
        String[] parts = hex.trim().split(" +");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    private Path file(byte[]... pieces) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : pieces) {
            out.write(p);
        }
        Path p = dir.resolve("c.txt");
        Files.write(p, out.toByteArray());
        return p;
    }

    private static String text(Corpus c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.length(); i++) {
            sb.appendCodePoint(c.vocabulary().codePoint(c.text().at(i)));
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "U+{1}: {0}")
    @CsvSource({
        "C2 80, 0080", "C2 BF, 00BF", "DF BF, 07FF", "C3 BF, 00FF", "C4 80, 0100",
        "E0 A0 80, 0800", "E0 BF BF, 0FFF", "E1 80 80, 1000", "EC BF BF, CFFF",
        "ED 80 80, D000", "ED 9F BF, D7FF", "EE 80 80, E000", "EF BF BF, FFFF",
        "F0 90 80 80, 10000", "F0 BF BF BF, 3FFFF", "F1 80 80 80, 40000", "F3 BF BF BF, FFFFF",
        "F4 80 80 80, 100000", "F4 8F BF BF, 10FFFF",
    })
    void everyRangeDecodesFromItsFirstToItsLastCodePoint(String bytes, String codePoint) throws Exception {
        int cp = Integer.parseInt(codePoint, 16);
        String expected = "a" + Character.toString(cp) + "b" + Character.toString(cp);
        Corpus c = Corpus.load(file(hex("61"), hex(bytes), hex("62"), hex(bytes)));
        assertEquals(expected, text(c));
        assertEquals(4, c.length());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // what,                               bytes,              offset, message
        "'C0, overlong',                       61 C0 80,           1, byte 0xC0 cannot start a character",
        "'C1, overlong',                       61 62 C1 BF,        2, byte 0xC1 cannot start a character",
        "'F5, beyond U+10FFFF',                F5 80 80 80,        0, byte 0xF5 cannot start a character",
        "'FF',                                 61 62 63 FF,        3, byte 0xFF cannot start a character",
        "'a continuation byte alone',          61 BF,              1, byte 0xBF cannot start a character",
        "'2-byte: 7F second',                  61 C2 7F,           1, byte 0x7F cannot follow 0xC2 in a 2-byte character",
        "'2-byte: C0 second',                  61 DF C0,           1, byte 0xC0 cannot follow 0xDF in a 2-byte character",
        "'E0: 9F second, overlong',            61 E0 9F BF,        1, byte 0x9F cannot follow 0xE0 in a 3-byte character",
        "'E0: C0 second',                      61 E0 C0 80,        1, byte 0xC0 cannot follow 0xE0 in a 3-byte character",
        "'E1: 7F second',                      61 E1 7F 80,        1, byte 0x7F cannot follow 0xE1 in a 3-byte character",
        "'ED: A0 second, a surrogate',         61 ED A0 80,        1, byte 0xA0 cannot follow 0xED in a 3-byte character",
        "'EE: C0 second',                      61 EE C0 80,        1, byte 0xC0 cannot follow 0xEE in a 3-byte character",
        "'3-byte: 7F third',                   61 62 E2 82 7F,     2, byte 0x7F cannot follow 0xE2 in a 3-byte character",
        "'3-byte: C0 third',                   61 62 E2 82 C0,     2, byte 0xC0 cannot follow 0xE2 in a 3-byte character",
        "'F0: 8F second, overlong',            61 F0 8F BF BF,     1, byte 0x8F cannot follow 0xF0 in a 4-byte character",
        "'F0: C0 second',                      61 F0 C0 80 80,     1, byte 0xC0 cannot follow 0xF0 in a 4-byte character",
        "'F1: 7F second',                      61 F1 7F 80 80,     1, byte 0x7F cannot follow 0xF1 in a 4-byte character",
        "'F4: 90 second, beyond U+10FFFF',     61 F4 90 80 80,     1, byte 0x90 cannot follow 0xF4 in a 4-byte character",
        "'4-byte: C0 third',                   61 F0 90 C0 80,     1, byte 0xC0 cannot follow 0xF0 in a 4-byte character",
        "'4-byte: 7F fourth',                  61 F0 90 80 7F,     1, byte 0x7F cannot follow 0xF0 in a 4-byte character",
        "'4-byte: C0 fourth',                  61 F3 BF BF C0,     1, byte 0xC0 cannot follow 0xF3 in a 4-byte character",
        "'2-byte cut at the end',              61 62 C3,           2, the file ends inside a 2-byte character",
        "'3-byte cut after one',               61 E2,              1, the file ends inside a 3-byte character",
        "'3-byte cut after two',               61 E2 82,           1, the file ends inside a 3-byte character",
        "'4-byte cut after three',             61 62 63 F0 9F 98,  3, the file ends inside a 4-byte character",
        "'a BOM cut short',                    EF BB,              0, the file ends inside a 3-byte character",
    })
    void everyMalformedSequenceIsRefusedWithItsOffset(String what, String bytes, long offset, String message) {
        InputException e = assertThrows(InputException.class, () -> Corpus.load(file(hex(bytes))), what);
        assertEquals(dir.resolve("c.txt") + " is not UTF-8 text: malformed UTF-8: " + message + " at byte offset "
                + offset, e.getMessage(), what);
    }

    @Test
    void aMalformedSequenceBeyondTheFirstCharacterOutsideLatin1IsFoundByTheGeneralPath() {
        // U+4E00 sends the file down the two-pass path; the fault is past it
        InputException e = assertThrows(InputException.class,
                () -> Corpus.load(file(hex("61 E4 B8 80 62 ED BF BF"))));
        assertEquals(dir.resolve("c.txt") + " is not UTF-8 text: malformed UTF-8: byte 0xBF cannot follow 0xED in a"
                + " 3-byte character at byte offset 5", e.getMessage());
    }

    @Test
    void offsetsCountFromTheFileStartAcrossBufferRefillsAndAfterAByteOrderMark() throws Exception {
        int n = 3_000_001;     // beyond two refills of a 1 MiB buffer
        byte[] ascii = new byte[n];
        for (int i = 0; i < n; i++) {
            ascii[i] = (byte) ('a' + i % 3);
        }
        InputException e = assertThrows(InputException.class, () -> Corpus.load(file(ascii, hex("C3 28"))));
        assertEquals(dir.resolve("c.txt") + " is not UTF-8 text: malformed UTF-8: byte 0x28 cannot follow 0xC3 in a"
                + " 2-byte character at byte offset " + n, e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(file(hex("EF BB BF 61 62 80"))));
        assertEquals(dir.resolve("c.txt") + " is not UTF-8 text: malformed UTF-8: byte 0x80 cannot start a character"
                + " at byte offset 5", e.getMessage());
        // with a character at every offset of a 4-byte sequence across the first refill
        for (int shift = 0; shift < 4; shift++) {
            byte[] head = new byte[(1 << 20) - 2 - shift];
            java.util.Arrays.fill(head, (byte) 'x');
            Corpus c = Corpus.load(file(head, hex("F0 9F 98 80 79 E2 82 AC")));
            assertEquals(head.length + 3, c.length());
            assertEquals(0x1F600, c.vocabulary().codePoint(c.text().at(head.length)));
            assertEquals(0x20AC, c.vocabulary().codePoint(c.text().at(head.length + 2)));
        }
    }

    @Test
    void onlyALeadingByteOrderMarkIsDropped() throws Exception {
        assertEquals("ab", text(Corpus.load(file(hex("EF BB BF 61 62")))));
        assertEquals("a\uFEFFb", text(Corpus.load(file(hex("61 EF BB BF 62")))));
        assertEquals("\uFEFF\u4E00", text(Corpus.load(file(hex("EF BB BF EF BB BF E4 B8 80")))));
        // EF BB BE is not a byte order mark: U+FEFE
        assertEquals("\uFEFEa", text(Corpus.load(file(hex("EF BB BE 61")))));
        assertEquals("\uFBFFa", text(Corpus.load(file(hex("EF AF BF 61")))));
        assertEquals("\uEEFFa", text(Corpus.load(file(hex("EE BB BF 61")))));
    }

    @Test
    void emptyFilesAndFilesOfOneCharacterAreRefused() {
        InputException e = assertThrows(InputException.class, () -> Corpus.load(file(new byte[0])));
        assertEquals(dir.resolve("c.txt") + " is empty: a corpus needs text to learn from", e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(file(hex("EF BB BF"))));
        assertEquals(dir.resolve("c.txt") + " is empty: a corpus needs text to learn from", e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(file(hex("E4 B8 80 E4 B8 80"))));
        assertEquals(dir.resolve("c.txt") + " has only one distinct character ('\u4E00' (U+4E00)); a language model"
                + " needs at least 2", e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(file(hex("20 20"))));
        assertEquals(dir.resolve("c.txt") + " has only one distinct character (U+0020); a language model needs at"
                + " least 2", e.getMessage());
    }

    @Test
    void aNulCharacterIsACharacter() throws Exception {
        assertEquals("a\u0000b\u0000", text(Corpus.load(file(hex("61 00 62 00")))));
        assertEquals("\u4E00\u0000", text(Corpus.load(file(hex("E4 B8 80 00")))));
    }

    @Test
    void aLongMultiByteTextThatEndsInAsciiIsReadToItsLastCharacter() throws Exception {
        // the last refill leaves bytes of earlier characters beyond the end of what it read
        byte[] e = new byte[2 * 1_100_000];
        for (int i = 0; i < e.length; i += 2) {
            e[i] = (byte) 0xC3;
            e[i + 1] = (byte) 0xA9;
        }
        for (byte[] tail : new byte[][] {hex("61 62"), hex("61"), hex("61 62 63 64 65")}) {
            Corpus c = Corpus.load(file(e, tail));
            assertEquals(1_100_000 + tail.length, c.length());
            assertEquals('a', c.vocabulary().codePoint(c.text().at(1_100_000)));
            assertEquals(tail[tail.length - 1], c.vocabulary().codePoint(c.text().at(c.length() - 1)));
            Corpus known = Corpus.load(file(e, tail), c.vocabulary(), new HashMap<>());
            assertEquals(c.length(), known.length());
        }
    }

    @Test
    void twoDistinctCharactersAreEnoughOnEitherPath() throws Exception {
        assertEquals("abba", text(Corpus.load(file(hex("61 62 62 61")))));
        assertEquals("\u4E00\u4E8C\u4E00", text(Corpus.load(file(hex("E4 B8 80 E4 BA 8C E4 B8 80")))));
    }

    @Test
    void aTextInAGivenVocabularyLeavesOutAndCountsTheUnknownCharacters() throws Exception {
        Vocabulary v = Vocabulary.of("abc");
        Map<Integer, Long> unknown = new HashMap<>();
        Corpus c = Corpus.load(file(hex("61 E4 B8 80 62 7A E4 B8 80 63 61")), v, unknown);
        assertEquals("abca", text(c));
        assertEquals(Map.of(0x4E00, 2L, (int) 'z', 1L), unknown);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {2, 1, 1}, c.counts());
        assertEquals(v, c.vocabulary());

        Map<Integer, Long> none = new HashMap<>();
        InputException e = assertThrows(InputException.class, () -> Corpus.load(file(hex("78 79")), v, none));
        assertEquals(dir.resolve("c.txt") + " has no character of the model's vocabulary", e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(file(new byte[0]), v, new HashMap<>()));
        assertEquals(dir.resolve("c.txt") + " is empty", e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(file(hex("61 FF")), v, new HashMap<>()));
        assertEquals(dir.resolve("c.txt") + " is not UTF-8 text: malformed UTF-8: byte 0xFF cannot start a character"
                + " at byte offset 1", e.getMessage());
    }

    @Test
    void aMissingFileOrADirectoryIsNamed() {
        Path missing = dir.resolve("nothing.txt");
        InputException e = assertThrows(InputException.class, () -> Corpus.load(missing));
        assertEquals("cannot read " + missing + ": no such file", e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(dir));
        assertEquals(dir + " is a directory, not a text file", e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(missing, Vocabulary.of("ab"), new HashMap<>()));
        assertEquals("cannot read " + missing + ": no such file", e.getMessage());
        e = assertThrows(InputException.class, () -> Corpus.load(dir, Vocabulary.of("ab"), new HashMap<>()));
        assertEquals(dir + " is a directory, not a text file", e.getMessage());
    }
}
