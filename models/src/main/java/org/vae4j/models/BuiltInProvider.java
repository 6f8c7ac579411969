package org.vae4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * What the built-in model types share: a name, a description and settings fixed at
 * construction, and a configuration read through {@link Settings} (which rejects unknown
 * settings and names the model in every error) before {@link #create(Settings, Backend, Rng)}.
 */
abstract class BuiltInProvider implements ModelProvider {

    private final String name;
    private final String description;
    private final List<ModelOption> options;

    BuiltInProvider(String name, String description, List<ModelOption> options) {
        this.name = name;
        this.description = description;
        this.options = options;
    }

    /** {@code base} followed by {@code more}, as an unmodifiable list. */
    static List<ModelOption> extend(List<ModelOption> base, ModelOption... more) {
        List<ModelOption> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return List.copyOf(all);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<ModelOption> options() {
        return options;
    }

    @Override
    public final Model create(ModelConfig config, Backend backend, Rng rng) {
        // the VAE family's latent default depends on the architecture (16 for conv)
        ModelConfig given = options.contains(Options.VAE_LATENT)
                ? Architecture.withArchitectureDefaults(config, true) : config;
        return create(Settings.of(name, options, given), backend, rng);
    }

    /** The model the checked settings describe. */
    abstract Model create(Settings settings, Backend backend, Rng rng);
}
