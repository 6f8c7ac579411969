package org.vae4j.models;

import static org.vae4j.models.Options.ACTIVATION;
import static org.vae4j.models.Options.HIDDEN;
import static org.vae4j.models.Options.INPUT;

import java.util.Arrays;
import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code aae}: the {@link AdversarialAutoencoder} (Makhzani et al., 2016), the VAE's encoder and
 * decoder with a discriminator on z instead of the KL; the settings are the VAE's, a latent of
 * 8 (the paper's MNIST prior) and the discriminator's widths and learning rates.
 */
public final class AaeProvider extends BuiltInProvider {

    /** The latent width; 8 by default, as the paper's Gaussian prior on MNIST. */
    public static final ModelOption LATENT = ModelOption.integer("latent", 8,
            "width of the latent z (the encoder outputs twice this: mean and log-variance)")
            .between(1, Options.MAX_WIDTH).withFlag("--latent");
    /** The discriminator's hidden widths. */
    public static final ModelOption DISC_HIDDEN = ModelOption.integers("disc-hidden",
            List.of(512, 512), "hidden layer widths of the discriminator MLP on z, at least one"
                    + " (it ends in one logit: prior draw or code)")
            .between(1, Options.MAX_WIDTH).withFlag("--disc-hidden");
    /** The discriminator's learning rate. */
    public static final ModelOption DISC_LR = ModelOption.number("disc-lr", 1e-3,
            "base learning rate of the discriminator's optimizer, > 0, or 'run' for the run's"
                    + " --lr").above(0).withWords("run").withDefault("run")
            .withFlag("--disc-lr");
    /** The generator phase's learning rate. */
    public static final ModelOption GEN_LR = ModelOption.number("gen-lr", 1e-3,
            "base learning rate of the generator phase's optimizer (the encoder fooling the"
                    + " discriminator), > 0, or 'run' for the run's --lr").above(0)
            .withWords("run").withDefault("run").withFlag("--gen-lr");

    /** The settings of {@code aae}, in the order {@code vae4j models aae} lists them. */
    public static final List<ModelOption> OPTIONS = extend(VaeProvider.OPTIONS.stream()
            .map(o -> o == Options.VAE_LATENT ? LATENT : o).toList(),
            DISC_HIDDEN, DISC_LR, GEN_LR);

    public AaeProvider() {
        super("aae", "adversarial autoencoder: reconstruction, and a discriminator on z that the"
                + " encoder learns to fool into taking codes for N(0, I) draws", OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        int[] disc = s.layerSizes(DISC_HIDDEN);
        if (disc.length == 0) {
            throw new IllegalArgumentException(s.model() + ": setting 'disc-hidden' must list"
                    + " the discriminator's hidden widths, at least one in [1, "
                    + Options.MAX_WIDTH + "] (e.g. 512,512), got " + Arrays.toString(disc));
        }
        Architecture arch = Architecture.of(s, s.positiveInt(INPUT), s.layerSizes(HIDDEN));
        return new AdversarialAutoencoder(s.model(), s.config(), backend, arch,
                s.positiveInt(LATENT), s.activation(ACTIVATION),
                VaeProvider.likelihood(s, backend), disc, rate(s, DISC_LR), rate(s, GEN_LR),
                rng);
    }

    /** The group's own learning rate, or null for the run's. */
    private static Double rate(Settings s, ModelOption o) {
        return s.string(o).equalsIgnoreCase("run") ? null : s.positive(o);
    }
}
