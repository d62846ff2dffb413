package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.data.InputException;
import charrnn.data.Vocabulary;
import charrnn.train.TrainingState;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edges of what a checkpoint may hold: the last value allowed reads, the first beyond it is refused. */
class CheckpointBoundsTest {
    @TempDir
    Path dir;

    private static TrainingState with(TrainingState s, long[] counts, int corpusLength, int[] positions, double smoothLoss,
                                      double bestValLoss, long bestValIteration) {
        return new TrainingState(s.hp(), s.vocabulary(), counts, corpusLength, s.params(), s.memory(), s.hidden(),
                s.iteration(), smoothLoss, positions, s.sampleRngState(), bestValLoss, bestValIteration);
    }

    private TrainingState roundTrip(TrainingState s) throws Exception {
        Path p = dir.resolve("edge.ckpt");
        Files.write(p, CheckpointFile.encode(s));
        return CheckpointFile.read(p);
    }

    private String refusal(TrainingState s) throws Exception {
        Path p = dir.resolve("forged.ckpt");
        Files.write(p, CheckpointFile.encode(s));
        return assertThrows(InputException.class, () -> CheckpointFile.read(p)).getMessage();
    }

    @Test
    void theSmallestValuesAllowedRead() throws Exception {
        TrainingState s = States.random(3, 2, 2, 7);
        long[] counts = {0, 5};
        TrainingState edge = with(s, counts, 2, new int[] {0, 1}, 0.0, 0.0, s.iteration());
        TrainingState back = roundTrip(edge);
        assertEquals(2, back.vocabulary().size());
        assertEquals(0, back.charCounts()[0]);
        assertEquals(2, back.corpusLength());
        assertEquals(1, back.positions()[1]);
        assertEquals(0.0, back.smoothLoss());
        assertEquals(0.0, back.bestValLoss());
        assertEquals(s.iteration(), back.bestValIteration());
    }

    @Test
    void theFirstValuesBeyondAreRefused() throws Exception {
        TrainingState s = States.random(3, 2, 2, 7);
        long[] counts = {1, 5};
        assertTrue(refusal(with(s, counts, 2, new int[] {0, 2}, 1, 1, 0)).contains("stream 1 at 2, outside its corpus of 2"));
        assertTrue(refusal(with(s, counts, 2, new int[] {-1, 0}, 1, 1, 0)).contains("stream 0 at -1"));
        assertTrue(refusal(with(s, counts, 1, new int[] {0, 0}, 1, 1, 0)).contains("a corpus length of 1"));
        assertTrue(refusal(with(s, counts, 2, new int[] {0, 1}, 1, 1, s.iteration() + 1))
                .contains("a best validation loss at iteration " + (s.iteration() + 1) + " of " + s.iteration()));
        assertTrue(refusal(with(s, counts, 2, new int[] {0, 1}, 1, -0.25, 0)).contains("best validation loss of -0.25"));
        assertTrue(refusal(with(s, counts, 2, new int[] {0, 1}, 1, Double.POSITIVE_INFINITY, 0)).contains("best validation loss of Infinity"));
        assertTrue(refusal(with(s, counts, 2, new int[] {0, 1}, -Double.MIN_VALUE, 1, 0)).contains("smoothed loss"));
        // no best validation loss yet is NaN, and allowed
        assertTrue(Double.isNaN(roundTrip(with(s, counts, 2, new int[] {0, 1}, 1, Double.NaN, 0)).bestValLoss()));
    }

    @Test
    void aVocabularyOfOneSymbolIsRefused() throws Exception {
        // a state of two symbols whose size field says 1 (and whose checksum is made right)
        TrainingState s = States.random(3, 2, 1, 9);
        byte[] bytes = CheckpointFile.encode(s);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int at = indexOfVocabularySize(bytes, s.vocabulary());
        b.putInt(at, 1);
        fixChecksum(bytes);
        Path p = dir.resolve("one.ckpt");
        Files.write(p, bytes);
        assertTrue(assertThrows(InputException.class, () -> CheckpointFile.read(p)).getMessage().contains("vocabulary size 1"));
    }

