package charrnn.train;

import charrnn.model.Rng;

/**
 * A second-order Markov source over a small alphabet: the next symbol depends on the two
 * before it. Its entropy rate is computed exactly from the stationary distribution of the
 * pair chain, so a model trained on its text has a known best possible loss.
 */
final class MarkovSource {
    final int V;
    private final double[][] next;   // V²×V: P(c | a, b) at row a·V + b

    MarkovSource(int V, double peakedness, long seed) {
        this.V = V;
        Rng rng = new Rng(seed);
        next = new double[V * V][V];
        for (double[] row : next) {
            double sum = 0;
            for (int c = 0; c < V; c++) {
                row[c] = Math.exp(peakedness * rng.nextGaussian());
                sum += row[c];
            }
            for (int c = 0; c < V; c++) {
                row[c] /= sum;
            }
        }
    }

    /** The entropy rate in nats per symbol: Σ π(a,b) · H(P(· | a,b)). */
    double entropyRate() {
        double[] pi = stationary();
        double h = 0;
        for (int ab = 0; ab < V * V; ab++) {
            for (double p : next[ab]) {
                if (p > 0) {
                    h -= pi[ab] * p * Math.log(p);
                }
            }
        }
        return h;
    }

    /**
     * H(x_{t+1} | x_t): the best loss of a model that remembers only the last symbol, which
     * is above the entropy rate by what the second symbol of context tells.
     */
    double firstOrderEntropy() {
        double[] pi = stationary();
        double[][] joint = new double[V][V];   // P(b, c)
        for (int ab = 0; ab < V * V; ab++) {
            for (int c = 0; c < V; c++) {
                joint[ab % V][c] += pi[ab] * next[ab][c];
            }
        }
        double h = 0;
        for (int b = 0; b < V; b++) {
            double pb = 0;
            for (double p : joint[b]) {
                pb += p;
            }
            for (double p : joint[b]) {
                if (p > 0) {
                    h -= p * Math.log(p / pb);
                }
            }
        }
        return h;
    }

    /** Stationary distribution π(a, b) of the pair chain, by power iteration. */
    private double[] stationary() {
        double[] pi = new double[V * V];
        java.util.Arrays.fill(pi, 1.0 / (V * V));
        for (int iter = 0; iter < 10_000; iter++) {
            double[] nextPi = new double[V * V];
            for (int ab = 0; ab < V * V; ab++) {
                int b = ab % V;
                for (int c = 0; c < V; c++) {
                    nextPi[b * V + c] += pi[ab] * next[ab][c];
                }
            }
            pi = nextPi;
        }
        return pi;
    }

    /** n symbols of the chain as the letters 'a', 'b', ..., from a uniformly drawn start. */
    String generate(int n, Rng rng) {
        StringBuilder sb = new StringBuilder(n);
        int a = (int) (rng.nextDouble() * V);
        int b = (int) (rng.nextDouble() * V);
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            int c = 0;
            double[] row = next[a * V + b];
            while (c < V - 1 && (u -= row[c]) >= 0) {
                c++;
            }
            sb.append((char) ('a' + c));
            a = b;
            b = c;
        }
        return sb.toString();
    }
}
