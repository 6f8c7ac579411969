package org.vae4j.anomaly;

import java.util.Arrays;

/** The features that contribute most to one example's score, largest first. */
public final class TopFeatures {

    private TopFeatures() {
    }

    /**
     * The indices of the {@code k} largest values of {@code contributions[offset ..
     * offset + width)} (relative to {@code offset}), largest first, ties by the lower index.
     */
    public static int[] of(float[] contributions, int offset, int width, int k) {
        Integer[] idx = new Integer[width];
        for (int j = 0; j < width; j++) {
            idx[j] = j;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Float.compare(contributions[offset + b], contributions[offset + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int m = Math.min(k, width);
        int[] top = new int[m];
        for (int j = 0; j < m; j++) {
            top[j] = idx[j];
        }
        return top;
    }
}
