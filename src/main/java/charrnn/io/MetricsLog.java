package charrnn.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The metrics log, {@code --log FILE.csv}: one row per loss line, flushed as it is written, so
 * an interrupted run keeps every row it printed. A resumed run appends to an existing log.
 *
 * <pre>
 *   iteration,chars,train_loss,val_loss,chars_per_s,elapsed_s
 * </pre>
 * Losses are in nats per character; {@code val_loss} is the latest validation loss, empty
 * before the first; {@code elapsed_s} counts from the start of the process that wrote the row.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String HEADER = "iteration,chars,train_loss,val_loss,chars_per_s,elapsed_s";

    private final BufferedWriter out;

    private MetricsLog(BufferedWriter out) {
        this.out = out;
    }

    /**
     * Opens {@code path} for appending, writing the header if the file is new or empty.
     *
     * @throws IOException if it cannot be opened, or holds something other than a metrics log
     */
    public static MetricsLog open(Path path) throws IOException {
        boolean fresh = !Files.exists(path) || Files.size(path) == 0;
        if (!fresh) {
            String first;
            try (var reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                first = reader.readLine();
            }
            if (!HEADER.equals(first)) {
                throw new IOException(path + " exists and is not a charrnn metrics log");
            }
        }
        BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (fresh) {
            w.write(HEADER);
            w.newLine();
            w.flush();
        }
        return new MetricsLog(w);
    }

    /** Appends one row; {@code valLoss} NaN for none yet. */
    public void row(long iteration, long chars, double trainLoss, double valLoss, double charsPerSecond,
                    double elapsedSeconds) throws IOException {
        out.write(String.format(Locale.ROOT, "%d,%d,%.6f,%s,%.1f,%.3f", iteration, chars, trainLoss,
                Double.isNaN(valLoss) ? "" : String.format(Locale.ROOT, "%.6f", valLoss), charsPerSecond, elapsedSeconds));
        out.newLine();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** One row read back. */
    public record Row(long iteration, long chars, double trainLoss, double valLoss, double charsPerSecond,
                      double elapsedSeconds) {
    }

    /**
     * Reads a log written by {@link #row}.
     *
     * @throws IOException with a one-line reason if it is not such a log
     */
    public static List<Row> read(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !HEADER.equals(lines.get(0))) {
            throw new IOException(path + " is not a charrnn metrics log (its first line should be " + HEADER + ")");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 6) {
                    throw new NumberFormatException(f.length + " fields");
                }
                rows.add(new Row(Long.parseLong(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        f[3].isEmpty() ? Double.NaN : Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5])));
            } catch (NumberFormatException e) {
                throw new IOException(path + " line " + (i + 1) + " is not a metrics row: " + line);
            }
        }
        return rows;
    }
}
