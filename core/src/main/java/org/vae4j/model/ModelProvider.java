package org.vae4j.model;

import java.util.List;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * The service a model type registers in {@code META-INF/services/org.vae4j.model.ModelProvider},
 * so that {@link Models#create} finds third-party models exactly as it finds the built-in ones.
 */
public interface ModelProvider {

    /** The name users select it by, e.g. {@code vq-vae}. Lower case, words joined by '-'. */
    String name();

    /** One line for {@code vae4j models}. */
    String description();

    /** The settings it understands, with defaults. */
    List<ModelOption> options();

    /**
     * A new model with freshly initialised parameters drawn from {@code rng}.
     *
     * @throws IllegalArgumentException naming the setting, when the config does not fit
     */
    Model create(ModelConfig config, Backend backend, Rng rng);
}
