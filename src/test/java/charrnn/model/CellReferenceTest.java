package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import charrnn.config.Cell;
import charrnn.config.Precision;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every cell, one layer and stacks, with and without dropout: the loss, the carried state and
 * every gradient of {@link Rnn} against the literal {@link ReferenceCells}.
 */
class CellReferenceTest {
    /** Two sums of the same terms in different orders differ by rounding only. */
    private static final double ROUNDING = 1e-12;

    @ParameterizedTest(name = "{0} L={1} H={2} V={3} T={4} B={5} dropout={6} vector={7}")
    @CsvSource({
        "RNN,1,5,4,3,2,0,false", "RNN,2,6,5,4,3,0,false", "RNN,3,5,4,3,2,0.3,true",
        "GRU,1,5,4,1,1,0,false", "GRU,1,7,6,5,3,0,false", "GRU,1,9,5,4,2,0,true", "GRU,2,6,5,4,3,0,false",
        "GRU,2,6,5,4,3,0.25,true", "GRU,3,5,4,3,2,0.4,false",
        "LSTM,1,5,4,1,1,0,false", "LSTM,1,7,6,5,3,0,false", "LSTM,1,9,5,4,2,0,true", "LSTM,2,6,5,4,3,0,false",
        "LSTM,2,6,5,4,3,0.25,true", "LSTM,3,5,4,3,2,0.4,false"})
    void everyCellAndStackAgreesWithTheLiteralImplementation(Cell cell, int L, int H, int V, int T, int B,
                                                             double dropout, boolean vector) {
        Kernels kernels = vector ? Kernels.best() : Kernels.plain();
        RandomWindow w = RandomWindow.draw(H, V, cell.gates(), L, T, B, new Rng(31L * H + 7L * L + B));
        Rnn rnn = new Rnn(H, V, T, B, kernels, Precision.FLOAT64, B, cell, L, dropout, 0);
        rnn.setDropoutKey(17);
        DMatrixRMaj h = w.h0().copy();
        double loss = rnn.forward(w.params(), w.inputs(), w.targets(), h);
        Params g = new Params(H, V, cell.gates(), L);
        rnn.backward(w.params(), g);

        DMatrixRMaj[] masks = new DMatrixRMaj[L];
        for (int l = 1; l < L && dropout > 0; l++) {
            masks[l] = rnn.maskOf(l);
        }
        ReferenceCells.Result expected = ReferenceCells.run(cell, w.params(), T, B, w.inputs(), w.targets(), w.h0(),
                dropout > 0 ? masks : null);

        assertEquals(expected.loss(), loss, ROUNDING);
        RnnTest.assertClose(expected.hLast(), h, "carried state");
        assertGradientsClose(expected.grads(), g, cell + "");
        double[] row = new double[Rnn.stateWidth(cell, H, L)];
        for (int b = 0; b < B; b++) {
            rnn.hiddenAt(T - 1, b, row);
            for (int i = 0; i < row.length; i++) {
                assertEquals(expected.hLast().get(b, i), row[i], ROUNDING, "hiddenAt stream " + b + " entry " + i);
            }
        }
    }

    @Test
    void aModelRunTwiceKeepsNothingOfItsPreviousWindow() {
        // the second window's results must be those of a fresh model: every buffer that
        // backpropagation carries from step to step starts from zero again
        int H = 6;
        int V = 5;
        int T = 4;
        int B = 2;
        int L = 2;
        for (Cell cell : Cell.values()) {
            RandomWindow first = RandomWindow.draw(H, V, cell.gates(), L, T, B, new Rng(40));
            RandomWindow second = RandomWindow.draw(H, V, cell.gates(), L, T, B, new Rng(41));
            Rnn rnn = new Rnn(H, V, T, B, Kernels.plain(), Precision.FLOAT64, B, cell, L, 0, 0);
            rnn.forward(first.params(), first.inputs(), first.targets(), first.h0().copy());
            rnn.backward(first.params(), new Params(H, V, cell.gates(), L));

            DMatrixRMaj h = second.h0().copy();
            double loss = rnn.forward(second.params(), second.inputs(), second.targets(), h);
            Params g = new Params(H, V, cell.gates(), L);
            rnn.backward(second.params(), g);
            ReferenceCells.Result expected = ReferenceCells.run(cell, second.params(), T, B, second.inputs(),
                    second.targets(), second.h0(), null);
            assertEquals(expected.loss(), loss, ROUNDING, cell + " loss");
            RnnTest.assertClose(expected.hLast(), h, cell + " carried state");
            assertGradientsClose(expected.grads(), g, cell + " second window");
        }
    }

    @Test
    void advancingMovesTheStateAsForwardDoes() {
        // advance runs the layers alone, for sampling: the state it leaves is forward's
        int H = 5;
        int V = 4;
        int T = 3;
        for (Cell cell : Cell.values()) {
            RandomWindow w = RandomWindow.draw(H, V, cell.gates(), 2, T, 1, new Rng(42));
            ReferenceCells.Result expected = ReferenceCells.run(cell, w.params(), T, 1, w.inputs(), w.targets(),
                    w.h0(), null);
            Rnn rnn = new Rnn(H, V, T, 1, Kernels.plain(), Precision.FLOAT64, 1, cell, 2, 0, 0);
            DMatrixRMaj h = w.h0().copy();
            rnn.advance(w.params(), w.inputs(), h, false);
            RnnTest.assertClose(expected.hLast(), h, cell + " after advance");
        }
    }

    @Test
    void aModelHasOneLayerOrMoreAndADropoutRateInZeroToOne() {
        Kernels k = Kernels.plain();
        assertThrows(IllegalArgumentException.class, () -> new Rnn(4, 3, 2, 1, k, Precision.FLOAT64, 1, Cell.GRU, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Rnn(4, 3, 2, 1, k, Precision.FLOAT64, 1, Cell.GRU, 2, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Rnn(4, 3, 2, 1, k, Precision.FLOAT64, 1, Cell.GRU, 2, -0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Rnn(4, 3, 2, 1, k, Precision.FLOAT64, 1, Cell.GRU, 2, Double.NaN, 0));
        new Rnn(4, 3, 2, 1, k, Precision.FLOAT64, 1, Cell.GRU, 2, 0.99, 0);
        // parameters of another cell or depth are refused, and so is a state of another shape
        Rnn rnn = new Rnn(4, 3, 2, 1, k, Precision.FLOAT64, 1, Cell.GRU, 2, 0, 0);
        int[] x = {0, 1};
        assertThrows(IllegalArgumentException.class,
                () -> rnn.forward(new Params(4, 3, 4, 2), x, x, new DMatrixRMaj(1, 8)));
        assertThrows(IllegalArgumentException.class,
                () -> rnn.forward(new Params(4, 3, 3, 1), x, x, new DMatrixRMaj(1, 8)));
        assertThrows(IllegalArgumentException.class,
                () -> rnn.forward(new Params(4, 3, 3, 2), x, x, new DMatrixRMaj(1, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> rnn.forward(new Params(4, 3, 3, 2), x, x, new DMatrixRMaj(2, 8)));
        rnn.forward(new Params(4, 3, 3, 2), x, x, new DMatrixRMaj(1, 8));
        assertEquals(2, rnn.objectiveScale(), 0.0);
    }

    static void assertGradientsClose(Params expected, Params actual, String what) {
        String[] names = actual.names();
        for (int k = 0; k < actual.all().length; k++) {
            RnnTest.assertClose(expected.all()[k], actual.all()[k], what + " d" + names[k]);
        }
    }
}
