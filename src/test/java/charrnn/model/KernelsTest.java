package charrnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** Each kernel against EJML's own product on the extracted row block. */
class KernelsTest {
    private static final double ROUNDING = 1e-12;
    private final Rng rng = new Rng(11);

    private DMatrixRMaj random(int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rng.nextGaussian();
        }
        return m;
    }

    private static DMatrixRMaj rows(DMatrixRMaj m, int from, int count) {
        return CommonOps_DDRM.extract(m, from, from + count, 0, m.numCols);
    }

    @Test
    void multTransBOnARowBlock() {
        DMatrixRMaj A = random(9, 7);
        DMatrixRMaj W = random(5, 7);
        DMatrixRMaj C = random(8, 5);
        DMatrixRMaj before = C.copy();
        Kernels.multTransB(A, 2, 4, W, C, 3, false);
        DMatrixRMaj expected = new DMatrixRMaj(4, 5);
        CommonOps_DDRM.multTransB(rows(A, 2, 4), W, expected);
        assertBlock(expected, C, 3);
        assertUntouchedOutside(before, C, 3, 4);

        DMatrixRMaj acc = C.copy();
        Kernels.multTransB(A, 2, 4, W, acc, 3, true);
        CommonOps_DDRM.scale(2, expected);
        assertBlock(expected, acc, 3);
    }

    @Test
    void multOnARowBlock() {
        DMatrixRMaj A = random(6, 3);
        DMatrixRMaj W = random(3, 10);
        DMatrixRMaj C = random(5, 10);
        DMatrixRMaj before = C.copy();
        Kernels.mult(A, 1, 2, W, C, 2, false);
        DMatrixRMaj expected = new DMatrixRMaj(2, 10);
        CommonOps_DDRM.mult(rows(A, 1, 2), W, expected);
        assertBlock(expected, C, 2);
        assertUntouchedOutside(before, C, 2, 2);

        DMatrixRMaj acc = C.copy();
        Kernels.mult(A, 1, 2, W, acc, 2, true);
        CommonOps_DDRM.scale(2, expected);
        assertBlock(expected, acc, 2);
    }

    @Test
    void multAddTransAOnRowBlocks() {
        DMatrixRMaj A = random(10, 4);
        DMatrixRMaj Bm = random(12, 6);
        A.set(5, 2, 0.0);    // the kernel skips zero entries: they must still come out right
        DMatrixRMaj C = random(4, 6);
        DMatrixRMaj expected = C.copy();
        CommonOps_DDRM.multAddTransA(rows(A, 3, 5), rows(Bm, 6, 5), expected);
        Kernels.multAddTransA(A, 3, Bm, 6, 5, C);
        assertBlock(expected, C, 0);
    }

    @Test
    void mismatchedShapesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Kernels.mult(random(2, 3), 0, 2, random(4, 2), new DMatrixRMaj(2, 2), 0, false));
        assertThrows(IllegalArgumentException.class,
                () -> Kernels.multTransB(random(2, 3), 1, 2, random(2, 3), new DMatrixRMaj(2, 2), 0, false));
    }

    private static void assertBlock(DMatrixRMaj expected, DMatrixRMaj actual, int row0) {
        for (int i = 0; i < expected.numRows; i++) {
            for (int j = 0; j < expected.numCols; j++) {
                assertEquals(expected.get(i, j), actual.get(row0 + i, j), ROUNDING, "[" + i + "," + j + "]");
            }
        }
    }

    private static void assertUntouchedOutside(DMatrixRMaj before, DMatrixRMaj after, int row0, int rows) {
        for (int i = 0; i < before.numRows; i++) {
            if (i >= row0 && i < row0 + rows) {
                continue;
            }
            for (int j = 0; j < before.numCols; j++) {
                assertEquals(before.get(i, j), after.get(i, j), 0.0, "row " + i + " changed");
            }
        }
    }
}
