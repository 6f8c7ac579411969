package org.vae4j.data;

import org.vae4j.random.Rng;

/** Transformations of whole data sets. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Stochastic binarisation: each value {@code p} in [0, 1] becomes 1 with probability
     * {@code p}, else 0 (the usual preparation of MNIST for a Bernoulli likelihood). Labels,
     * image shape and example shape are kept.
     */
    public static Dataset binarize(Dataset dataset, Rng rng) {
        float[] values = dataset.rows(0, dataset.size());
        for (int i = 0; i < values.length; i++) {
            float p = values[i];
            if (!(p >= 0f && p <= 1f)) {
                throw new IllegalArgumentException("binarize: dataset " + dataset.name()
                        + " has value " + p + " at row " + i / dataset.features()
                        + "; expected values in [0, 1]");
            }
            values[i] = rng.nextFloat() < p ? 1f : 0f;
        }
        Dataset out = Dataset.create(dataset.name() + "-binarized", values, dataset.features(),
                dataset.hasLabels() ? dataset.labels() : null, dataset.numClasses());
        if (dataset.hasImageShape()) {
            out = out.withImageShape(dataset.imageChannels(), dataset.imageHeight(),
                    dataset.imageWidth());
        }
        return out.withExampleShape(dataset.exampleShape());
    }
}
