package org.vae4j.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/** The registry of model types found on the class path through {@link ModelProvider}. */
public final class Models {

    private Models() {
    }

    /** Every registered model type, by name. */
    public static List<ModelProvider> list() {
        List<ModelProvider> list = new ArrayList<>();
        ServiceLoader.load(ModelProvider.class).forEach(list::add);
        list.sort(Comparator.comparing(ModelProvider::name));
        return list;
    }

    /** The provider called {@code name}; an unknown name is an error that lists the known ones. */
    public static ModelProvider provider(String name) {
        String key = name == null ? "" : name.trim().toLowerCase();
        return list().stream()
                .filter(p -> p.name().equals(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name
                        + "'; known models: " + list().stream().map(ModelProvider::name)
                        .collect(Collectors.joining(", "))));
    }

    /**
     * A new model of type {@code name}. The settings are checked against the type's options
     * first ({@link ModelOption#check}): a setting no option names (a misspelt setting would
     * otherwise be silently ignored), a value of the wrong type or out of range is an error
     * naming the setting, before any parameter is made.
     */
    public static Model create(String name, ModelConfig config, Backend backend, Rng rng) {
        ModelProvider p = provider(name);
        return p.create(ModelOption.check(p.name(), p.options(), config), backend, rng);
    }

    /** As {@link #create(String, ModelConfig, Backend, Rng)} with {@code new Rng(seed)}. */
    public static Model create(String name, ModelConfig config, Backend backend, long seed) {
        return create(name, config, backend, new Rng(seed));
    }
}
