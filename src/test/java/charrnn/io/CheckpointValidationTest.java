package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.data.InputException;
import charrnn.train.TrainingState;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checksum guards against damage, not against a writer that put impossible values into a
 * well-formed file: each such value is refused on reading, with a valid checksum around it.
 */
class CheckpointValidationTest {
    @TempDir
    Path dir;

    /** Reads a state changed by {@code edit}, written with a correct checksum. */
    private InputException refused(Consumer<TrainingState> edit) throws Exception {
        TrainingState s = States.random(4, 5, 2, 3);
        edit.accept(s);
        Path p = dir.resolve("forged.ckpt");
        Files.write(p, CheckpointFile.encode(s));
        return assertThrows(InputException.class, () -> CheckpointFile.read(p));
    }

    private static TrainingState with(TrainingState s, int[] positions, double smoothLoss, long bestValIteration) {
        return new TrainingState(s.hp(), s.vocabulary(), s.charCounts(), s.corpusLength(), s.params(), s.memory(),
                s.hidden(), s.iteration(), smoothLoss, positions, s.sampleRngState(), s.bestValLoss(), bestValIteration);
    }

    private InputException refusedState(TrainingState forged) throws Exception {
        Path p = dir.resolve("forged.ckpt");
        Files.write(p, CheckpointFile.encode(forged));
        return assertThrows(InputException.class, () -> CheckpointFile.read(p));
    }

    @Test
    void theUnforgedStateReads() throws Exception {
        Path p = dir.resolve("ok.ckpt");
        Files.write(p, CheckpointFile.encode(States.random(4, 5, 2, 3)));
        assertEquals(4242L, CheckpointFile.read(p).iteration());
    }

    @Test
    void aNaNOrInfiniteWeightIsRefused() throws Exception {
        assertTrue(refused(s -> s.params().get("Whh").data[3] = Double.NaN).getMessage().contains("weight of NaN"));
        assertTrue(refused(s -> s.params().get("by").data[0] = Double.POSITIVE_INFINITY).getMessage().contains("weight"));
    }

    @Test
    void aNegativeOrNaNAdagradMemoryIsRefused() throws Exception {
        assertTrue(refused(s -> s.memory().get("Wxh").data[0] = -1).getMessage().contains("Adagrad memory"));
        assertTrue(refused(s -> s.memory().get("Why").data[1] = Double.NaN).getMessage().contains("Adagrad memory"));
    }

    @Test
    void aNaNCarriedStateIsRefused() throws Exception {
        assertTrue(refused(s -> s.hidden().data[0] = Double.NaN).getMessage().contains("carried state"));
    }

    @Test
    void aNegativeCharacterCountIsRefused() throws Exception {
        assertTrue(refused(s -> s.charCounts()[2] = -5).getMessage().contains("negative character count"));
    }

    @Test
    void aNaNSmoothedLossIsRefused() throws Exception {
        TrainingState s = States.random(4, 5, 2, 3);
        assertTrue(refusedState(with(s, s.positions(), Double.NaN, s.bestValIteration())).getMessage()
                .contains("smoothed loss"));
        assertTrue(refusedState(with(s, s.positions(), -0.5, s.bestValIteration())).getMessage()
                .contains("smoothed loss"));
    }

    @Test
    void aStreamPositionOutsideTheCorpusIsAnInputError() throws Exception {
        TrainingState s = States.random(4, 5, 2, 3);
        InputException e = refusedState(with(s, new int[] {0, s.corpusLength()}, s.smoothLoss(), s.bestValIteration()));
        assertTrue(e.getMessage().contains("outside its corpus"), e.getMessage());
        refusedState(with(s, new int[] {-1, 0}, s.smoothLoss(), s.bestValIteration()));
    }

    @Test
    void aBestValidationAfterTheLastIterationIsRefused() throws Exception {
        TrainingState s = States.random(4, 5, 2, 3);
        refusedState(with(s, s.positions(), s.smoothLoss(), s.iteration() + 1));
    }

    @Test
    void aSurrogateCodePointIsRefused() throws Exception {
        TrainingState s = States.random(4, 5, 2, 3);
        byte[] bytes = CheckpointFile.encode(s);
        // the last symbol is U+1F600: make it a lone surrogate, then mend the checksum
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int at = indexOfInt(bytes, 0x1F600);
        b.putInt(at, 0xD800);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        b.putInt(bytes.length - 4, (int) crc.getValue());
        Path p = dir.resolve("surrogate.ckpt");
        Files.write(p, bytes);
        InputException e = assertThrows(InputException.class, () -> CheckpointFile.read(p));
        assertTrue(e.getMessage().contains("corrupted"), e.getMessage());
    }

    @Test
    void anAbsurdLengthFieldIsReportedWithoutArithmeticNonsense() throws Exception {
        byte[] bytes = CheckpointFile.encode(States.random(4, 5, 2, 3));
        ByteBuffer.wrap(bytes).putLong(12, Long.MAX_VALUE - 100);
        Path p = dir.resolve("length.ckpt");
        Files.write(p, bytes);
        InputException e = assertThrows(InputException.class, () -> CheckpointFile.read(p));
        assertTrue(e.getMessage().contains("corrupted"), e.getMessage());
        assertFalse(e.getMessage().matches(".*\\s-\\d.*"), "no negative byte count: " + e.getMessage());
    }

    @Test
    void aCheckpointIsReadFromARegularFileOnly() throws Exception {
        InputException e = assertThrows(InputException.class, () -> CheckpointFile.read(Path.of("/dev/zero")));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    private static int indexOfInt(byte[] bytes, int value) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (b.getInt(i) == value) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
