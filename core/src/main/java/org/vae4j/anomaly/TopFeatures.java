package org.vae4j.anomaly;

import java.util.Arrays;
import org.vae4j.data.TableSchema;

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

    /**
     * One example's per-feature contributions {@code contributions[offset .. offset + width)}
     * summed per column of {@code schema}: a numeric or binary column's own term, a
     * categorical column's terms summed over its one-hot block; in the schema's column order.
     */
    public static float[] perColumn(float[] contributions, int offset, TableSchema schema) {
        int n = schema.columns().size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int from = offset + schema.offset(i);
            int w = schema.columns().get(i).width();
            double sum = 0;
            for (int j = 0; j < w; j++) {
                sum += contributions[from + j];
            }
            out[i] = (float) sum;
        }
        return out;
    }
}
