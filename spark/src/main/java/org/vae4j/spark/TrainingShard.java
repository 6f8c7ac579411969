package org.vae4j.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The training rows of one partition, held in the executors' cache for the whole run: the
 * examples {@code indices} (ascending; example {@code i} is row {@code i} of the DataFrame in
 * its order) with their features and, for a conditional model, their labels.
 */
final class TrainingShard implements Serializable {
    private static final long serialVersionUID = 2L;

    final int partition;
    final int width;
    final int[] indices;
    final float[] rows;
    final int[] labels;

    TrainingShard(int partition, int width, int[] indices, float[] rows, int[] labels) {
        this.partition = partition;
        this.width = width;
        this.indices = indices;
        this.rows = rows;
        this.labels = labels;
    }

    /**
     * The positions in {@code batch} (example indices, in batch order) of the examples this
     * shard holds, ascending: the shard's part of the batch keeps the batch's order.
     */
    int[] positionsIn(int[] batch) {
        int[] out = new int[Math.min(batch.length, indices.length)];
        int n = 0;
        for (int i = 0; i < batch.length; i++) {
            if (Arrays.binarySearch(indices, batch[i]) >= 0) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The features of the examples at {@code positions} of {@code batch}, in that order. */
    float[] features(int[] batch, int[] positions) {
        float[] x = new float[positions.length * width];
        for (int i = 0; i < positions.length; i++) {
            int local = Arrays.binarySearch(indices, batch[positions[i]]);
            System.arraycopy(rows, local * width, x, i * width, width);
        }
        return x;
    }

    /** Their labels, or null for unlabelled data. */
    int[] labels(int[] batch, int[] positions) {
        if (labels == null) {
            return null;
        }
        int[] y = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            y[i] = labels[Arrays.binarySearch(indices, batch[positions[i]])];
        }
        return y;
    }
}
