package charrnn.model;

import charrnn.config.Cell;
import org.ejml.data.DMatrixRMaj;

/**
 * A deliberately literal implementation of every cell (tanh RNN, GRU, LSTM) and of stacks of
 * them, with dropout masks given, for tests: independent of {@link Rnn} and {@link Kernels}.
 * Column vectors as double[], the weights read entry by entry with {@code get(i, j)}, one
 * stream at a time, the equations of README's "The model" written out as they read:
 *
 * <pre>
 *   a = Wxh·in + bh      u = Whh·h                          (in: one-hot x, or m⊙h of the layer below)
 *   tanh:  h' = tanh(a + u)
 *   GRU:   z = σ(a_z + u_z)  r = σ(a_r + u_r)  n = tanh(a_n + r⊙u_n)  h' = (1 − z)⊙n + z⊙h
 *   LSTM:  i, f, o = σ(a + u)  g = tanh(a_g + u_g)  c' = f⊙c + i⊙g  h' = o⊙tanh(c')
 *   y = Why·h_top + by     p = softmax(y)     loss = mean over t, b of −ln p[target]
 * </pre>
 *
 * The gradients are of J = Σ_t mean_b −ln p (as {@link Rnn#backward}), by the chain rule
 * applied one scalar at a time, layer by layer from the top, t downward in each.
 */
public final class ReferenceCells {
    private ReferenceCells() {
    }

