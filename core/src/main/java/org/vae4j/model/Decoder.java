package org.vae4j.model;

import org.vae4j.tensor.Tensor;

/** A model that maps latent codes back to data space. */
public interface Decoder {

    /**
     * The decoded mean in data space (probabilities for a Bernoulli likelihood) for each row of
     * {@code z}; {@code labels} condition a conditional model and are ignored (may be null)
     * otherwise. No gradient is recorded.
     */
    Tensor decode(Tensor z, int[] labels);
}
