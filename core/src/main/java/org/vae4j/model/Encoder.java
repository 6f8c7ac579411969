package org.vae4j.model;

import org.vae4j.data.Batch;
import org.vae4j.tensor.Tensor;

/** A model that maps inputs to latent codes. */
public interface Encoder {

    /** The size of one latent code. */
    int latentSize();

    /**
     * The latent code of each example, {@code (n x latentSize)}: the posterior mean for a VAE,
     * the encoder output before quantisation for a VQ-VAE. No gradient is recorded.
     */
    Tensor encode(Batch batch);
}
