package org.vae4j.models;

import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * The prior {@code p(z)} of a VAE as its density and its sampler: the standard normal of the
 * plain VAE, or a {@link VampPrior}. A VampPrior depends on the current parameters, so a model
 * builds its prior afresh for each batch.
 */
interface LatentPrior {

    double LOG_2PI = Math.log(2 * Math.PI);

    /** {@code log p(z)} of each row of {@code z (n x latent)}: a vector of n. */
    Variable logDensity(Variable z);

    /** n draws {@code z ~ p(z)}, {@code (n x latent)}, from {@code rng}. */
    Variable sample(int n, Rng rng);

    /** Whether this is {@code N(0, I)}, whose KL to a Gaussian posterior is analytic. */
    boolean isStandardNormal();

    /** {@code N(0, I)} of width {@code latent}. */
    static LatentPrior standardNormal(Backend backend, int latent) {
        return new LatentPrior() {
            @Override
            public Variable logDensity(Variable z) {
                // log N(z; 0, I) = −½ Σ_d (z_d² + log 2π)
                return z.square().add((float) LOG_2PI).sum(false, 1).mul(-0.5f);
            }

            @Override
            public Variable sample(int n, Rng rng) {
                return Variable.constant(rng.normal(backend, Shape.of(n, latent), 0, 1));
            }

            @Override
            public boolean isStandardNormal() {
                return true;
            }
        };
    }
}
