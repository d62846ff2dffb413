package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Precision;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.SpecializedOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same model code in float32 and float64: the window's loss, the carried state and every
 * gradient matrix agree to float32's precision, for every cell and depth; and float32 gives the
 * same bits on the plain and the vector kernels.
 *
 * <p>The bound: float32 rounds each weight and each product to a relative 2⁻²⁴ ≈ 6·10⁻⁸. A
 * gradient entry is a sum of a few hundred such terms (K ≤ 4H over T steps), whose rounding
 * errors add up to at most K·2⁻²⁴ ≈ 2·10⁻⁵ relative in the worst case and about √K·2⁻²⁴ ≈
 * 10⁻⁶ typically. 10⁻⁴ per matrix (Frobenius norm of the difference over that of the float64
 * gradient) leaves room for the recurrence's amplification over T = 12 steps and still fails
 * at once if float32 computed anything else (a wrong or missing term moves a norm by 10⁻² or
 * more).
 */
class PrecisionTest {
    private static final double RELATIVE = 1e-4;

    private record Pass(double loss, DMatrixRMaj h, Params g) {
    }

    private static Pass run(Kernels kernels, Precision precision, Cell cell, int L, double dropout, RandomWindow w,
                            int H, int V, int T, int B) {
        Rnn rnn = new Rnn(H, V, T, B, kernels, precision, B, cell, L, dropout, 0);
        rnn.setDropoutKey(5);
        DMatrixRMaj h = w.h0().copy();
        double loss = rnn.forward(w.params(), w.inputs(), w.targets(), h);
        Params g = new Params(H, V, cell.gates(), L);
        rnn.backward(w.params(), g);
        return new Pass(loss, h, g);
    }

    @ParameterizedTest(name = "{0} L={1} dropout={2}")
    @CsvSource({"RNN,1,0", "RNN,2,0.25", "GRU,1,0", "GRU,2,0.25", "LSTM,1,0", "LSTM,2,0.25", "LSTM,3,0"})
    void float32AgreesWithFloat64ToItsPrecisionAndIsTheSameOnEveryKernel(Cell cell, int L, double dropout) {
        final int H = 40;
        final int V = 29;
        final int T = 12;
        final int B = 5;
        RandomWindow w = RandomWindow.draw(H, V, cell.gates(), L, T, B, new Rng(71L + 13L * L));
        Pass exact = run(Kernels.plain(), Precision.FLOAT64, cell, L, dropout, w, H, V, T, B);
        Pass plain = run(Kernels.plain(), Precision.FLOAT32, cell, L, dropout, w, H, V, T, B);
        Pass vector = run(Kernels.best(), Precision.FLOAT32, cell, L, dropout, w, H, V, T, B);

        assertEquals(Double.doubleToLongBits(plain.loss()), Double.doubleToLongBits(vector.loss()), "float32 loss");
        assertArrayEquals(plain.h().data, vector.h().data, 0.0, "float32 carried state");
        for (int k = 0; k < plain.g().all().length; k++) {
            assertArrayEquals(plain.g().all()[k].data, vector.g().all()[k].data, 0.0,
                    "float32 d" + plain.g().names()[k] + ": plain and vector kernels");
        }

        assertEquals(exact.loss(), plain.loss(), RELATIVE * exact.loss(), "loss");
        assertClose(exact.h(), plain.h(), "carried state");
        for (int k = 0; k < exact.g().all().length; k++) {
            DMatrixRMaj e = exact.g().all()[k];
            assertTrue(NormOps_DDRM.normF(e) > 0, "d" + exact.g().names()[k] + " is not all zeros");
            assertClose(e, plain.g().all()[k], "d" + exact.g().names()[k]);
        }
    }

    private static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual, String what) {
        double error = SpecializedOps_DDRM.diffNormF(expected, actual) / NormOps_DDRM.normF(expected);
        assertTrue(error <= RELATIVE, what + ": float32 differs from float64 by " + error + " (relative)");
        assertTrue(error > 0, what + ": float32 is float64 bit for bit, so it did not compute in float32");
    }
}
