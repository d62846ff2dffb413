package charrnn.model;

/**
 * A deliberately literal implementation of the tanh RNN for tests, independent of
 * {@link Rnn} and {@link Kernels}: column vectors as double[], a dense one-hot x_t multiplied
 * by Wxh, and the textbook BPTT loop per stream, as min-char-rnn writes it. Slow and plain.
 */
public final class ReferenceRnn {
    private ReferenceRnn() {
    }

    /**
     * Loss and gradients of one window for B streams: the loss is the mean over T·B, the
     * gradients are of the loss summed over T and averaged over B.
     */
    public record Result(double loss, double[][] dWxh, double[][] dWhh, double[][] dWhy,
                         double[] dbh, double[] dby, double[][] hLast) {
    }

    public static double[][] toArray(org.ejml.data.DMatrixRMaj m) {
        double[][] a = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                a[i][j] = m.get(i, j);
            }
        }
        return a;
    }

    /**
     * @param inputs  entry t·B+b
     * @param h0      B rows of H
     */
    public static Result run(Params p, int T, int B, int[] inputs, int[] targets, double[][] h0) {
        int H = p.H;
        int V = p.V;
        double[][] Wxh = toArray(p.Wxh[0]);
        double[][] Whh = toArray(p.Whh[0]);
        double[][] Why = toArray(p.Why);
        double[] bh = p.bh[0].data.clone();
        double[] by = p.by.data.clone();
        double[][] dWxh = new double[H][V];
        double[][] dWhh = new double[H][H];
        double[][] dWhy = new double[V][H];
        double[] dbh = new double[H];
        double[] dby = new double[V];
        double[][] hLast = new double[B][];
        double loss = 0;
        double n = T * B;
        for (int b = 0; b < B; b++) {
            double[][] xs = new double[T][];
            double[][] hs = new double[T + 1][];   // hs[t+1] = h_t, hs[0] = h_{-1}
            double[][] ps = new double[T][];
            hs[0] = h0[b].clone();
            for (int t = 0; t < T; t++) {
                xs[t] = new double[V];
                xs[t][inputs[t * B + b]] = 1;
                double[] a = add(add(matvec(Wxh, xs[t]), matvec(Whh, hs[t])), bh);
                double[] h = new double[H];
                for (int i = 0; i < H; i++) {
                    h[i] = Math.tanh(a[i]);
                }
                hs[t + 1] = h;
                double[] y = add(matvec(Why, h), by);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : y) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                double[] pr = new double[V];
                for (int j = 0; j < V; j++) {
                    pr[j] = Math.exp(y[j] - max);
                    sum += pr[j];
                }
                for (int j = 0; j < V; j++) {
                    pr[j] /= sum;
                }
                ps[t] = pr;
                loss += -Math.log(pr[targets[t * B + b]]);
            }
            hLast[b] = hs[T];
            double[] dhnext = new double[H];
            for (int t = T - 1; t >= 0; t--) {
                double[] dy = ps[t].clone();
                dy[targets[t * B + b]] -= 1;
                for (int j = 0; j < V; j++) {
                    dy[j] /= B;
                }
                outerAdd(dWhy, dy, hs[t + 1]);
                addTo(dby, dy);
                double[] dh = add(matvecT(Why, dy), dhnext);
                double[] dhraw = new double[H];
                for (int i = 0; i < H; i++) {
                    dhraw[i] = (1 - hs[t + 1][i] * hs[t + 1][i]) * dh[i];
                }
                addTo(dbh, dhraw);
                outerAdd(dWxh, dhraw, xs[t]);
                outerAdd(dWhh, dhraw, hs[t]);
                dhnext = matvecT(Whh, dhraw);
            }
        }
        return new Result(loss / n, dWxh, dWhh, dWhy, dbh, dby, hLast);
    }

    static double[] matvec(double[][] m, double[] v) {
        double[] r = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < v.length; j++) {
                r[i] += m[i][j] * v[j];
            }
        }
        return r;
    }

    static double[] matvecT(double[][] m, double[] v) {
        double[] r = new double[m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < r.length; j++) {
                r[j] += m[i][j] * v[i];
            }
        }
        return r;
    }

    static double[] add(double[] a, double[] b) {
        double[] r = a.clone();
        addTo(r, b);
        return r;
    }

    static void addTo(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    static void outerAdd(double[][] m, double[] u, double[] v) {
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < v.length; j++) {
                m[i][j] += u[i] * v[j];
            }
        }
    }
}
