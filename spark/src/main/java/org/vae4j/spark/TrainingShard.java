package org.vae4j.spark;

import java.io.Serializable;

/**
 * The training rows of one partition, held in an executor's cache for the whole run: row
 * {@code i} of the partition is example {@code first + i} of the training set, where {@code
 * first} (the rows of the partitions before it) is known only once every partition is counted,
 * so the driver sends it with each step.
 */
final class TrainingShard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int count;
    final int width;
    final float[] rows;

    TrainingShard(int partition, int count, int width, float[] rows) {
        this.partition = partition;
        this.count = count;
        this.width = width;
        this.rows = rows;
    }

    /**
     * The positions in {@code batch} (example indices, in batch order) of the examples this
     * partition holds, when it starts at example {@code first}.
     */
    int[] positionsIn(int[] batch, long first) {
        int n = 0;
        for (int e : batch) {
            if (e >= first && e < first + count) {
                n++;
            }
        }
        int[] out = new int[n];
        n = 0;
        for (int i = 0; i < batch.length; i++) {
            if (batch[i] >= first && batch[i] < first + count) {
                out[n++] = i;
            }
        }
        return out;
    }

    /** The rows of the examples at {@code positions} of {@code batch}, in that order. */
    float[] gather(int[] batch, int[] positions, long first) {
        float[] x = new float[positions.length * width];
        for (int i = 0; i < positions.length; i++) {
            int local = (int) (batch[positions[i]] - first);
            System.arraycopy(rows, local * width, x, i * width, width);
        }
        return x;
    }
}
