package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.model.Rng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorpusTest {
    @TempDir
    Path dir;

    private Corpus load(byte[] bytes) throws IOException, InputException {
        Path p = dir.resolve("c.txt");
        Files.write(p, bytes);
        return Corpus.load(p);
    }

    private Corpus load(String text) throws IOException, InputException {
        return load(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(Corpus c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.length(); i++) {
            sb.appendCodePoint(c.vocabulary().codePoint(c.text().at(i)));
        }
        return sb.toString();
    }

    @Test
    void charactersOutsideTheBmpAreOneSymbolEach() throws Exception {
        String text = "a\uD83D\uDE00b\uD83D\uDE00\uD842\uDFB7a";   // a 😀 b 😀 𠮷 a
        Corpus c = load(text);
        assertEquals(6, c.length());
        assertEquals(4, c.vocabulary().size());
        assertEquals(0x1F600, c.vocabulary().codePoint(2));     // sorted by code point: a b 😀 𠮷
        assertEquals(0x20BB7, c.vocabulary().codePoint(3));
        assertEquals(text, decode(c));
    }

    @Test
    void countsAreTheOccurrencesOfEachSymbol() throws Exception {
        Corpus c = load("abracadabra");
        assertEquals(5, c.vocabulary().size());
        long[] expected = {5, 2, 1, 1, 2};   // a b c d r
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, c.counts());
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, Corpus.of("s", "abracadabra").counts());
    }

    @Test
    void latin1TextTakesTheOnePassPathAndMatchesTheGeneralOne() throws Exception {
        String latin = "café naïve, señor; ÿ and \u00a0 and ASCII ~\n".repeat(50);
        Corpus fast = load(latin);
        assertEquals(latin, decode(fast));
        // a character beyond U+00FF at the very end sends the same text down the general path
        Corpus general = load(latin + "\u0100");
        assertEquals(latin + "\u0100", decode(general));
        assertEquals(fast.vocabulary().size() + 1, general.vocabulary().size());
        for (int i = 0; i < fast.vocabulary().size(); i++) {
            assertEquals(fast.counts()[i], general.counts()[i]);
        }
    }

    @Test
    void crlfTextKeepsBothCharacters() throws Exception {
        Corpus c = load("one\r\ntwo\r\n");
        assertEquals(10, c.length());
        assertTrue(c.vocabulary().contains('\r'));
        assertTrue(c.vocabulary().contains('\n'));
        assertEquals("one\r\ntwo\r\n", decode(c));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheText() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i', '!'};
        Corpus c = load(bom);
        assertEquals("hi!", decode(c));
    }

    @Test
    void theStoreIsTheSmallestArrayForTheVocabulary() throws Exception {
        assertInstanceOf(EncodedText.Bytes.class, load("abc").text());
        StringBuilder many = new StringBuilder();
        for (int cp = 0x4E00; cp < 0x4E00 + 300; cp++) {
            many.appendCodePoint(cp);
        }
        Corpus cjk = load(many.toString());
        assertInstanceOf(EncodedText.Chars.class, cjk.text());
        assertEquals(299, cjk.text().at(299));
        assertEquals(many.toString(), decode(cjk));
    }

    @Test
    void randomTextDecodesAsJavaDecodesIt() throws Exception {
        Rng rng = new Rng(99);
        StringBuilder sb = new StringBuilder();
        int[] starts = {0x20, 0xA0, 0x800, 0xE000, 0x10000, 0x10FF00};
        while (sb.length() < 3_000_000) {   // longer than the reader's buffer, so sequences cross refills
            int base = starts[(int) (rng.nextDouble() * starts.length)];
            sb.appendCodePoint(base + (int) (rng.nextDouble() * 200));
        }
        String text = sb.toString();
        Corpus c = load(text);
        assertEquals(text.codePointCount(0, text.length()), c.length());
        assertEquals(text, decode(c));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "lone continuation byte, 61 80 62, 1",
        "overlong slash, 61 62 C0 AF, 2",
        "overlong three-byte, 61 E0 80 AF, 1",
        "surrogate, 61 62 63 ED A0 80, 3",
        "above U+10FFFF, F4 90 80 80, 0",
        "bad continuation, 61 E2 82 41, 1",
        "truncated at the end, 61 62 E2 82, 2",
        "invalid byte FF, 61 FF, 1",
    })
    void malformedUtf8IsRefusedAtItsOffset(String what, String hex, long offset) {
        String[] parts = hex.trim().split(" ");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        InputException e = assertThrows(InputException.class, () -> load(bytes));
        assertTrue(e.getMessage().contains("byte offset " + offset), what + ": " + e.getMessage());
    }

    @Test
    void tooFewDistinctCharactersAreRefused() {
        InputException e = assertThrows(InputException.class, () -> load("zzzz"));
        assertTrue(e.getMessage().contains("only one distinct character"));
    }
}
