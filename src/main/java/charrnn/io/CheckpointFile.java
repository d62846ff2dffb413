package charrnn.io;

import charrnn.config.Cell;
import charrnn.config.Hyperparameters;
import charrnn.config.Optimization;
import charrnn.config.OptimizerKind;
import charrnn.config.Precision;
import charrnn.config.Schedule;
import charrnn.data.InputException;
import charrnn.data.Vocabulary;
import charrnn.model.Params;
import charrnn.train.Optimizer;
import charrnn.train.TrainingState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.ejml.data.DMatrixRMaj;

/**
 * The checkpoint file: a {@link TrainingState} in one versioned binary format.
 *
 * <pre>
 *   offset  size  content
 *   0       8     magic: 0x89 'C' 'R' 'N' 'N' '\r' '\n' 0x1A
 *   8       4     format version, int32 (this is version 4; versions 1 to 3 are read too)
 *   12      8     payload length L, int64
 *   20      L     payload
 *   20+L    4     CRC-32C of bytes [0, 20+L)
 * </pre>
 *
 * The payload, big-endian: the cell type ("rnn", "gru" or "lstm", as a 2-byte length and UTF-8),
 * the layer count L (int32), the dropout rate (float64) and the compute precision ("float32"
 * or "float64", as a 2-byte length and UTF-8); the optimizer ("adagrad", "rmsprop"
 * or "adam") and the schedule ("constant", "step" or "cosine"), each as a 2-byte length and
 * UTF-8, β1, β2, the RMSprop decay rate, the weight decay (float64), the warm-up and the step
 * schedule's period (int64), its factor, the minimum rate and the global-norm clip (float64);
 * the other hyperparameters; V, the V code points and V character counts; the corpus length;
 * the parameter matrices in the order of {@link Params#all()} (Wxh, Whh, Why, bh, by of layer 1,
 * then Wxh, Whh, bh of each further layer), then the optimizer's buffers in the same order
 * (Adagrad: its sums of squared gradients; RMSprop: its mean squares; Adam: its first moments,
 * then its second moments), each matrix as rows, cols and rows·cols doubles, and the optimizer's
 * step count (int64); the carried state the same way (B rows of L·H, or L·2H for the LSTM: per
 * layer h, then c); the iteration, smoothed loss, B stream positions, sampling generator state,
 * best validation loss and its iteration. Version 3 is the same without the precision (its runs
 * computed in float64). Version 2 is version 3 without the optimizer's settings
 * and step count (it is Adagrad at a constant rate, with as many steps as updates); version 1 is
 * version 2 without the dropout rate, and with L = 1. README.md documents the same layout.
 *
 * <p>A file is read only if it is a regular file no larger than {@link #MAX_BYTES}, and every
 * value it holds is checked: a checksum guards against damage, not against a writer that put
 * impossible values (a NaN weight, a negative count) into a well-formed file.
 *
 * <p>Writing goes through {@link OutputFile}: atomic, and only over a checkpoint.
 */
public final class CheckpointFile {
    static final byte[] MAGIC = {(byte) 0x89, 'C', 'R', 'N', 'N', '\r', '\n', 0x1A};
    public static final int VERSION = 4;
    /** The oldest format version this charrnn reads. */
    static final int OLDEST = 1;
    static final int HEADER = MAGIC.length + 4 + 8;
    static final int TRAILER = 4;
    /** Largest checkpoint file: what one Java array holds. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    private CheckpointFile() {
    }

    /** The temporary file a checkpoint is written to before it replaces {@code path}. */
    public static Path temporary(Path path) {
        return OutputFile.temporary(path);
    }

    /**
     * Writes {@code state} to {@code path} atomically.
     *
     * @throws IOException if it cannot be written, or {@code path} holds something other than a
     *                     checkpoint; {@code path} is then as it was
     */
    public static void write(Path path, TrainingState state) throws IOException {
        OutputFile.write(path, OutputFile.Kind.CHECKPOINT, encode(state));
    }

