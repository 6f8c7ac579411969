package org.vae4j.models;

import static org.vae4j.models.Options.ACTIVATION;
import static org.vae4j.models.Options.ARCH;
import static org.vae4j.models.Options.CHANNELS;
import static org.vae4j.models.Options.HIDDEN;
import static org.vae4j.models.Options.IMAGE;
import static org.vae4j.models.Options.INPUT;
import static org.vae4j.models.Options.KERNEL;
import static org.vae4j.models.Options.NORM;
import static org.vae4j.models.Options.LIKELIHOOD;
import static org.vae4j.models.Options.VAE_LATENT;
import static org.vae4j.models.Options.VARIANCE;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code vae}: the {@link VariationalAutoencoder}; the defaults are the classic MNIST setup
 * (784-400-20-400-784, ReLU, Bernoulli likelihood).
 */
public final class VaeProvider extends BuiltInProvider {

    /** The settings of {@code vae}, in the order {@code vae4j models vae} lists them. */
    public static final List<ModelOption> OPTIONS =
            List.of(INPUT, HIDDEN, ARCH, IMAGE, CHANNELS, KERNEL, NORM, VAE_LATENT, ACTIVATION,
                    LIKELIHOOD, VARIANCE, Options.TABLE_COLUMNS, PosteriorFlow.FLOW,
                    PosteriorFlow.FLOW_LENGTH, PosteriorFlow.IAF_HIDDEN, PosteriorFlow.IAF_CONTEXT);

    public VaeProvider() {
        super("vae",
                "variational autoencoder: Gaussian posterior, reparameterisation, negative ELBO",
                OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        return build(s, 0, KlPenalty.standard(), backend, rng);
    }

    /** The VAE the common settings describe, conditioned on {@code classes} labels if > 0. */
    static VariationalAutoencoder build(Settings s, int classes, KlPenalty klPenalty,
            Backend backend, Rng rng) {
        return build(s, classes, klPenalty, MmdPenalty.none(),
                VariationalAutoencoder.Variant.PLAIN, backend, rng);
    }

    /** The VAE the common settings describe, with an MMD term in its objective. */
    static VariationalAutoencoder build(Settings s, int classes, KlPenalty klPenalty,
            MmdPenalty mmdPenalty, Backend backend, Rng rng) {
        return build(s, classes, klPenalty, mmdPenalty, VariationalAutoencoder.Variant.PLAIN,
                backend, rng);
    }

    /** As above, with an importance-weighted objective or a VampPrior ({@code variant}). */
    static VariationalAutoencoder build(Settings s, int classes, KlPenalty klPenalty,
            VariationalAutoencoder.Variant variant, Backend backend, Rng rng) {
        return build(s, classes, klPenalty, MmdPenalty.none(), variant, backend, rng);
    }

    private static VariationalAutoencoder build(Settings s, int classes, KlPenalty klPenalty,
            MmdPenalty mmdPenalty, VariationalAutoencoder.Variant variant, Backend backend,
            Rng rng) {
        Architecture arch = Architecture.of(s, s.positiveInt(INPUT), s.layerSizes(HIDDEN));
        int latent = s.positiveInt(VAE_LATENT);
        var activation = s.activation(ACTIVATION);
        Likelihood likelihood = likelihood(s, backend);
        PosteriorFlow.Spec flow = PosteriorFlow.Spec.of(s);
        return new VariationalAutoencoder(s.model(), s.config(), backend, arch, latent, classes,
                activation, likelihood, klPenalty, mmdPenalty, variant, flow, rng);
    }

    /** Whether the settings choose the Bernoulli likelihood (data in [0, 1]). */
    static boolean bernoulli(Settings s) {
        return s.choice(LIKELIHOOD, "bernoulli", "gaussian", "table").equals("bernoulli");
    }

    /** The likelihood {@code p(x|z)} the settings choose. */
    static Likelihood likelihood(Settings s, Backend backend) {
        String choice = s.choice(LIKELIHOOD, "bernoulli", "gaussian", "table");
        if (choice.equals("bernoulli")) {
            return Likelihood.bernoulli();
        }
        if (choice.equals("table")) {
            Likelihood table = Likelihood.table(backend, s.string(Options.TABLE_COLUMNS));
            int width = ((TableLikelihood) table).width();
            if (width != s.positiveInt(INPUT)) {
                throw new IllegalArgumentException(s.model() + ": table-columns describes rows"
                        + " of " + width + " features, but input is " + s.positiveInt(INPUT));
            }
            return table;
        }
        if (s.string(VARIANCE).equalsIgnoreCase("learned")) {
            return Likelihood.learnedGaussian(backend);
        }
        try {
            return Likelihood.gaussian(s.positive(VARIANCE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(s.model() + ": setting 'variance' must be a"
                    + " positive number or 'learned', got '" + s.string(VARIANCE) + "'", e);
        }
    }
}
