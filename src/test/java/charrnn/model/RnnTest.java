package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.check.GradientCheck;
import charrnn.config.Precision;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RnnTest {
    /** Two sums of the same terms in different orders differ by rounding only. */
    private static final double ROUNDING = 1e-12;

    @ParameterizedTest(name = "H={0} V={1} T={2} B={3} vector={4}")
    @CsvSource({"5,4,1,1,false", "7,6,5,1,false", "8,5,6,3,false", "16,11,9,4,false",
                "5,4,1,1,true", "7,6,5,1,true", "8,5,6,3,true", "16,11,9,4,true", "100,65,25,2,true", "33,70,4,3,true"})
    void forwardAndBackwardAgreeWithTheLiteralImplementation(int H, int V, int T, int B, boolean vector) {
        Kernels kernels = vector ? Kernels.best() : Kernels.plain();
        RandomWindow w = RandomWindow.draw(H, V, T, B, new Rng(H * 1000L + V * 100L + T * 10L + B));
        Params p = w.params();
        DMatrixRMaj h0 = w.h0();
        int[] inputs = w.inputs();
        int[] targets = w.targets();
        ReferenceRnn.Result expected = ReferenceRnn.run(p, T, B, inputs, targets, ReferenceRnn.toArray(h0));

        Rnn rnn = new Rnn(H, V, T, B, kernels, Precision.FLOAT64, B, charrnn.config.Cell.RNN, 1, 0, 0);
        DMatrixRMaj h = h0.copy();
        double loss = rnn.forward(p, inputs, targets, h);
        Params g = new Params(H, V, 1, 1);
        rnn.backward(p, g);

        assertEquals(expected.loss(), loss, ROUNDING);
        assertClose(expected.hLast(), h, "h_{T-1}");
        assertClose(expected.dWxh(), g.Wxh[0], "dWxh");
        assertClose(expected.dWhh(), g.Whh[0], "dWhh");
        assertClose(expected.dWhy(), g.Why, "dWhy");
        assertClose(column(expected.dbh()), g.bh[0], "dbh");
        assertClose(column(expected.dby()), g.by, "dby");
    }

    @Test
    void backwardAccumulatesIntoTheGradient() {
        Rng rng = new Rng(3);
        Params p = GradientCheck.probeModel(6, 5, 1, 1, rng);
        int[] x = {0, 1, 2, 3};
        int[] y = {1, 2, 3, 4};
        Rnn rnn = new Rnn(6, 5, 4, 1, charrnn.model.Kernels.best(), Precision.FLOAT64, 1, charrnn.config.Cell.RNN, 1, 0, 0);
        Params once = new Params(6, 5, 1, 1);
        rnn.forward(p, x, y, new DMatrixRMaj(1, 6));
        rnn.backward(p, once);
        Params twice = new Params(6, 5, 1, 1);
        rnn.forward(p, x, y, new DMatrixRMaj(1, 6));
        rnn.backward(p, twice);
        rnn.forward(p, x, y, new DMatrixRMaj(1, 6));
        rnn.backward(p, twice);
        for (String name : once.names()) {
            for (int i = 0; i < once.get(name).getNumElements(); i++) {
                assertEquals(2 * once.get(name).data[i], twice.get(name).data[i], ROUNDING, name);
            }
        }
    }

    @Test
    void anUntrainedModelScoresAboutLnV() {
        int V = 40;
        Params p = Params.initial(50, V, new Rng(1));
        Rng rng = new Rng(2);
        int T = 30;
        int[] x = new int[T];
        int[] y = new int[T];
        for (int t = 0; t < T; t++) {
            x[t] = (int) (rng.nextDouble() * V);
            y[t] = (int) (rng.nextDouble() * V);
        }
        double loss = new Rnn(50, V, T, 1, charrnn.model.Kernels.best(), Precision.FLOAT64, 1, charrnn.config.Cell.RNN, 1, 0, 0).forward(p, x, y, new DMatrixRMaj(1, 50));
        assertEquals(Math.log(V), loss, 0.01);
    }

    static DMatrixRMaj column(double[] v) {
        return new DMatrixRMaj(v.length, 1, true, v);
    }

    static void assertClose(double[][] expected, DMatrixRMaj actual, String what) {
        assertClose(new DMatrixRMaj(expected), actual, what);
    }

    static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual, String what) {
        assertEquals(expected.numRows, actual.numRows, what + " rows");
        assertEquals(expected.numCols, actual.numCols, what + " cols");
        for (int i = 0; i < expected.getNumElements(); i++) {
            double e = expected.data[i];
            assertEquals(e, actual.data[i], ROUNDING * Math.max(1, Math.abs(e)), what + " entry " + i);
        }
    }
}
