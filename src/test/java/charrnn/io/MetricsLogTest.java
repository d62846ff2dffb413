package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics log as a file: its exact lines, a fresh run and a resumed one, and what reading it refuses. */
class MetricsLogTest {
    @TempDir
    Path dir;

    @Test
    void rowsAreWrittenAsDocumentedAndReadBack() throws IOException {
        Path p = dir.resolve("run.csv");
        try (MetricsLog log = MetricsLog.open(p, -1)) {
            log.row(2000, 50000, 2.3778321, 1.8602834, 38211.04, 1.7123, 0.1);
            // a row is on disk as soon as it is written
            assertEquals(2, Files.readAllLines(p).size());
            log.row(2100, 52500, 2.25, Double.NaN, 40000, 1.8, 0.05);
        }
        assertEquals(List.of(MetricsLog.HEADER, "2000,50000,2.377832,1.860283,38211.0,1.712,1.000000e-01",
                "2100,52500,2.250000,,40000.0,1.800,5.000000e-02"), Files.readAllLines(p, StandardCharsets.UTF_8));
        List<MetricsLog.Row> rows = MetricsLog.read(p);
        assertEquals(new MetricsLog.Row(2000, 50000, 2.377832, 1.860283, 38211.0, 1.712, 0.1), rows.get(0));
        assertEquals(2100, rows.get(1).iteration());
        assertTrue(Double.isNaN(rows.get(1).valLoss()));
        assertEquals(2, rows.size());
    }

    @Test
    void aResumedRunContinuesWithoutASecondHeaderAndAFreshRunStartsAnew() throws IOException {
        Path p = dir.resolve("run.csv");
        try (MetricsLog log = MetricsLog.open(p, -1)) {
            log.row(1, 2, 3, 4, 5, 6, 0.1);
        }
        try (MetricsLog log = MetricsLog.open(p, 1)) {
            assertEquals(6, log.elapsedBefore(), "the time axis goes on from the last row kept");
            assertEquals(4, log.lastValLoss());
            log.row(7, 8, 9, 10, 11, 12, 0.1);
        }
        List<String> lines = Files.readAllLines(p);
        assertEquals(3, lines.size());
        assertEquals(MetricsLog.HEADER, lines.get(0));
        assertEquals(2, MetricsLog.read(p).size());
        try (MetricsLog log = MetricsLog.open(p, -1)) {
            assertEquals(List.of(MetricsLog.HEADER), Files.readAllLines(p), "a fresh run's log starts anew");
        }
        // an empty file is new: it gets the header
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        try (MetricsLog log = MetricsLog.open(empty, 5)) {
            assertEquals(List.of(MetricsLog.HEADER), Files.readAllLines(empty), "the header is on disk at once");
        }
    }

    @Test
    void anOlderLogWithoutTheRateColumnIsStillRead() throws IOException {
        Path p = dir.resolve("old.csv");
        Files.writeString(p, "iteration,chars,train_loss,val_loss,chars_per_s,elapsed_s\n100,2500,3.5,,1000.0,1.5\n");
        List<MetricsLog.Row> rows = MetricsLog.read(p);
        assertEquals(1, rows.size());
        assertEquals(3.5, rows.get(0).trainLoss());
        assertTrue(Double.isNaN(rows.get(0).learningRate()));
    }

    @Test
    void aFileThatIsNotAMetricsLogIsNeitherReplacedNorRead() throws IOException {
        Path notes = dir.resolve("notes.csv");
        Files.writeString(notes, "my own notes\n");
        IOException e = assertThrows(IOException.class, () -> MetricsLog.open(notes, -1));
        assertTrue(e.getMessage().contains("not a charrnn metrics log"), e.getMessage());
        assertEquals("my own notes\n", Files.readString(notes), "left as it was");
        e = assertThrows(IOException.class, () -> MetricsLog.read(notes));
        assertEquals(notes + " is not a charrnn metrics log (its first line should be " + MetricsLog.HEADER + ")",
                e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        assertThrows(IOException.class, () -> MetricsLog.read(empty));
    }

    @Test
    void aBrokenRowIsNamedByItsLineNumberAndBlankLinesAreSkipped() throws IOException {
        Path p = dir.resolve("run.csv");
        Files.writeString(p, MetricsLog.HEADER + "\n1,2,3,,5,6,0.1\n\n1,2,3,4,5\n");
        IOException e = assertThrows(IOException.class, () -> MetricsLog.read(p));
        assertEquals(p + " line 4 is not a metrics row: 1,2,3,4,5", e.getMessage());
        Files.writeString(p, MetricsLog.HEADER + "\n1,2,x,4,5,6,0.1\n");
        e = assertThrows(IOException.class, () -> MetricsLog.read(p));
        assertEquals(p + " line 2 is not a metrics row: 1,2,x,4,5,6,0.1", e.getMessage());
        Files.writeString(p, MetricsLog.HEADER + "\n1,2,3,,5,6,0.1\n   \n7,8,9,10,11,12,0.1\n");
        assertEquals(2, MetricsLog.read(p).size());
    }
}
