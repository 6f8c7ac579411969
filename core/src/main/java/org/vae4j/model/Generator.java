package org.vae4j.model;

import org.vae4j.random.Rng;
import org.vae4j.tensor.Tensor;

/** A generative model: it draws new examples from its prior. */
public interface Generator {

    /**
     * {@code n} new examples in data space (means, e.g. pixel probabilities). A conditional model
     * needs {@code labels} (one per example); an unconditional one takes null.
     */
    Tensor sample(int n, int[] labels, Rng rng);

    /** The number of classes a conditional model takes labels from; 0 when unconditional. */
    default int numClasses() {
        return 0;
    }
}
