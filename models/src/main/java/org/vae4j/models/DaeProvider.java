package org.vae4j.models;

import static org.vae4j.models.Options.NOISE;
import static org.vae4j.models.Options.NOISE_LEVEL;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code dae}: the {@link Autoencoder} with a {@link Corruption} of its input in training,
 * reconstructing the clean input (Vincent et al.).
 */
public final class DaeProvider extends BuiltInProvider {

    /** The settings of {@code dae}, in the order {@code vae4j models dae} lists them. */
    public static final List<ModelOption> OPTIONS =
            extend(AeProvider.OPTIONS, NOISE, NOISE_LEVEL);

    public DaeProvider() {
        super("dae",
                "denoising autoencoder: reconstructs the clean input from a masked or noisy one",
                OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        return AeProvider.build(s, corruption(s), backend, rng);
    }

    private static Corruption corruption(Settings s) {
        return switch (s.choice(NOISE, "mask", "gaussian", "none")) {
            case "mask" -> Corruption.masking(s.inHalfOpenRange(NOISE_LEVEL, 0, 1));
            case "gaussian" -> Corruption.gaussian(s.nonNegative(NOISE_LEVEL));
            default -> Corruption.none();
        };
    }
}
