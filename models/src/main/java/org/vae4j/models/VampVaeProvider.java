package org.vae4j.models;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code vamp-vae}: the {@link VariationalAutoencoder} with the VampPrior (Tomczak and Welling,
 * 2018), {@code p(z) = (1/N) Σ_n q(z | u_n)} over N learned pseudo-inputs of the input's shape
 * (see {@link VampPrior}). With a Bernoulli likelihood the pseudo-inputs pass through a sigmoid,
 * so they stay in [0, 1] like the data.
 */
public final class VampVaeProvider extends BuiltInProvider {

    /** N, the pseudo-inputs of the prior. */
    public static final ModelOption PSEUDO_INPUTS = ModelOption.integer("pseudo-inputs", 500,
            "learned pseudo-inputs N: the prior is the mean of the encoder's posteriors at them")
            .between(1, Options.MAX_WIDTH).withFlag("--pseudo-inputs");

    /** The settings of {@code vamp-vae}, in the order {@code vae4j models vamp-vae} lists them. */
    public static final List<ModelOption> OPTIONS = extend(VaeProvider.OPTIONS, PSEUDO_INPUTS);

    public VampVaeProvider() {
        super("vamp-vae", "VAE with the VampPrior: a mixture of the posteriors at N learned"
                + " pseudo-inputs", OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        var variant = new VariationalAutoencoder.Variant(0, s.positiveInt(PSEUDO_INPUTS),
                VaeProvider.bernoulli(s));
        return VaeProvider.build(s, 0, KlPenalty.standard(), variant, backend, rng);
    }
}
