package org.vae4j.examples.sparse;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/** {@code sparse-ae}: registers {@link SparseAutoencoder} with the model registry. */
public final class SparseAutoencoderProvider implements ModelProvider {

    static final String NAME = "sparse-ae";

    private static final List<ModelOption> OPTIONS = List.of(
            new ModelOption("input", 784, "width of one input row"),
            new ModelOption("hidden", List.of(256), "hidden layer sizes of the encoder (the decoder mirrors them)"),
            new ModelOption("latent", 64, "number of code units"),
            new ModelOption("sparsity", 0.01, "λ, the weight of the L1 penalty on the code's activations"));

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
        int input = positive(config, "input", config.getInt("input", 784));
        int[] hidden = config.getInts("hidden", 256);
        for (int h : hidden) {
            positive(config, "hidden", h);
        }
        int latent = positive(config, "latent", config.getInt("latent", 64));
        double sparsity = config.getDouble("sparsity", 0.01);
        if (!(sparsity >= 0) || Double.isInfinite(sparsity)) {
            throw new IllegalArgumentException(NAME + ": setting 'sparsity' must be a finite"
                    + " number >= 0, got " + sparsity);
        }
        return new SparseAutoencoder(config, backend, input, hidden, latent, sparsity, rng);
    }

    private static int positive(ModelConfig config, String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(NAME + ": setting '" + name
                    + "' must be positive, got " + value);
        }
        return value;
    }
}
