package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.config.Precision;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class BatchRnnTest {
    @Test
    void partsOnThreadsGiveTheLiteralGradientAndTheSameBitsForAnyThreadCount() {
        int H = 12;
        int V = 9;
        int T = 5;
        int B = 2 * BatchRnn.STREAMS_PER_PART + 3;    // three parts
        RandomWindow w = RandomWindow.draw(H, V, T, B, new Rng(8));
        Params p = w.params();
        DMatrixRMaj h0 = w.h0();
        int[] x = w.inputs();
        int[] y = w.targets();
        ReferenceRnn.Result expected = ReferenceRnn.run(p, T, B, x, y, ReferenceRnn.toArray(h0));

        Params[] grads = new Params[3];
        DMatrixRMaj[] hs = new DMatrixRMaj[3];
        double[] losses = new double[3];
        int[] threads = {1, 2, 3};
        for (int i = 0; i < 3; i++) {
            try (BatchRnn batch = new BatchRnn(H, V, T, B, Kernels.best(), Precision.FLOAT64, threads[i], charrnn.config.Cell.RNN, 1, 0)) {
                grads[i] = new Params(H, V, 1, 1);
                hs[i] = h0.copy();
                losses[i] = batch.forwardBackward(p, x, y, hs[i], grads[i]);
            }
        }
        assertEquals(expected.loss(), losses[0], 1e-12);
        RnnTest.assertClose(expected.dWhh(), grads[0].Whh[0], "dWhh");
        RnnTest.assertClose(expected.dWxh(), grads[0].Wxh[0], "dWxh");
        RnnTest.assertClose(expected.dWhy(), grads[0].Why, "dWhy");
        RnnTest.assertClose(RnnTest.column(expected.dbh()), grads[0].bh[0], "dbh");
        RnnTest.assertClose(RnnTest.column(expected.dby()), grads[0].by, "dby");
        RnnTest.assertClose(expected.hLast(), hs[0], "h");
        for (int i = 1; i < 3; i++) {
            assertEquals(losses[0], losses[i], 0.0);
            assertArrayEquals(hs[0].data, hs[i].data);
            for (String name : grads[0].names()) {
                assertArrayEquals(grads[0].get(name).data, grads[i].get(name).data, name);
            }
        }
    }
}
