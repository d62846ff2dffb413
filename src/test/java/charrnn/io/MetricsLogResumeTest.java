package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run's log: the rows it keeps, what it carries on from them, and what it refuses. */
class MetricsLogResumeTest {
    @TempDir
    Path dir;

    private static final String R100 = "100,2500,3.000000,,1000.0,1.000,1.000000e-01";
    private static final String R200 = "200,5000,2.500000,2.400000,1100.0,2.500,1.000000e-01";
    private static final String R300 = "300,7500,2.000000,,1200.0,4.000,1.000000e-01";

    private Path log(String text) throws IOException {
        Path p = dir.resolve("run.csv");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void rowsAfterTheResumedUpdateAreDroppedAndTheTimeGoesOn() throws IOException {
        Path p = log(MetricsLog.HEADER + "\n" + R100 + "\n" + R200 + "\n" + R300 + "\n");
        try (MetricsLog log = MetricsLog.open(p, 250)) {
            assertEquals(2.5, log.elapsedBefore());
            assertEquals(2.4, log.lastValLoss());
            assertEquals(MetricsLog.HEADER + "\n" + R100 + "\n" + R200 + "\n", Files.readString(p));
            log.row(300, 7500, 1.5, Double.NaN, 1300, 4.5, 0.05);
        }
        assertEquals(List.of(MetricsLog.HEADER, R100, R200, "300,7500,1.500000,,1300.0,4.500,5.000000e-02"), Files.readAllLines(p));
        // resuming exactly at a row keeps it
        try (MetricsLog log = MetricsLog.open(p, 200)) {
            assertEquals(2.5, log.elapsedBefore());
            assertEquals(MetricsLog.HEADER + "\n" + R100 + "\n" + R200 + "\n", Files.readString(p));
        }
        // the last row kept has no validation loss: none is carried
        try (MetricsLog log = MetricsLog.open(p, 199)) {
            assertEquals(1.0, log.elapsedBefore());
            assertTrue(Double.isNaN(log.lastValLoss()));
        }
        // before every row: only the header stays
        try (MetricsLog log = MetricsLog.open(p, 0)) {
            assertEquals(0.0, log.elapsedBefore());
            assertTrue(Double.isNaN(log.lastValLoss()));
            assertEquals(MetricsLog.HEADER + "\n", Files.readString(p));
        }
    }

    @Test
    void aTornRowAndEverythingAfterABrokenRowAreDropped() throws IOException {
        Path p = log(MetricsLog.HEADER + "\n" + R100 + "\n" + R200.substring(0, 12));
        try (MetricsLog log = MetricsLog.open(p, 1000)) {
            assertEquals(1.0, log.elapsedBefore());
            assertEquals(MetricsLog.HEADER + "\n" + R100 + "\n", Files.readString(p));
        }
        p = log(MetricsLog.HEADER + "\n" + R100 + "\nnot,a,row\n" + R300 + "\n");
        try (MetricsLog log = MetricsLog.open(p, 1000)) {
            assertEquals(1.0, log.elapsedBefore());
            assertEquals(MetricsLog.HEADER + "\n" + R100 + "\n", Files.readString(p));
        }
    }

    @Test
    void anOlderLogIsContinuedWithoutTheRateColumnAndItsLengthIsCountedInBytes() throws IOException {
        // an extra column this version does not know, named with a two-byte character
        String header = "iteration,chars,train_loss,val_loss,chars_per_s,elapsed_s,note\u00e9";
        Path p = log(header + "\n1,25,4.0,,10.0,0.5,\u00e9\u00e9\n2,50,3.9,,10.0,0.7,x\n");
        try (MetricsLog log = MetricsLog.open(p, 1)) {
            assertEquals(0.5, log.elapsedBefore());
            assertEquals(header + "\n1,25,4.0,,10.0,0.5,\u00e9\u00e9\n", Files.readString(p));
            log.row(2, 50, 3.8, 3.7, 12, 0.9, 0.1);
        }
        List<String> lines = Files.readAllLines(p);
        assertEquals("2,50,3.800000,3.700000,12.0,0.900", lines.get(2));

        Path old = dir.resolve("old.csv");
        Files.writeString(old, "iteration,chars,train_loss,val_loss,chars_per_s,elapsed_s\n1,25,4.0,,10.0,0.5\n");
        try (MetricsLog log = MetricsLog.open(old, 5)) {
            log.row(2, 50, 3.8, Double.NaN, 12, 0.9, 0.1);
        }
        List<MetricsLog.Row> rows = MetricsLog.read(old);
        assertEquals(new MetricsLog.Row(2, 50, 3.8, Double.NaN, 12.0, 0.9, Double.NaN), rows.get(1));
    }

    @Test
    void readGivesEveryColumnByName() throws IOException {
        // columns in another order are read by their names; a torn last row is left out
        Path p = log("iteration,chars,train_loss,val_loss,lr,elapsed_s,chars_per_s\n7,175,2.5,2.25,0.01,3.5,900.5\n8,20");
        assertEquals(List.of(new MetricsLog.Row(7, 175, 2.5, 2.25, 900.5, 3.5, 0.01)), MetricsLog.read(p));
        // a negative count is not a row
        Files.writeString(p, MetricsLog.HEADER + "\n-1,2,3,,5,6,0.1\n");
        assertThrows(IOException.class, () -> MetricsLog.read(p));
        Files.writeString(p, MetricsLog.HEADER + "\n1,-2,3,,5,6,0.1\n");
        assertThrows(IOException.class, () -> MetricsLog.read(p));
        Files.writeString(p, MetricsLog.HEADER + "\n0,0,3,,5,6,0.1\n");
        assertEquals(0, MetricsLog.read(p).get(0).iteration());
        // a long broken row is shortened in the message
        String longRow = "9".repeat(100);
        Files.writeString(p, MetricsLog.HEADER + "\n" + longRow + "\n");
        assertEquals(p + " line 2 is not a metrics row: " + "9".repeat(80) + "...",
                assertThrows(IOException.class, () -> MetricsLog.read(p)).getMessage());
        String eighty = "8".repeat(80);
        Files.writeString(p, MetricsLog.HEADER + "\n" + eighty + "\n");
        assertEquals(p + " line 2 is not a metrics row: " + eighty,
                assertThrows(IOException.class, () -> MetricsLog.read(p)).getMessage());
    }

    @Test
    void whatIsNotALogIsRefusedWithOneLine() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder.csv"));
        assertEquals(folder + " is a folder, not a metrics log",
                assertThrows(IOException.class, () -> MetricsLog.read(folder)).getMessage());
        assertThrows(NoSuchFileException.class, () -> MetricsLog.read(dir.resolve("none.csv")));
        assertEquals("/dev/null is not a regular file: a metrics log is a file written by --log",
                assertThrows(IOException.class, () -> MetricsLog.read(Path.of("/dev/null"))).getMessage());

        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, (MetricsLog.HEADER + "\n1,2,3,,5,6,0.1 \u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + " is not a charrnn metrics log: it is not UTF-8 text",
                assertThrows(IOException.class, () -> MetricsLog.read(latin1)).getMessage());
        byte[] before = Files.readAllBytes(latin1);
        assertThrows(OutputException.class, () -> MetricsLog.open(latin1, 10));
        assertEquals(new String(before, StandardCharsets.ISO_8859_1), Files.readString(latin1, StandardCharsets.ISO_8859_1));

        // the header alone without its newline: not a log to continue
        Path noNewline = log(MetricsLog.HEADER);
        assertEquals(noNewline + " is not a charrnn metrics log",
                assertThrows(OutputException.class, () -> MetricsLog.open(noNewline, 10)).getMessage());
        assertEquals(MetricsLog.HEADER, Files.readString(noNewline));
    }

