package org.vae4j.model;

import org.vae4j.data.Batch;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Tensor;

/** A latent-variable model that can estimate the log-likelihood of data. */
public interface LikelihoodEstimator {

    /**
     * The importance-weighted estimate of {@code log p(x)} for each example (Burda et al.):
     * {@code log (1/K) Σ_k p(x, z_k) / q(z_k | x)} with {@code z_k ~ q(z | x)}; a vector of
     * {@code n} values in nats. No gradient is recorded.
     */
    Tensor logLikelihood(Batch batch, int samples, Rng rng);
}
