package org.vae4j.cli;

import java.util.Arrays;
import org.vae4j.data.Dataset;

/**
 * The nearest-class-mean check of samples: class means {@code μ_c} fitted on the training
 * examples, and the radius {@code τ} within which 90 % of the real test examples lie from
 * their own class mean, {@code ||x − μ_y(x)|| ≤ τ}. A sample passes when its nearest class mean
 * is within {@code τ}: {@code min_c ||s − μ_c|| ≤ τ}. Real test data passes at least 90 % by
 * construction, so the share of samples that pass reads on that scale.
 */
final class SampleQuality {

    /** The share of real test examples within {@link #radius()} of their own class mean. */
    static final double QUANTILE = 0.9;

    private final double[][] means;
    private final double radius;

    private SampleQuality(double[][] means, double radius) {
        this.means = means;
        this.radius = radius;
    }

    /**
     * The check fitted on {@code train}'s class means and {@code test}'s distances; both must be
     * labelled with the same examples' width.
     */
    static SampleQuality fit(Dataset train, Dataset test) {
        if (!train.hasLabels() || !test.hasLabels()) {
            throw new IllegalArgumentException("the nearest-class-mean check needs labelled"
                    + " training and test data");
        }
        int d = train.features();
        int classes = Math.max(train.numClasses(), test.numClasses());
        double[][] sums = new double[classes][d];
        int[] counts = new int[classes];
        for (int i = 0; i < train.size(); i++) {
            float[] x = train.row(i);
            int c = train.label(i);
            counts[c]++;
            for (int j = 0; j < d; j++) {
                sums[c][j] += x[j];
            }
        }
        int present = 0;
        for (int c = 0; c < classes; c++) {
            present += counts[c] > 0 ? 1 : 0;
        }
        double[][] means = new double[present][];
        int[] index = new int[classes];
        Arrays.fill(index, -1);
        for (int c = 0, k = 0; c < classes; c++) {
            if (counts[c] > 0) {
                for (int j = 0; j < d; j++) {
                    sums[c][j] /= counts[c];
                }
                index[c] = k;
                means[k++] = sums[c];
            }
        }
        double[] own = new double[test.size()];
        int n = 0;
        for (int i = 0; i < test.size(); i++) {
            int c = test.label(i);
            if (c < classes && index[c] >= 0) {
                own[n++] = Math.sqrt(squaredDistance(means[index[c]], test.row(i), 0));
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no test example has a class seen in training");
        }
        double[] sorted = Arrays.copyOf(own, n);
        Arrays.sort(sorted);
        // the smallest distance within which at least QUANTILE of the test examples lie
        double radius = sorted[(int) Math.ceil(QUANTILE * n) - 1];
        return new SampleQuality(means, radius);
    }

    /** {@code τ}: the distance within which 90 % of the test examples are to their class mean. */
    double radius() {
        return radius;
    }

    /**
     * The check of some samples: the share that pass, and the number of classes whose mean is
     * the nearest of at least one passing sample (how many digits the samples cover).
     */
    record Result(double passRate, int classesCovered) {
    }

    /** The check of the rows of {@code samples} (flat, {@code width} values each). */
    Result check(float[] samples, int width) {
        int n = samples.length / width;
        int pass = 0;
        boolean[] covered = new boolean[means.length];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            int nearest = -1;
            for (int c = 0; c < means.length; c++) {
                double d = squaredDistance(means[c], samples, i * width);
                if (d < best) {
                    best = d;
                    nearest = c;
                }
            }
            if (Math.sqrt(best) <= radius) {
                pass++;
                covered[nearest] = true;
            }
        }
        int classes = 0;
        for (boolean c : covered) {
            classes += c ? 1 : 0;
        }
        return new Result((double) pass / n, classes);
    }

    private static double squaredDistance(double[] mean, float[] x, int offset) {
        double s = 0;
        for (int j = 0; j < mean.length; j++) {
            double e = x[offset + j] - mean[j];
            s += e * e;
        }
        return s;
    }
}
