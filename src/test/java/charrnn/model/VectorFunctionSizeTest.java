package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every method that takes or returns vectors ({@link VectorMathF}'s, and {@link VectorKernels}'
 * float64 exp, tanh and σ with their steps) is at most 35 bytes of bytecode (HotSpot's
 * MaxInlineSize and C1MaxInlineSize): C2 inlines a larger one only at a call site its profile
 * calls hot, and one it judged cold stayed a call that passes vectors as objects, on the Vector
 * API's Java fallbacks (exp's 40 bytes in softmaxLoss: 14,400 bytes per update of README's
 * command on two processors, in about one run of fifteen). The sizes are read from the class
 * files.
 */
class VectorFunctionSizeTest {
    /** HotSpot's MaxInlineSize and C1MaxInlineSize on Java 17 and 25. */
    private static final int MAX_INLINE_SIZE = 35;

    @Test
    void everyMethodOnVectorsIsSmallEnoughToInlineAtAColdSite() throws IOException {
        int checked = 0;
        for (Class<?> type : new Class<?>[] {VectorMathF.class, VectorKernels.class, VectorFloats.class}) {
            for (var method : codeSizes(type).entrySet()) {
                if (!method.getKey().contains("Ljdk/incubator/vector/")) {
                    continue;                           // on arrays: the kernels, compiled as they are
                }
                checked++;
                assertTrue(method.getValue() <= MAX_INLINE_SIZE, type.getSimpleName() + "." + method.getKey()
                        + " has " + method.getValue() + " bytes of bytecode");
            }
        }
        // VectorMathF's exp, expm1, tanh, σ and their steps, and VectorKernels' likewise
        assertTrue(checked >= 30, checked + " methods on vectors found");
    }

    @Test
    void theReaderFindsTheSizesJavapWouldPrint() throws IOException {
        // a method of known shape: this class's own, return 7 (bipush 7, ireturn: 3 bytes)
        assertEquals(3, codeSizes(VectorFunctionSizeTest.class).get("seven()I"));
    }

    @SuppressWarnings("unused")
    private static int seven() {
        return 7;
    }

    /** Each method's name and descriptor ({@code seven()I}), and the length of its Code attribute. */
    static Map<String, Integer> codeSizes(Class<?> type) throws IOException {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            DataInputStream d = new DataInputStream(in);
            assertEquals(0xCAFEBABE, d.readInt());
            d.readUnsignedShort();                      // minor
            d.readUnsignedShort();                      // major
            int count = d.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = d.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = d.readUTF();
                    case 3, 4 -> d.readInt();
                    case 5, 6 -> {
                        d.readLong();
                        i++;                            // takes two slots
                    }
                    case 7, 8, 16, 19, 20 -> d.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> d.readInt();
                    case 15 -> {
                        d.readUnsignedByte();
                        d.readUnsignedShort();
                    }
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            d.readUnsignedShort();                      // access
            d.readUnsignedShort();                      // this
            d.readUnsignedShort();                      // super
            d.skipBytes(2 * d.readUnsignedShort());     // interfaces
            int fields = d.readUnsignedShort();
            for (int f = 0; f < fields; f++) {
                d.skipBytes(6);
                skipAttributes(d);
            }
            Map<String, Integer> sizes = new LinkedHashMap<>();
            int methods = d.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                d.readUnsignedShort();                  // access
                String name = utf8[d.readUnsignedShort()] + utf8[d.readUnsignedShort()];
                int attributes = d.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[d.readUnsignedShort()];
                    int length = d.readInt();
                    if (attribute.equals("Code")) {
                        d.readUnsignedShort();          // max_stack
                        d.readUnsignedShort();          // max_locals
                        int code = d.readInt();
                        sizes.put(name, code);
                        d.skipBytes(length - 8);
                    } else {
                        d.skipBytes(length);
                    }
                }
            }
            return sizes;
        }
    }

    private static void skipAttributes(DataInputStream d) throws IOException {
        int attributes = d.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            d.readUnsignedShort();
            d.skipBytes(d.readInt());
        }
    }
}
