package charrnn.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The matrix products of the forward and backward passes, on row blocks of EJML matrices.
 * EJML's operations take whole matrices; the recurrence needs one time step's block of rows of
 * a T·B-row activation matrix, so these take a first row and a row count. Outputs are passed
 * in; nothing is allocated.
 *
 * <p>Each product is written with the loop order that makes the innermost loop a contiguous
 * multiply-add (axpy) or a dot product over one row.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * {@code C[c0+i,:] (+)= A[a0+i,:] · Wᵀ} for {@code i < rows}. A: ?×K, W: N×K, C: ?×N.
     *
     * @param accumulate add to C instead of overwriting it
     */
    public static void multTransB(DMatrixRMaj A, int a0, int rows, DMatrixRMaj W,
                                  DMatrixRMaj C, int c0, boolean accumulate) {
        final int K = A.numCols;
        final int N = W.numRows;
        check(W.numCols == K && C.numCols == N && a0 + rows <= A.numRows && c0 + rows <= C.numRows);
        final double[] a = A.data;
        final double[] w = W.data;
        final double[] c = C.data;
        for (int i = 0; i < rows; i++) {
            final int ai = (a0 + i) * K;
            final int ci = (c0 + i) * N;
            for (int j = 0; j < N; j++) {
                final int wj = j * K;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int k = 0;
                for (; k + 3 < K; k += 4) {
                    s0 += a[ai + k] * w[wj + k];
                    s1 += a[ai + k + 1] * w[wj + k + 1];
                    s2 += a[ai + k + 2] * w[wj + k + 2];
                    s3 += a[ai + k + 3] * w[wj + k + 3];
                }
                for (; k < K; k++) {
                    s0 += a[ai + k] * w[wj + k];
                }
                double s = (s0 + s1) + (s2 + s3);
                c[ci + j] = accumulate ? c[ci + j] + s : s;
            }
        }
    }

    /**
     * {@code C[c0+i,:] (+)= A[a0+i,:] · W} for {@code i < rows}. A: ?×K, W: K×N, C: ?×N.
     *
     * @param accumulate add to C instead of overwriting it
     */
    public static void mult(DMatrixRMaj A, int a0, int rows, DMatrixRMaj W,
                            DMatrixRMaj C, int c0, boolean accumulate) {
        final int K = A.numCols;
        final int N = W.numCols;
        check(W.numRows == K && C.numCols == N && a0 + rows <= A.numRows && c0 + rows <= C.numRows);
        final double[] a = A.data;
        final double[] w = W.data;
        final double[] c = C.data;
        for (int i = 0; i < rows; i++) {
            final int ai = (a0 + i) * K;
            final int ci = (c0 + i) * N;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + N, 0.0);
            }
            for (int k = 0; k < K; k++) {
                final double aik = a[ai + k];
                final int wk = k * N;
                for (int j = 0; j < N; j++) {
                    c[ci + j] += aik * w[wk + j];
                }
            }
        }
    }

    /**
     * {@code C += A[a0..a0+rows,:]ᵀ · Bm[b0..b0+rows,:]}: a sum of outer products of rows.
     * A: ?×M, Bm: ?×N, C: M×N.
     */
    public static void multAddTransA(DMatrixRMaj A, int a0, DMatrixRMaj Bm, int b0, int rows,
                                     DMatrixRMaj C) {
        final int M = A.numCols;
        final int N = Bm.numCols;
        check(C.numRows == M && C.numCols == N && a0 + rows <= A.numRows && b0 + rows <= Bm.numRows);
        final double[] a = A.data;
        final double[] bm = Bm.data;
        final double[] c = C.data;
        for (int r = 0; r < rows; r++) {
            final int ar = (a0 + r) * M;
            final int br = (b0 + r) * N;
            for (int i = 0; i < M; i++) {
                final double ari = a[ar + i];
                if (ari == 0.0) {
                    continue;
                }
                final int ci = i * N;
                for (int j = 0; j < N; j++) {
                    c[ci + j] += ari * bm[br + j];
                }
            }
        }
    }

    private static void check(boolean shapesAgree) {
        if (!shapesAgree) {
            throw new IllegalArgumentException("matrix shapes do not agree");
        }
    }
}