    @Test
    void aFileLargerThanAnyLogIsRefusedUnread() throws IOException {
        Path big = dir.resolve("big.csv");
        Files.writeString(big, MetricsLog.HEADER + "\n");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(MetricsLog.MAX_BYTES + 1);     // sparse: no disk space used
        }
        assertEquals(big + " is not a charrnn metrics log: " + (MetricsLog.MAX_BYTES + 1) + " bytes, more than any log holds",
                assertThrows(IOException.class, () -> MetricsLog.read(big)).getMessage());
        assertEquals(big + " is not a charrnn metrics log: " + (MetricsLog.MAX_BYTES + 1) + " bytes, more than any log holds",
                assertThrows(OutputException.class, () -> MetricsLog.open(big, 10)).getMessage());
        assertEquals(MetricsLog.MAX_BYTES + 1, Files.size(big));
        // the lock was given back: a fresh run may start the log anew
        try (MetricsLog log = MetricsLog.open(big, -1)) {
            assertEquals(MetricsLog.HEADER.length() + 1, Files.size(big));
        }
    }

    @Test
    void theLargestLogIsReadAndOneByteMoreIsNot() throws IOException {
        // a log of a gigabyte is not made here: the bound itself, on the sizes both readers check
        Path p = dir.resolve("edge.csv");
        MetricsLog.requireSize(p, MetricsLog.MAX_BYTES);
        assertEquals(p + " is not a charrnn metrics log: " + (MetricsLog.MAX_BYTES + 1) + " bytes, more than any log holds",
                assertThrows(OutputException.class, () -> MetricsLog.requireSize(p, MetricsLog.MAX_BYTES + 1)).getMessage());
    }

    @Test
    void aLogOfItsHeaderAloneIsContinued() throws IOException {
        Path p = log(MetricsLog.HEADER + "\n");
        try (MetricsLog log = MetricsLog.open(p, 10)) {
            assertEquals(0.0, log.elapsedBefore());
            log.row(20, 500, 3.5, Double.NaN, 100, 1.5, 0.1);
        }
        assertEquals(List.of(MetricsLog.HEADER, "20,500,3.500000,,100.0,1.500,1.000000e-01"), Files.readAllLines(p));
    }

    @Test
    void aLastRowTornInsideItsLastNumberIsDroppedThoughItParses() throws IOException {
        // killed after "...,1.0": a row whose every field still reads as a number, but without its newline
        Path p = log(MetricsLog.HEADER + "\n" + R100 + "\n" + R200.substring(0, R200.length() - 8));
        assertEquals(1, MetricsLog.read(p).size());
        try (MetricsLog log = MetricsLog.open(p, 1000)) {
            assertEquals(1.0, log.elapsedBefore());
            assertTrue(Double.isNaN(log.lastValLoss()));
        }
        assertEquals(MetricsLog.HEADER + "\n" + R100 + "\n", Files.readString(p));
    }

    @Test
    void twoRunsCannotWriteOneLog() throws IOException {
        Path p = dir.resolve("run.csv");
        try (MetricsLog first = MetricsLog.open(p, -1)) {
            first.row(1, 25, 4, Double.NaN, 10, 0.5, 0.1);
            assertEquals("another charrnn run is writing the metrics log " + p,
                    assertThrows(OutputException.class, () -> MetricsLog.open(p, 0)).getMessage());
            first.row(2, 50, 3.9, Double.NaN, 10, 0.7, 0.1);
        }
        assertEquals(2, MetricsLog.read(p).size());
        Path missing = dir.resolve("missing").resolve("run.csv");
        assertEquals("cannot write the metrics log " + missing + ": no such file or folder",
                assertThrows(OutputException.class, () -> MetricsLog.open(missing, -1)).getMessage());
    }

    @Test
    void aResumeAtUpdateZeroKeepsARowOfUpdateZero() throws Exception {
        String zero = "0,0,4.000000,3.900000,0.0,0.000,1.000000e-01";
        Path p = log(MetricsLog.HEADER + "\n" + zero + "\n" + R100 + "\n");
        try (MetricsLog log = MetricsLog.open(p, 0)) {
            assertEquals(3.9, log.lastValLoss());
            assertEquals(MetricsLog.HEADER + "\n" + zero + "\n", Files.readString(p));
        }
    }
}
