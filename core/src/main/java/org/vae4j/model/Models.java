package org.vae4j.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
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
     * A new model of type {@code name}. Settings no option of the type names are an error (a
     * misspelt setting would otherwise be silently ignored).
     */
    public static Model create(String name, ModelConfig config, Backend backend, Rng rng) {
        ModelProvider p = provider(name);
        checkKnownSettings(p, config);
        return p.create(config, backend, rng);
    }

    /** As {@link #create(String, ModelConfig, Backend, Rng)} with {@code new Rng(seed)}. */
    public static Model create(String name, ModelConfig config, Backend backend, long seed) {
        return create(name, config, backend, new Rng(seed));
    }

    static void checkKnownSettings(ModelProvider p, ModelConfig config) {
        Set<String> known = new TreeSet<>();
        p.options().forEach(o -> known.add(o.name()));
        for (String key : config.asMap().keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("model '" + p.name() + "' has no setting '"
                        + key + "'; its settings are: " + String.join(", ", known));
            }
        }
    }
}
