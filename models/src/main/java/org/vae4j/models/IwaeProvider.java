package org.vae4j.models;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code iwae}: the importance-weighted autoencoder (Burda, Grosse and Salakhutdinov, 2016), the
 * {@link VariationalAutoencoder} trained on the K-sample bound
 * {@code log p(x) ≥ E[log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x)]}, {@code z_k ~ q(z|x)}, which is
 * the ELBO for K = 1 and tightens as K grows.
 */
public final class IwaeProvider extends BuiltInProvider {

    /** K, the draws of z per example in the training objective. */
    public static final ModelOption SAMPLES = ModelOption.integer("samples", 5,
            "importance samples K per example in the training bound (1: the ELBO)")
            .between(1, 10_000).withFlag("--samples");

    /** The settings of {@code iwae}, in the order {@code vae4j models iwae} lists them. */
    public static final List<ModelOption> OPTIONS = extend(VaeProvider.OPTIONS, SAMPLES);

    public IwaeProvider() {
        super("iwae", "importance-weighted autoencoder: the VAE trained on the K-sample bound"
                + " -log (1/K) sum_k p(x|z_k)p(z_k)/q(z_k|x)", OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        var variant = new VariationalAutoencoder.Variant(s.positiveInt(SAMPLES), 0, false);
        return VaeProvider.build(s, 0, KlPenalty.standard(), variant, backend, rng);
    }
}
