package org.vae4j.consistency;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.data.Mnist;
import org.vae4j.data.MnistFile;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * The one batch every backend trains on, held on the host: real MNIST test images when the cache
 * has them (never fetched here, so the tests need no network), else deterministic synthetic values
 * in [0, 1] with labels, which exercise the same code paths.
 */
record ConsistencyBatch(String source, float[] x, int rows, int width, int[] labels) {

    static final int WIDTH = 784;
    static final int CLASSES = 10;

    /** {@code rows} examples starting at test image {@code first}, or synthetic ones. */
    static ConsistencyBatch load(int first, int rows) {
        Mnist mnist = Mnist.atDefaultLocation().withSources(List.of());
        if (mnist.missing(EnumSet.of(MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS)).isEmpty()) {
            try {
                Dataset test = mnist.load(Mnist.Split.TEST).subset(first, first + rows);
                return new ConsistencyBatch("MNIST test images " + first + ".." + (first + rows - 1),
                        test.rows(0, rows), rows, WIDTH, test.labels());
            } catch (IOException e) {
                // a damaged cache is the data tests' concern; fall back to synthetic values
            }
        }
        return synthetic(first, rows);
    }

    /** Values uniform in [0, 1], about a third of them zero as MNIST's background, and labels. */
    static ConsistencyBatch synthetic(long seed, int rows) {
        Rng rng = new Rng(seed);
        float[] x = new float[rows * WIDTH];
        for (int i = 0; i < x.length; i++) {
            float u = rng.nextFloat();
            x[i] = u < 1 / 3f ? 0f : rng.nextFloat();
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = rng.nextInt(CLASSES);
        }
        return new ConsistencyBatch("synthetic (seed " + seed + ")", x, rows, WIDTH, labels);
    }

    ConsistencyBatch {
        if (x.length != rows * width || labels.length != rows) {
            throw new IllegalArgumentException("batch of " + rows + " x " + width + " needs "
                    + rows * width + " values and " + rows + " labels, got " + x.length + " and "
                    + labels.length);
        }
    }

    /** The batch uploaded to {@code backend}, in the scope open on this thread. */
    Batch on(Backend backend) {
        return new Batch(backend.fromArray(x, rows, width), labels.clone());
    }
}
