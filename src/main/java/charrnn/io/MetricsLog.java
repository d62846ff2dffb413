package charrnn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The metrics log, {@code --log FILE.csv}: one row per loss line, handed to the operating system
 * as it is written, so an interrupted run keeps every row it printed.
 *
 * <pre>
 *   iteration,chars,train_loss,val_loss,chars_per_s,elapsed_s,lr
 * </pre>
 * Losses are in nats per character; {@code val_loss} is the latest validation loss, empty
 * before the first; {@code elapsed_s} counts the seconds of training of the run, continued
 * across resumes; {@code lr} is the learning rate of the row's update. Columns are read by
 * name: a log of an earlier version, without {@code lr}, is read too, and a resumed run
 * continues it without the column.
 *
 * <p>A fresh run starts the log anew; a resumed run continues it from the row of the update it
 * resumes at: rows written after that update by the interrupted process (which the resumed run
 * computes again) are dropped, and so is a row torn by a full disk or a kill. While a run
 * writes a log it holds a lock on it, so a second run cannot interleave its rows.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String HEADER = "iteration,chars,train_loss,val_loss,chars_per_s,elapsed_s,lr";
    /** What every version of the header starts with: how a log is recognised. */
    static final String HEADER_PREFIX = "iteration,chars,train_loss,val_loss";
    /** Largest log read: far beyond any run's (a row per loss line is about 50 bytes). */
    public static final long MAX_BYTES = 1L << 30;

    private final FileChannel channel;  // holds the lock on the log until it is closed
    private final double elapsedBefore;
    private final double lastValLoss;
    private final boolean withRate;     // the header has the lr column

    private MetricsLog(FileChannel channel, double elapsedBefore, double lastValLoss, boolean withRate) {
        this.withRate = withRate;
        this.channel = channel;
        this.elapsedBefore = elapsedBefore;
        this.lastValLoss = lastValLoss;
    }

    /**
     * Opens {@code path} for a run: anew, or when {@code resumedAt} is not negative, continuing
     * the rows up to that update.
     *
     * @throws OutputException if it cannot be opened, holds something other than a metrics log,
     *                         or another run is writing it
     */
    public static MetricsLog open(Path path, long resumedAt) throws OutputException {
        OutputFile.requireOwned(path, OutputFile.Kind.METRICS_LOG);
        FileChannel ch;
        try {
            ch = OutputFile.openForLock(path);
        } catch (IOException e) {
            throw cannotWrite(path, e);
        }
        try {
            if (OutputFile.tryLock(ch) == null) {
                throw new OutputException("another charrnn run is writing the metrics log " + path);
            }
            long keep = 0;
            double elapsed = 0;
            double val = Double.NaN;
            boolean withRate = true;
            if (resumedAt >= 0 && ch.size() > 0) {
                requireSize(path, ch.size());
                // read through the locked channel; the stream is not closed, as that would close the channel
                byte[] bytes = Channels.newInputStream(ch).readNBytes((int) ch.size());
                // the last element follows the last newline: empty, or a torn row
                String[] lines = decode(bytes, path).split("\n", -1);
                if (lines.length < 2 || !lines[0].startsWith(HEADER_PREFIX)) {
                    throw new OutputException(path + " is not a charrnn metrics log");
                }
                String[] columns = lines[0].split(",", -1);
                withRate = Arrays.asList(columns).contains("lr");
                // keep the header and every whole row up to the update the run resumes at
                keep = bytes(lines[0]) + 1;
                for (int i = 1; i < lines.length - 1; i++) {
                    Row row = parse(columns, lines[i]);
                    if (row == null || row.iteration() > resumedAt) {
                        break;
                    }
                    elapsed = row.elapsedSeconds();
                    val = row.valLoss();
                    keep += bytes(lines[i]) + 1;
                }
            }
            ch.truncate(keep);
            ch.position(keep);
            MetricsLog log = new MetricsLog(ch, elapsed, val, withRate);
            if (keep == 0) {
                log.append(HEADER);
            }
            return log;
        } catch (IOException e) {
            OutputFile.closeQuietly(ch);
            throw e instanceof OutputException oe ? oe : cannotWrite(path, e);
        }
    }

    private static OutputException cannotWrite(Path path, IOException e) {
        return new OutputException("cannot write the metrics log " + path + ": " + OutputFile.reason(e), e);
    }

    private static int bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Refuses a file larger than any log ({@link #MAX_BYTES}) before reading it.
     *
     * @throws OutputException if {@code size} is larger
     */
    static void requireSize(Path path, long size) throws OutputException {
        if (size > MAX_BYTES) {
            throw new OutputException(path + " is not a charrnn metrics log: " + size + " bytes, more than any log holds");
        }
    }

    /** Seconds of training before this process, from the rows the log continues. */
    public double elapsedBefore() {
        return elapsedBefore;
    }

    /** The validation loss of the last row kept (NaN if none). */
    public double lastValLoss() {
        return lastValLoss;
    }

    /**
     * Appends one row; {@code valLoss} NaN for none yet. A row that cannot be written whole is
     * taken back, so that the log holds whole rows only.
     */
    public void row(long iteration, long chars, double trainLoss, double valLoss, double charsPerSecond,
                    double elapsedSeconds, double learningRate) throws IOException {
        append(String.format(Locale.ROOT, "%d,%d,%.6f,%s,%.1f,%.3f", iteration, chars, trainLoss,
                Double.isNaN(valLoss) ? "" : String.format(Locale.ROOT, "%.6f", valLoss), charsPerSecond, elapsedSeconds)
                + (withRate ? String.format(Locale.ROOT, ",%.6e", learningRate) : ""));
    }

    private void append(String line) throws IOException {
        long start = channel.position();
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            try {
                channel.truncate(start);
                channel.position(start);
            } catch (IOException ignored) {
                // the next run that opens the log drops the torn row
            }
            throw e;
        }
    }

    /** Closes the log, which releases its lock. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** One row read back; {@code learningRate} NaN in a log without the column. */
    public record Row(long iteration, long chars, double trainLoss, double valLoss, double charsPerSecond,
                      double elapsedSeconds, double learningRate) {
    }

    /**
     * Reads a log written by {@link #row}: a regular file of at most {@link #MAX_BYTES}, UTF-8,
     * its header first. A torn last row is left out.
     *
     * @throws IOException with a one-line reason if it is not such a log
     */
    public static List<Row> read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException(path + " is a folder, not a metrics log");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + " is not a regular file: a metrics log is a file written by --log");
        }
        requireSize(path, Files.size(path));
        byte[] bytes;
        try (var in = Files.newInputStream(path)) {
            bytes = in.readNBytes((int) MAX_BYTES);
        }
        String text = decode(bytes, path);
        String[] lines = text.split("\n", -1);
        if (!lines[0].startsWith(HEADER_PREFIX)) {
            throw new IOException(path + " is not a charrnn metrics log (its first line should be " + HEADER + ")");
        }
        String[] columns = lines[0].split(",", -1);
        List<Row> rows = new ArrayList<>();
        // the last element follows the last newline: empty, or a torn row
        for (int i = 1; i < lines.length - 1; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            Row row = parse(columns, line);
            if (row == null) {
                throw new IOException(path + " line " + (i + 1) + " is not a metrics row: " + shorten(line));
            }
            rows.add(row);
        }
        return rows;
    }

    /** A row by the header's column names, or null if it is not one. */
    private static Row parse(String[] columns, String line) {
        String[] f = line.split(",", -1);
        if (f.length != columns.length) {
            return null;
        }
        try {
            long iteration = -1;
            long chars = -1;
            double train = Double.NaN;
            double val = Double.NaN;
            double speed = Double.NaN;
            double elapsed = Double.NaN;
            double rate = Double.NaN;
            for (int k = 0; k < columns.length; k++) {
                switch (columns[k]) {
                    case "iteration" -> iteration = Long.parseLong(f[k]);
                    case "chars" -> chars = Long.parseLong(f[k]);
                    case "train_loss" -> train = Double.parseDouble(f[k]);
                    case "val_loss" -> val = f[k].isEmpty() ? Double.NaN : Double.parseDouble(f[k]);
                    case "chars_per_s" -> speed = Double.parseDouble(f[k]);
                    case "elapsed_s" -> elapsed = Double.parseDouble(f[k]);
                    case "lr" -> rate = Double.parseDouble(f[k]);
                    default -> {
                        // a column this version does not draw
                    }
                }
            }
            return iteration < 0 || chars < 0 ? null : new Row(iteration, chars, train, val, speed, elapsed, rate);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String decode(byte[] bytes, Path path) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(path + " is not a charrnn metrics log: it is not UTF-8 text");
        }
    }

    private static String shorten(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