    /**
     * @param loss  mean over T·B of −ln p, nats per character
     * @param grads ∂J/∂θ
     * @param hLast B×(L·S), the state after the window, laid out as {@link Rnn#forward}'s h
     */
    public record Result(double loss, Params grads, DMatrixRMaj hLast) {
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * @param inputs T·B, entry t·B+b
     * @param h0     B×(L·S): per stream, layer 0's h (then its c for the LSTM), layer 1's, ...
     * @param masks  per layer, T·B×H dropout masks (entry [l] for l ≥ 1), or null for none
     */
    public static Result run(Cell cell, Params p, int T, int B, int[] inputs, int[] targets, DMatrixRMaj h0,
                             DMatrixRMaj[] masks) {
        final int H = p.H;
        final int V = p.V;
        final int L = p.L;
        final int S = cell.stateWidth(H);
        final boolean lstm = cell == Cell.LSTM;
        Params g = new Params(H, V, cell.gates(), L);
        DMatrixRMaj hLast = new DMatrixRMaj(B, L * S);
        double loss = 0;
        for (int b = 0; b < B; b++) {
            // forward, keeping every layer's input, state and gates at every step
            double[][][] in = new double[L][T][];      // the layer's input at step t (after the mask)
            double[][][] hs = new double[L][T + 1][];  // hs[l][t+1] = h_t, hs[l][0] = h_{-1}
            double[][][] cs = new double[L][T + 1][];
            double[][][] gs = new double[L][T][];      // gate values, G·H
            double[][][] us = new double[L][T][];      // Whh·h_{t-1}, G·H
            double[][] ps = new double[T][];
            for (int l = 0; l < L; l++) {
                hs[l][0] = new double[H];
                cs[l][0] = new double[H];
                for (int i = 0; i < H; i++) {
                    hs[l][0][i] = h0.get(b, l * S + i);
                    cs[l][0][i] = lstm ? h0.get(b, l * S + H + i) : 0;
                }
            }
            for (int t = 0; t < T; t++) {
                for (int l = 0; l < L; l++) {
                    double[] x;
                    if (l == 0) {
                        x = new double[V];
                        x[inputs[t * B + b]] = 1;
                    } else {
                        x = hs[l - 1][t + 1].clone();
                        for (int j = 0; j < H; j++) {
                            x[j] *= masks == null ? 1 : masks[l].get(t * B + b, j);
                        }
                    }
                    in[l][t] = x;
                    double[] a = add(matvec(p.Wxh[l], x), column(p.bh[l]));
                    double[] u = matvec(p.Whh[l], hs[l][t]);
                    double[] h = new double[H];
                    double[] c = new double[H];
                    double[] gate = new double[cell.gates() * H];
                    for (int i = 0; i < H; i++) {
                        switch (cell) {
                            case RNN -> h[i] = Math.tanh(a[i] + u[i]);
                            case GRU -> {
                                double z = sigmoid(a[i] + u[i]);
                                double r = sigmoid(a[H + i] + u[H + i]);
                                double n = Math.tanh(a[2 * H + i] + r * u[2 * H + i]);
                                gate[i] = z;
                                gate[H + i] = r;
                                gate[2 * H + i] = n;
                                h[i] = (1 - z) * n + z * hs[l][t][i];
                            }
                            case LSTM -> {
                                double ig = sigmoid(a[i] + u[i]);
                                double fg = sigmoid(a[H + i] + u[H + i]);
                                double gg = Math.tanh(a[2 * H + i] + u[2 * H + i]);
                                double og = sigmoid(a[3 * H + i] + u[3 * H + i]);
                                gate[i] = ig;
                                gate[H + i] = fg;
                                gate[2 * H + i] = gg;
                                gate[3 * H + i] = og;
                                c[i] = fg * cs[l][t][i] + ig * gg;
                                h[i] = og * Math.tanh(c[i]);
                            }
                        }
                    }
                    hs[l][t + 1] = h;
                    cs[l][t + 1] = c;
                    gs[l][t] = gate;
                    us[l][t] = u;
                }
                double[] y = add(matvec(p.Why, hs[L - 1][t + 1]), column(p.by));
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
                loss -= Math.log(pr[targets[t * B + b]]);
            }
            for (int l = 0; l < L; l++) {
                for (int i = 0; i < H; i++) {
                    hLast.set(b, l * S + i, hs[l][T][i]);
                    if (lstm) {
                        hLast.set(b, l * S + H + i, cs[l][T][i]);
                    }
                }
            }

            // backward: the output layer, then each layer from the top down
            double[][] dhIn = new double[T][];   // ∂J/∂h_t of the layer being visited, from above
            for (int t = 0; t < T; t++) {
                double[] dy = ps[t].clone();
                dy[targets[t * B + b]] -= 1;
                for (int j = 0; j < V; j++) {
                    dy[j] /= B;
                }
                outerAdd(g.Why, dy, hs[L - 1][t + 1]);
                addTo(g.by, dy);
                dhIn[t] = matvecT(p.Why, dy);
            }
            for (int l = L - 1; l >= 0; l--) {
                double[][] dBelow = new double[T][];
                double[] dhnext = new double[H];
                double[] dcnext = new double[H];
                for (int t = T - 1; t >= 0; t--) {
                    double[] dh = add(dhIn[t], dhnext);
                    double[] gate = gs[l][t];
                    double[] hPrev = hs[l][t];
                    double[] da = new double[cell.gates() * H];   // ∂J/∂(Wxh·in + bh)
                    double[] du = new double[cell.gates() * H];   // ∂J/∂(Whh·h_{t-1})
                    double[] direct = new double[H];              // the GRU's z⊙dh path to h_{t-1}
                    for (int i = 0; i < H; i++) {
                        switch (cell) {
                            case RNN -> {
                                double h = hs[l][t + 1][i];
                                da[i] = (1 - h * h) * dh[i];
                                du[i] = da[i];
                            }
                            case GRU -> {
                                double z = gate[i];
                                double r = gate[H + i];
                                double n = gate[2 * H + i];
                                double dnPre = dh[i] * (1 - z) * (1 - n * n);
                                double dzPre = dh[i] * (hPrev[i] - n) * z * (1 - z);
                                double drPre = dnPre * us[l][t][2 * H + i] * r * (1 - r);
                                da[i] = dzPre;
                                da[H + i] = drPre;
                                da[2 * H + i] = dnPre;
                                du[i] = dzPre;
                                du[H + i] = drPre;
                                du[2 * H + i] = dnPre * r;
                                direct[i] = z * dh[i];
                            }
                            case LSTM -> {
                                double ig = gate[i];
                                double fg = gate[H + i];
                                double gg = gate[2 * H + i];
                                double og = gate[3 * H + i];
                                double tc = Math.tanh(cs[l][t + 1][i]);
                                double dc = dh[i] * og * (1 - tc * tc) + dcnext[i];
                                da[i] = dc * gg * ig * (1 - ig);
                                da[H + i] = dc * cs[l][t][i] * fg * (1 - fg);
                                da[2 * H + i] = dc * ig * (1 - gg * gg);
                                da[3 * H + i] = dh[i] * tc * og * (1 - og);
                                dcnext[i] = dc * fg;
                            }
                        }
                    }
                    if (cell == Cell.LSTM) {
                        du = da;
                    }
                    addTo(g.bh[l], da);
                    outerAdd(g.Wxh[l], da, in[l][t]);
                    outerAdd(g.Whh[l], du, hPrev);
                    dhnext = add(matvecT(p.Whh[l], du), direct);
                    if (l > 0) {
                        double[] d = matvecT(p.Wxh[l], da);
                        for (int j = 0; j < H; j++) {
                            d[j] *= masks == null ? 1 : masks[l].get(t * B + b, j);
                        }
                        dBelow[t] = d;
                    }
                }
                dhIn = dBelow;
            }
        }
        return new Result(loss / (T * B), g, hLast);
    }

    static double[] column(DMatrixRMaj v) {
        return v.data.clone();
    }

    static double[] matvec(DMatrixRMaj m, double[] v) {
        double[] r = new double[m.numRows];
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                r[i] += m.get(i, j) * v[j];
            }
        }
        return r;
    }

    static double[] matvecT(DMatrixRMaj m, double[] v) {
        double[] r = new double[m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                r[j] += m.get(i, j) * v[i];
            }
        }
        return r;
    }

    static double[] add(double[] a, double[] b) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += b[i];
        }
        return r;
    }

    static void addTo(DMatrixRMaj column, double[] v) {
        for (int i = 0; i < v.length; i++) {
            column.data[i] += v[i];
        }
    }

    static void outerAdd(DMatrixRMaj m, double[] u, double[] v) {
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < v.length; j++) {
                m.set(i, j, m.get(i, j) + u[i] * v[j]);
            }
        }
    }
}
