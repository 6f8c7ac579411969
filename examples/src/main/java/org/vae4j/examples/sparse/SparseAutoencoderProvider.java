package org.vae4j.examples.sparse;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.models.Options;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code sparse-ae}: registers {@link SparseAutoencoder} with the model registry. Its width
 * settings are the built-in models' ({@link Options}), with their bounds and flags and its own
 * defaults; only the sparsity weight is its own.
 */
public final class SparseAutoencoderProvider implements ModelProvider {

    static final String NAME = "sparse-ae";

    static final ModelOption HIDDEN = Options.HIDDEN.withDefault(List.of(256));
    static final ModelOption LATENT = Options.AE_LATENT.withDefault(64);
    static final ModelOption SPARSITY = ModelOption.number("sparsity", 0.01,
            "λ, the weight of the L1 penalty on the code's activations").atLeast(0);

    private static final List<ModelOption> OPTIONS =
            List.of(Options.INPUT, HIDDEN, LATENT, SPARSITY);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "sparse autoencoder: L1 penalty on the code's activations (an example model from outside the models module)";
    }

    @Override
    public List<ModelOption> options() {
        return OPTIONS;
    }

    @Override
    public Model create(ModelConfig config, Backend backend, Rng rng) {
        ModelConfig full = ModelOption.resolve(NAME, OPTIONS, config);
        return new SparseAutoencoder(full, backend, full.getInt(Options.INPUT.name(), 0),
                full.getInts(HIDDEN.name()), full.getInt(LATENT.name(), 0),
                full.getDouble(SPARSITY.name(), 0), rng);
    }
}
