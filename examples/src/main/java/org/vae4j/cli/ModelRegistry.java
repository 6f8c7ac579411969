package org.vae4j.cli;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelProvider;
import org.vae4j.tensor.Backend;

/**
 * The model types the program can build, by name. Bound by {@link ModelRegistryModule} to the
 * {@link org.vae4j.model.Models} service-loader registry; a test or an embedding program can bind
 * another.
 */
public interface ModelRegistry {

    /** Every registered model type, sorted by name. */
    List<ModelProvider> list();

    /** The provider called {@code name}; an unknown name is an error listing the known ones. */
    ModelProvider provider(String name);

    /** A new model with parameters initialised from {@code seed}; unknown settings are errors. */
    Model create(String name, ModelConfig config, Backend backend, long seed);
}
