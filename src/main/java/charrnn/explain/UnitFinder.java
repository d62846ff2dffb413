package charrnn.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds, for each {@link Feature} and each layer, the unit whose value follows the feature most
 * closely over the text: the largest |r|, Pearson's correlation between the unit's K values and
 * the feature's.
 */
public final class UnitFinder {
    private UnitFinder() {
    }

    /**
     * A unit that follows a feature.
     *
     * @param layer 0-based
     * @param unit  0-based, within its layer
     * @param r     the correlation, −1 … 1
     */
    public record Found(Feature feature, int layer, int unit, double r) {
    }

    /** The best unit of each layer for each feature that varies in the text, in feature order. */
    public static List<Found> find(Reading reading) {
        final int K = reading.read();
        final int W = reading.width();
        int[] cps = new int[K];
        for (int k = 0; k < K; k++) {
            cps[k] = reading.vocabulary.codePoint(reading.symbol[k]);
        }
        // each unit's mean and centred norm, once
        double[] mean = new double[W];
        double[] norm = new double[W];
        for (int k = 0; k < K; k++) {
            for (int u = 0; u < W; u++) {
                mean[u] += reading.units[k * W + u];
            }
        }
        for (int u = 0; u < W; u++) {
            mean[u] /= K;
        }
        for (int k = 0; k < K; k++) {
            for (int u = 0; u < W; u++) {
                final double d = reading.units[k * W + u] - mean[u];
                norm[u] += d * d;
            }
        }
        List<Found> found = new ArrayList<>();
        double[] dot = new double[W];
        for (Feature feature : Feature.values()) {
            double[] f = feature.values(cps);
            double fMean = 0;
            for (double v : f) {
                fMean += v;
            }
            fMean /= K;
            double fNorm = 0;
            java.util.Arrays.fill(dot, 0);
            for (int k = 0; k < K; k++) {
                final double df = f[k] - fMean;
                fNorm += df * df;
                for (int u = 0; u < W; u++) {
                    dot[u] += df * (reading.units[k * W + u] - mean[u]);
                }
            }
            if (fNorm == 0) {
                continue;       // the same everywhere in this text: nothing to follow
            }
            for (int l = 0; l < reading.L; l++) {
                int best = -1;
                double bestR = 0;
                for (int i = 0; i < reading.H; i++) {
                    final int u = l * reading.H + i;
                    // r = Σ(a − ā)(f − f̄) / √(Σ(a − ā)² Σ(f − f̄)²)
                    final double r = norm[u] == 0 ? 0 : dot[u] / Math.sqrt(norm[u] * fNorm);
                    if (best < 0 || Math.abs(r) > Math.abs(bestR)) {
                        best = i;
                        bestR = r;
                    }
                }
                found.add(new Found(feature, l, best, bestR));
            }
        }
        return found;
    }
}
