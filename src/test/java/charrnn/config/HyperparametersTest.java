package charrnn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every knob at the edge of what it accepts: the last value refused, with its message, and the first accepted. */
class HyperparametersTest {

    /** The defaults with one component replaced, by name. */
    private static Hyperparameters with(String name, Object value) throws Throwable {
        RecordComponent[] components = Hyperparameters.class.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        Hyperparameters defaults = Hyperparameters.defaults();
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = components[i].getName().equals(name) ? value : components[i].getAccessor().invoke(defaults);
        }
        if (Arrays.stream(components).noneMatch(c -> c.getName().equals(name))) {
            throw new AssertionError("no component " + name);
        }
        try {
            return Hyperparameters.class.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object value(Class<?> type, String text) {
        if (type == int.class) {
            return Integer.valueOf(text);
        }
        return type == long.class ? (Object) Long.valueOf(text) : (Object) Double.valueOf(text);
    }

    private static Class<?> typeOf(String name) {
        return Arrays.stream(Hyperparameters.class.getRecordComponents()).filter(c -> c.getName().equals(name))
                .findFirst().orElseThrow().getType();
    }

    @ParameterizedTest(name = "{0}: {1} refused, {2} accepted")
    @CsvSource(delimiter = ';', value = {
        "hidden; 0; 1; --hidden must be 1 or more, got 0",
        "hidden; 16385; 16384; --hidden must be at most 16384, got 16385",
        "seqLength; 0; 1; --seq-length must be 1 or more, got 0",
        "batchSize; 0; 1; --batch-size must be 1 or more, got 0",
        "learningRate; 0; 1e-300; --learning-rate must be a finite number above 0, got 0.0",
        "learningRate; Infinity; 1e300; --learning-rate must be a finite number above 0, got Infinity",
        "learningRate; NaN; 0.1; --learning-rate must be a finite number above 0, got NaN",
        "clip; -1e-300; 0; --clip must be a finite number, 0 or above (0 turns clipping off), got -1.0E-300",
        "clip; Infinity; 1e300; --clip must be a finite number, 0 or above (0 turns clipping off), got Infinity",
        "clip; NaN; 5; --clip must be a finite number, 0 or above (0 turns clipping off), got NaN",
        "iterations; 0; 1; --iterations must be 1 or more, got 0",
        "printEvery; 0; 1; --print-every must be 1 or more, got 0",
        "sampleEvery; -1; 0; --sample-every must be 0 (no samples) or above, got -1",
        "sampleLength; 0; 1; --sample-length must be 1 or more, got 0",
        "sampleLength; 1000001; 1000000; --sample-length must be at most 1000000 (use charrnn sample for longer texts), got 1000001",
        "valFraction; -1e-300; 0; --val-fraction must be between 0 (no validation) and 0.5, got -1.0E-300",
        "valFraction; 0.5000000001; 0.5; --val-fraction must be between 0 (no validation) and 0.5, got 0.5000000001",
        "valFraction; NaN; 0.1; --val-fraction must be between 0 (no validation) and 0.5, got NaN",
        "evalEvery; 0; 1; --eval-every must be 1 or more, got 0",
        "checkpointEvery; 0; 1; --checkpoint-every must be 1 or more, got 0",
        "resetEvery; -1; 0; --reset-every must be 0 (reset only at the corpus's end) or above, got -1",
        "layers; 0; 1; --layers must be 1 or more, got 0",
        "layers; 65; 64; --layers must be at most 64, got 65",
    })
    void eachKnobRefusesTheFirstValueBeyondItsRange(String name, String refused, String accepted, String message)
            throws Throwable {
        Class<?> type = typeOf(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> with(name, value(type, refused)));
        assertEquals(message, e.getMessage());
        assertEquals(value(type, accepted), Hyperparameters.class.getMethod(name).invoke(with(name, value(type, accepted))));
    }

    @Test
    void dropoutIsARateBelowOneAndOnlyBetweenStackedLayers() throws Throwable {
        Hyperparameters two = with("layers", 2);
        assertEquals("--dropout must be at least 0 and below 1, got 1.0",
                assertThrows(IllegalArgumentException.class, () -> withDropout(two, 1.0)).getMessage());
        assertEquals("--dropout must be at least 0 and below 1, got -1.0E-300",
                assertThrows(IllegalArgumentException.class, () -> withDropout(two, -1e-300)).getMessage());
        assertEquals(0.999, withDropout(two, 0.999).dropout(), 0.0);
        assertEquals(0.0, withDropout(two, 0).dropout(), 0.0);
        assertEquals("--dropout acts between stacked layers: it needs --layers 2 or more",
                assertThrows(IllegalArgumentException.class, () -> with("dropout", 0.1)).getMessage());
        assertThrows(NullPointerException.class, () -> with("cell", null));
    }

    private static Hyperparameters withDropout(Hyperparameters h, double q) {
        return h.toBuilder().dropout(q).build();
    }

    @Test
    void theDefaultsAreTheDocumentedOnesAndAnUpdateReadsBTimesTCharacters() throws Throwable {
        Hyperparameters d = Hyperparameters.defaults();
        assertEquals(new Hyperparameters(100, 25, 1, 0.1, 5, 50_000, 100, 1000, 200, 42, 0.05, 2000, 1000, 100,
                Cell.RNN, 1, 0, charrnn.config.Optimization.defaults(), Precision.FLOAT32), d);
        assertEquals(25, d.charsPerIteration());
        assertEquals(75, with("batchSize", 3).charsPerIteration());
        assertEquals(4_000_000_000L, Hyperparameters.builder().seqLength(2_000_000).batchSize(2000).iterations(1)
                .build().charsPerIteration(), "no int overflow");
        assertEquals("tanh RNN", Cell.RNN.title());
        assertEquals("GRU", Cell.GRU.title());
        assertEquals("LSTM", Cell.LSTM.title());
    }
}