    static byte[] encode(TrainingState s) {
        Hyperparameters hp = s.hp();
        int V = s.vocabulary().size();
        byte[] cell = s.hp().cell().key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] precision = hp.precision().key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Optimization o = hp.optim();
        byte[] optimizer = o.optimizer().key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] schedule = o.schedule().key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Params[] memory = s.optimizerState();
        if (memory.length != Optimizer.buffers(o.optimizer())) {
            throw new IllegalArgumentException(memory.length + " optimizer buffers for " + o.optimizer().key());
        }
        long size = 2 + cell.length + 4 + 8 + 2 + precision.length   // cell, layers, dropout, precision
                + 2 + optimizer.length + 2 + schedule.length + 8 * 9 + 8   // optimizer settings, its step count
                + 4 * 5 + 8 * 3 + 8 * 6                       // hyperparameters: 5 ints, 3 doubles, 6 longs
                + 4 + 4L * V + 8L * V + 4                     // vocabulary, counts, corpus length
                + 8 + 8 + 4 + 4L * s.positions().length + 8 + 8 + 8;
        for (Params p : withParams(s.params(), memory)) {
            for (DMatrixRMaj m : p.all()) {
                size += 8 + 8L * m.getNumElements();
            }
        }
        size += 8 + 8L * s.hidden().getNumElements();
        long bytes = HEADER + size + TRAILER;
        if (!fits(bytes)) {
            throw new IllegalArgumentException("a model this large does not fit one checkpoint file");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes);
        out.put(MAGIC).putInt(VERSION).putLong(size);
        out.putShort((short) cell.length).put(cell).putInt(hp.layers()).putDouble(hp.dropout());
        out.putShort((short) precision.length).put(precision);
        out.putShort((short) optimizer.length).put(optimizer).putShort((short) schedule.length).put(schedule);
        out.putDouble(o.beta1()).putDouble(o.beta2()).putDouble(o.decayRate()).putDouble(o.weightDecay());
        out.putLong(o.warmup()).putLong(o.decayEvery()).putDouble(o.decayFactor()).putDouble(o.minLearningRate());
        out.putDouble(o.clipNorm());
        out.putInt(hp.hidden()).putInt(hp.seqLength()).putInt(hp.batchSize());
        out.putDouble(hp.learningRate()).putDouble(hp.clip());
        out.putLong(hp.iterations()).putLong(hp.printEvery()).putLong(hp.sampleEvery());
        out.putInt(hp.sampleLength()).putLong(hp.seed()).putDouble(hp.valFraction());
        out.putLong(hp.evalEvery()).putLong(hp.checkpointEvery()).putInt(hp.resetEvery());
        out.putInt(V);
        for (int i = 0; i < V; i++) {
            out.putInt(s.vocabulary().codePoint(i));
        }
        for (int i = 0; i < V; i++) {
            out.putLong(s.charCounts()[i]);
        }
        out.putInt(s.corpusLength());
        for (Params p : withParams(s.params(), memory)) {
            for (DMatrixRMaj m : p.all()) {
                putMatrix(out, m);
            }
        }
        out.putLong(s.optimizerSteps());
        putMatrix(out, s.hidden());
        out.putLong(s.iteration()).putDouble(s.smoothLoss());
        out.putInt(s.positions().length);
        for (int p : s.positions()) {
            out.putInt(p);
        }
        out.putLong(s.sampleRngState()).putDouble(s.bestValLoss()).putLong(s.bestValIteration());
        if (out.remaining() != TRAILER) {
            throw new IllegalStateException("checkpoint size computed wrong: " + out.remaining() + " bytes left for the checksum");
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** Whether a checkpoint file of {@code fileBytes} bytes can be written and read: at most {@link #MAX_BYTES}. */
    static boolean fits(long fileBytes) {
        return fileBytes <= MAX_BYTES;
    }

    private static Params[] withParams(Params params, Params[] memory) {
        Params[] all = new Params[1 + memory.length];
        all[0] = params;
        System.arraycopy(memory, 0, all, 1, memory.length);
        return all;
    }

    private static void putMatrix(ByteBuffer out, DMatrixRMaj m) {
        out.putInt(m.numRows).putInt(m.numCols);
        int n = m.getNumElements();
        out.asDoubleBuffer().put(m.data, 0, n);
        out.position(out.position() + 8 * n);
    }

    /**
     * Reads a checkpoint.
     *
     * @throws InputException with one line for the user if the file is missing, unreadable,
     *                        not a regular file, not a checkpoint, of another format version,
     *                        truncated, corrupted or holding impossible values
     */
    public static TrainingState read(Path path) throws InputException {
        if (Files.isDirectory(path)) {
            throw new InputException(path + " is a directory, not a checkpoint");
        }
        if (!Files.exists(path)) {
            throw new InputException("cannot read checkpoint " + path + ": no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new InputException(path + " is not a regular file: a checkpoint is read from a file charrnn wrote");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            long size = Files.size(path);
            if (!fits(size)) {
                throw new InputException(path + " is not a charrnn checkpoint: " + size
                        + " bytes, more than any checkpoint holds (" + MAX_BYTES + ")");
            }
            // one byte more than the size, to notice a file that grows while it is read
            bytes = in.readNBytes((int) Math.min(MAX_BYTES, size + 1));
        } catch (NoSuchFileException e) {
            throw new InputException("cannot read checkpoint " + path + ": no such file");
        } catch (IOException e) {
            throw new InputException("cannot read checkpoint " + path + ": " + reason(e));
        }
        return decode(bytes, path.toString());
    }

    /** One short phrase saying why an operation on a file failed. */
    public static String reason(IOException e) {
        return OutputFile.reason(e);
    }

    static TrainingState decode(byte[] bytes, String name) throws InputException {
        int prefix = Math.min(bytes.length, MAGIC.length);
        if (!Arrays.equals(bytes, 0, prefix, MAGIC, 0, prefix) || bytes.length == 0) {
            throw new InputException(name + " is not a charrnn checkpoint");
        }
        if (bytes.length < HEADER) {
            throw new InputException(name + " is truncated: " + bytes.length + " bytes, not even a whole header");
        }
        ByteBuffer head = ByteBuffer.wrap(bytes);
        head.position(MAGIC.length);
        int version = head.getInt();
        if (version < OLDEST || version > VERSION) {
            throw new InputException(name + " is a checkpoint of format version " + version
                    + "; this charrnn reads versions " + OLDEST + " to " + VERSION);
        }
        long payloadLength = head.getLong();
        if (payloadLength < 0 || payloadLength > MAX_BYTES - HEADER - TRAILER) {
            throw new InputException(name + " is corrupted: its length field says " + payloadLength + " bytes");
        }
        long expected = HEADER + payloadLength + TRAILER;
        if (expected > bytes.length) {
            throw new InputException(name + " is truncated: " + bytes.length + " bytes of " + expected);
        }
        if (expected < bytes.length) {
            throw new InputException(name + " is corrupted: " + (bytes.length - expected) + " bytes after its end");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, (int) (HEADER + payloadLength));
        int stored = ByteBuffer.wrap(bytes, (int) (HEADER + payloadLength), TRAILER).getInt();
        if (stored != (int) crc.getValue()) {
            throw new InputException(name + " is corrupted: its checksum does not match its content");
        }
        try {
            return parse(ByteBuffer.wrap(bytes, HEADER, (int) payloadLength).slice(), version);
        } catch (java.nio.BufferUnderflowException e) {
            throw new InputException(name + " is corrupted: its content ends early");
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(name + " is corrupted: " + e.getMessage());
        }
    }

    /** The precision's key, as a 2-byte length and UTF-8. */
    private static Precision precision(ByteBuffer in) throws IOException {
        byte[] bytes = new byte[in.getShort() & 0xFFFF];
        in.get(bytes);
        String key = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try {
            return Precision.ofKey(key);
        } catch (IllegalArgumentException e) {
            throw new IOException("precision " + key + " is not one this charrnn knows");
        }
    }

    private static TrainingState parse(ByteBuffer in, int version) throws IOException {
        byte[] cellBytes = new byte[in.getShort() & 0xFFFF];
        in.get(cellBytes);
        String cellKey = new String(cellBytes, java.nio.charset.StandardCharsets.UTF_8);
        int layers = in.getInt();
        double dropout = version >= 2 ? in.getDouble() : 0;
        Precision precision = version >= 4 ? precision(in) : Precision.FLOAT64;
        Optimization optim = version >= 3 ? optimization(in) : Optimization.defaults();
        Cell cell;
        try {
            cell = Cell.ofKey(cellKey);
        } catch (IllegalArgumentException e) {
            throw new IOException("cell type " + cellKey + " is not one this charrnn knows");
        }
        if (version == 1 && layers != 1) {
            throw new IOException(layers + " layers in a version 1 checkpoint, which has 1");
        }
        // read in the format's order, set by name: the record's component order does not matter
        Hyperparameters.Builder settings = Hyperparameters.builder().cell(cell).layers(layers).dropout(dropout).optim(optim)
                .precision(precision);
        settings.hidden(in.getInt()).seqLength(in.getInt()).batchSize(in.getInt());
        settings.learningRate(in.getDouble()).clip(in.getDouble());
        settings.iterations(in.getLong()).printEvery(in.getLong()).sampleEvery(in.getLong());
        settings.sampleLength(in.getInt()).seed(in.getLong()).valFraction(in.getDouble());
        settings.evalEvery(in.getLong()).checkpointEvery(in.getLong()).resetEvery(in.getInt());
        Hyperparameters hp = settings.build();
        int V = in.getInt();
        if (V < 2 || V > Character.MAX_CODE_POINT + 1) {
            throw new IOException("vocabulary size " + V);
        }
        int[] codePoints = new int[V];
        for (int i = 0; i < V; i++) {
            codePoints[i] = in.getInt();
        }
        long[] counts = new long[V];
        for (int i = 0; i < V; i++) {
            counts[i] = in.getLong();
            if (counts[i] < 0) {
                throw new IOException("a negative character count, " + counts[i]);
            }
        }
        Vocabulary vocabulary = new Vocabulary(codePoints);
        int corpusLength = in.getInt();
        if (corpusLength < 2) {
            throw new IOException("a corpus length of " + corpusLength);
        }
        int H = hp.hidden();
        int B = hp.batchSize();
        long count = new charrnn.model.Shape(cell, H, V, layers).parameterCount();
        int buffers = Optimizer.buffers(optim.optimizer());
        if (8 * (1 + buffers) * count > in.remaining()) {
            // refuse before allocating what a corrupted shape would ask for
            throw new java.nio.BufferUnderflowException();
        }
        Params params = new Params(H, V, cell.gates(), layers);
        for (DMatrixRMaj m : params.all()) {
            getMatrix(in, m);
            requireFinite(m, "a weight", false);
        }
        Params[] memory = new Params[buffers];
        for (int k = 0; k < buffers; k++) {
            memory[k] = new Params(H, V, cell.gates(), layers);
            String what = switch (optim.optimizer()) {
                case ADAGRAD -> "an Adagrad memory entry";
                case RMSPROP -> "an RMSprop mean square entry";
                case ADAM -> k == 0 ? "an Adam first moment entry" : "an Adam second moment entry";
            };
            // squared gradients are never negative; Adam's mean of gradients may be
            boolean nonNegative = !(optim.optimizer() == OptimizerKind.ADAM && k == 0);
            for (DMatrixRMaj m : memory[k].all()) {
                getMatrix(in, m);
                requireFinite(m, what, nonNegative);
            }
        }
        long optimizerSteps = version >= 3 ? in.getLong() : -1;
        long width = charrnn.model.Rnn.stateWidth(cell, H, layers);
        if (8 * width * B > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        DMatrixRMaj hidden = new DMatrixRMaj(B, (int) width);
        getMatrix(in, hidden);
        requireFinite(hidden, "a carried state value", false);
        long iteration = in.getLong();
        if (iteration < 0) {
            throw new IOException("a negative iteration, " + iteration);
        }
        double smoothLoss = in.getDouble();
        requireLoss("smoothed loss", smoothLoss, false);
        int streams = in.getInt();
        if (streams != B) {
            throw new IOException(streams + " stream positions for batch size " + B);
        }
        int[] positions = new int[B];
        for (int b = 0; b < B; b++) {
            positions[b] = in.getInt();
            if (positions[b] < 0 || positions[b] >= corpusLength) {
                throw new IOException("stream " + b + " at " + positions[b] + ", outside its corpus of "
                        + corpusLength + " characters");
            }
        }
        long rngState = in.getLong();
        double bestValLoss = in.getDouble();
        requireLoss("best validation loss", bestValLoss, true);
        long bestValIteration = in.getLong();
        if (bestValIteration < 0 || bestValIteration > iteration) {
            throw new IOException("a best validation loss at iteration " + bestValIteration + " of " + iteration);
        }
        if (in.hasRemaining()) {
            throw new IOException(in.remaining() + " unexpected bytes at the end of its content");
        }
        if (version < 3) {
            optimizerSteps = iteration;      // Adagrad from the first update
        }
        if (optimizerSteps < 0 || optimizerSteps > iteration) {
            throw new IOException("an optimizer step count of " + optimizerSteps + " at iteration " + iteration);
        }
        return new TrainingState(hp, vocabulary, counts, corpusLength, params, memory[0],
                buffers > 1 ? memory[1] : null, optimizerSteps, hidden, iteration,
                smoothLoss, positions, rngState, bestValLoss, bestValIteration);
    }

    /** Version 3's optimizer settings, checked as the command line checks them. */
    private static Optimization optimization(ByteBuffer in) throws IOException {
        String optimizer = string(in);
        String schedule = string(in);
        OptimizerKind kind;
        Schedule sched;
        try {
            kind = OptimizerKind.ofKey(optimizer);
            sched = Schedule.ofKey(schedule);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + ", not one this charrnn knows");
        }
        return new Optimization(kind, in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble(), sched,
                in.getLong(), in.getLong(), in.getDouble(), in.getDouble(), in.getDouble());
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort() & 0xFFFF];
        in.get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Refuses a NaN or infinite entry, and a negative one where {@code nonNegative}. */
    private static void requireFinite(DMatrixRMaj m, String what, boolean nonNegative) throws IOException {
        for (int i = 0; i < m.getNumElements(); i++) {
            double x = m.data[i];
            if (!Double.isFinite(x) || (nonNegative && x < 0)) {
                throw new IOException(what + " of " + x);
            }
        }
    }

    /** A loss is finite and not negative; NaN where {@code none} allows "not measured yet". */
    private static void requireLoss(String what, double loss, boolean none) throws IOException {
        if (Double.isNaN(loss) && none) {
            return;
        }
        if (!(loss >= 0) || !Double.isFinite(loss)) {
            throw new IOException("a " + what + " of " + loss);
        }
    }

    private static void getMatrix(ByteBuffer in, DMatrixRMaj m) throws IOException {
        int rows = in.getInt();
        int cols = in.getInt();
        if (rows != m.numRows || cols != m.numCols) {
            throw new IOException("a " + rows + "×" + cols + " matrix where " + m.numRows + "×" + m.numCols + " belongs");
        }
        int n = m.getNumElements();
        // throws BufferUnderflowException if fewer than n numbers remain
        in.asDoubleBuffer().get(m.data, 0, n);
        in.position(in.position() + 8 * n);
    }
}
