package org.vae4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vae4j.autodiff.Variable;

/**
 * Layers applied in order. As in PyTorch's {@code nn.Sequential}, a module at position {@code i}
 * is registered under the name {@code i}, so its parameters are {@code 0.weight},
 * {@code 2.bias}, ... (activations take a position but have no parameters).
 */
public final class Sequential extends Module implements Layer {

    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        for (Layer l : layers) {
            add(l);
        }
    }

    /** Appends a layer; a {@link Module} is registered as a child named by its position. */
    public Sequential add(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("Sequential: layer " + layers.size() + " is null");
        }
        if (layer instanceof Module m) {
            addModule(Integer.toString(layers.size()), m);
        }
        layers.add(layer);
        return this;
    }

    /**
     * Applies the layers in order. Where a layer offers a fused form with its successor
     * ({@link Layer#fuseWith}, e.g. a {@link Linear} followed by {@link Activation#RELU}), the
     * pair runs as that one layer: the same values, fewer kernels and a cheaper backward pass.
     */
    @Override
    public Variable forward(Variable x) {
        Variable h = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Layer fused = i + 1 < layers.size() ? l.fuseWith(layers.get(i + 1)) : null;
            if (fused != null) {
                h = fused.forward(h);
                i++;
            } else {
                h = l.forward(h);
            }
        }
        return h;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public int size() {
        return layers.size();
    }
}
