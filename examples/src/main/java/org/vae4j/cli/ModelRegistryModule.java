package org.vae4j.cli;

import com.google.inject.AbstractModule;
import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelProvider;
import org.vae4j.model.Models;
import org.vae4j.tensor.Backend;

/** Binds {@link ModelRegistry} to the model types found on the class path ({@link Models}). */
public final class ModelRegistryModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(ModelRegistry.class).toInstance(new ServiceLoaderRegistry());
    }

    /** The registry of {@link Models}: every {@link ModelProvider} on the class path. */
    static final class ServiceLoaderRegistry implements ModelRegistry {
        @Override
        public List<ModelProvider> list() {
            return Models.list();
        }

        @Override
        public ModelProvider provider(String name) {
            return Models.provider(name);
        }

        @Override
        public Model create(String name, ModelConfig config, Backend backend, long seed) {
            return Models.create(name, config, backend, seed);
        }
    }
}
