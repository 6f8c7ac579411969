package org.vae4j.data;

import java.util.Arrays;
import org.vae4j.random.Rng;

/**
 * A seeded train/test split of {@code n} rows: a permutation from the framework's {@link Rng}
 * picks {@code round(fraction·n)} test rows, so the same seed and fraction give the same split on
 * every run, resume and evaluation, on every machine ({@code max(1, round(fraction·n))} test
 * rows). Both sides keep file order (the loader shuffles), and neither may be empty.
 *
 * @param train the training rows' indices, ascending
 * @param test the test rows' indices, ascending
 * @param fraction the test fraction asked for
 * @param seed the seed the permutation was drawn with
 */
public record Split(int[] train, int[] test, double fraction, long seed) {

    /** The default test fraction: one row in ten. */
    public static final double DEFAULT_FRACTION = 0.1;

    /** The default split seed, independent of the training seed so runs compare on one split. */
    public static final long DEFAULT_SEED = 0;

    /**
     * Splits {@code n} rows of the data set {@code what}; a fraction outside (0, 1) or one that
     * leaves a side empty is an error naming both counts.
     */
    public static Split of(String what, int n, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(what + ": the test fraction must be between 0 and"
                    + " 1 (exclusive), got " + fraction);
        }
        // at least one test row, so that a small set still has a test side
        int testRows = (int) Math.max(1, Math.round(fraction * n));
        if (testRows == 0 || testRows == n) {
            throw new IllegalArgumentException(what + ": " + n + " row" + (n == 1 ? "" : "s")
                    + " cannot be split with test fraction " + fraction + " (it leaves "
                    + (n - testRows) + " to train on and " + testRows + " to test on); expected"
                    + " at least one row on each side: give more data, another --test-fraction"
                    + " or --test-data");
        }
        int[] order = new Rng(seed).permutation(n);
        int[] test = Arrays.copyOfRange(order, 0, testRows);
        int[] train = Arrays.copyOfRange(order, testRows, n);
        Arrays.sort(test);
        Arrays.sort(train);
        return new Split(train, test, fraction, seed);
    }

    /** The training rows of {@code data}. */
    public Dataset trainOf(Dataset data) {
        return data.select(train);
    }

    /** The test rows of {@code data}. */
    public Dataset testOf(Dataset data) {
        return data.select(test);
    }

    /** {@code indices} mapped through {@code rows}: the split of a subset of a file's rows. */
    public static int[] through(int[] rows, int[] indices) {
        int[] r = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            r[i] = rows[indices[i]];
        }
        return r;
    }
}
