package org.vae4j.models;

import static org.vae4j.models.Options.NOISE;
import static org.vae4j.models.Options.NOISE_LEVEL;

import java.util.ArrayList;
import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code dae}: the {@link Autoencoder} with a {@link Corruption} of its input in training,
 * reconstructing the clean input (Vincent et al.).
 */
public final class DaeProvider implements ModelProvider {

    static final List<ModelOption> OPTIONS;

    static {
        List<ModelOption> o = new ArrayList<>(AeProvider.OPTIONS);
        o.add(NOISE);
        o.add(NOISE_LEVEL);
        OPTIONS = List.copyOf(o);
    }

    @Override
    public String name() {
        return "dae";
    }

    @Override
    public String description() {
        return "denoising autoencoder: reconstructs the clean input from a masked or noisy one";
    }

    @Override
    public List<ModelOption> options() {
        return OPTIONS;
    }

    @Override
    public Model create(ModelConfig config, Backend backend, Rng rng) {
        Settings s = Settings.of(name(), OPTIONS, config);
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