    /** Where the int V stands: just before the first code point, itself followed by the second. */
    private static int indexOfVocabularySize(byte[] bytes, Vocabulary v) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (int i = CheckpointFile.HEADER; i + 12 <= bytes.length; i++) {
            if (b.getInt(i) == v.size() && b.getInt(i + 4) == v.codePoint(0) && b.getInt(i + 8) == v.codePoint(1)) {
                return i;
            }
        }
        throw new AssertionError("no vocabulary in the checkpoint");
    }

    private static void fixChecksum(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    }

    @Test
    void theLargestLengthFieldIsTruncationAndOneMoreIsCorruption() {
        long largest = CheckpointFile.MAX_BYTES - CheckpointFile.HEADER - CheckpointFile.TRAILER;
        ByteBuffer b = ByteBuffer.allocate(CheckpointFile.HEADER + 8);
        b.put(CheckpointFile.MAGIC).putInt(3).putLong(largest);
        InputException e = assertThrows(InputException.class, () -> CheckpointFile.decode(b.array(), "x"));
        assertEquals("x is truncated: " + b.capacity() + " bytes of " + CheckpointFile.MAX_BYTES, e.getMessage());
        b.putLong(12, largest + 1);
        e = assertThrows(InputException.class, () -> CheckpointFile.decode(b.array(), "x"));
        assertEquals("x is corrupted: its length field says " + (largest + 1) + " bytes", e.getMessage());
        b.putLong(12, -1);
        e = assertThrows(InputException.class, () -> CheckpointFile.decode(b.array(), "x"));
        assertEquals("x is corrupted: its length field says -1 bytes", e.getMessage());
    }

    @Test
    void itsReasonsAreTheWritersReasons() {
        assertEquals("permission denied", CheckpointFile.reason(new AccessDeniedException("x")));
    }

    /** Where the ints H, T, B stand in the payload (T is 7 in every state of {@link States#random}). */
    private static int indexOfShape(byte[] bytes, int H, int B) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (int i = CheckpointFile.HEADER; i + 12 <= bytes.length; i++) {
            if (b.getInt(i) == H && b.getInt(i + 4) == 7 && b.getInt(i + 8) == B) {
                return i;
            }
        }
        throw new AssertionError("no shape in the checkpoint");
    }

    private InputException readForged(byte[] bytes) throws Exception {
        fixChecksum(bytes);
        Path p = dir.resolve("huge.ckpt");
        Files.write(p, bytes);
        return assertThrows(InputException.class, () -> CheckpointFile.read(p));
    }

    @Test
    void aShapeFarLargerThanTheFileIsRefusedBeforeAnythingIsAllocated() throws Exception {
        // 64 LSTM layers of 16,384 units: tens of gigabytes of weights, in a file of a few kilobytes
        TrainingState s = States.random(3, 4, 1, 5, charrnn.config.Cell.LSTM, 1, 0);
        byte[] bytes = CheckpointFile.encode(s);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.putInt(CheckpointFile.HEADER + 2 + "lstm".length(), 64);
        b.putInt(indexOfShape(bytes, 3, 1), charrnn.config.Hyperparameters.MAX_HIDDEN);
        assertEquals(dir.resolve("huge.ckpt") + " is corrupted: its content ends early", readForged(bytes).getMessage());
        // a batch of 2³⁰ streams: a carried state of more numbers than an array holds
        s = States.random(3, 4, 1, 5);
        bytes = CheckpointFile.encode(s);
        ByteBuffer.wrap(bytes).putInt(indexOfShape(bytes, 3, 1) + 8, 1 << 30);
        assertEquals(dir.resolve("huge.ckpt") + " is corrupted: its content ends early", readForged(bytes).getMessage());
    }
    /** Bytes of matrices as the format stores them: rows, cols, then the numbers. */
    private static long stored(charrnn.model.Params... all) {
        long n = 0;
        for (charrnn.model.Params p : all) {
            for (org.ejml.data.DMatrixRMaj m : p.all()) {
                n += 8 + 8L * m.getNumElements();
            }
        }
        return n;
    }

    private static long stored(org.ejml.data.DMatrixRMaj m) {
        return 8 + 8L * m.getNumElements();
    }

    /**
     * The checkpoint of {@code s} up to payload offset {@code keep}, then {@code n} bytes that
     * start with the shape 5×5, which no matrix of {@code s} has; length and checksum made right.
     */
    private static byte[] cutWithBadShape(TrainingState s, int keep, int n) {
        byte[] whole = CheckpointFile.encode(s);
        ByteBuffer b = ByteBuffer.allocate(CheckpointFile.HEADER + keep + n + CheckpointFile.TRAILER);
        b.put(whole, 0, CheckpointFile.HEADER + keep).putInt(5).putInt(5);
        b.putLong(CheckpointFile.MAGIC.length + 4, keep + n);
        byte[] bytes = b.array();
        fixChecksum(bytes);
        return bytes;
    }

    private static String decodeRefusal(byte[] bytes) {
        return assertThrows(InputException.class, () -> CheckpointFile.decode(bytes, "x")).getMessage();
    }

    @Test
    void aPayloadOneByteShortOfTheWeightsNumbersEndsEarlyBeforeAnyShapeIsRead() throws Exception {
        // a tanh RNN of H=3, V=4: 40 parameters, and Adagrad's 40 sums of squares
        TrainingState s = States.random(3, 4, 2, 11);
        long tail = stored(s.params(), s.memory()) + 8 + stored(s.hidden()) + 8 + 8 + 4 + 4 * 2 + 8 + 8 + 8;
        int weights = (int) (CheckpointFile.encode(s).length - CheckpointFile.HEADER - CheckpointFile.TRAILER - tail);
        int numbers = 8 * 2 * 40;
        assertEquals("x is corrupted: its content ends early", decodeRefusal(cutWithBadShape(s, weights, numbers - 1)));
        // room for the numbers (not for their shapes): the first shape is read, and refused
        assertEquals("x is corrupted: a 5×5 matrix where 3×4 belongs", decodeRefusal(cutWithBadShape(s, weights, numbers)));
    }

    @Test
    void aPayloadOneByteShortOfTheCarriedStatesNumbersEndsEarlyBeforeItsShapeIsRead() throws Exception {
        // B=2 streams of a state 3 wide: 48 bytes of numbers
        TrainingState s = States.random(3, 4, 2, 12);
        long tail = stored(s.hidden()) + 8 + 8 + 4 + 4 * 2 + 8 + 8 + 8;
        int state = (int) (CheckpointFile.encode(s).length - CheckpointFile.HEADER - CheckpointFile.TRAILER - tail);
        int numbers = 8 * 3 * 2;
        assertEquals("x is corrupted: its content ends early", decodeRefusal(cutWithBadShape(s, state, numbers - 1)));
        assertEquals("x is corrupted: a 5×5 matrix where 2×3 belongs", decodeRefusal(cutWithBadShape(s, state, numbers)));
    }

    @Test
    void theLargestCheckpointFitsAndOneByteMoreDoesNot() {
        // no file of 2 GB is made here: the bound that the writer and the reader both apply
        assertTrue(CheckpointFile.fits(CheckpointFile.MAX_BYTES));
        assertFalse(CheckpointFile.fits(CheckpointFile.MAX_BYTES + 1));
    }
}
