package org.vae4j.model;

import org.vae4j.data.Batch;
import org.vae4j.tensor.Tensor;

/** A model that reconstructs its input. */
public interface Reconstructor {

    /** The reconstruction of each example in data space, deterministic, no gradient recorded. */
    Tensor reconstruct(Batch batch);
}
