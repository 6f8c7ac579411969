package org.vae4j.nn;

import java.util.Arrays;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * Builds a multilayer perceptron as a {@link Sequential} of {@link Linear} layers with an
 * activation after each hidden layer and one after the last:
 *
 * <pre>{@code
 * Sequential encoder = Mlp.builder().setSizes(784, 400, 40).optHidden(Activation.RELU)
 *         .build(backend, rng);     // 0: Linear(784->400), 1: relu, 2: Linear(400->40)
 * }</pre>
 */
public final class Mlp {

    private int[] sizes;
    private Activation hidden = Activation.RELU;
    private Activation output = Activation.IDENTITY;

    private Mlp() {
    }

    public static Mlp builder() {
        return new Mlp();
    }

    /** Required: the layer widths, input first, at least two. */
    public Mlp setSizes(int... sizes) {
        this.sizes = sizes.clone();
        return this;
    }

    /** The activation after each hidden layer; {@link Activation#RELU} by default. */
    public Mlp optHidden(Activation activation) {
        this.hidden = activation;
        return this;
    }

    /** The activation after the last layer; {@link Activation#IDENTITY} by default. */
    public Mlp optOutput(Activation activation) {
        this.output = activation;
        return this;
    }

    /** Creates the layers, drawing their initial weights from {@code rng}. */
    public Sequential build(Backend backend, Rng rng) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("Mlp: sizes must list at least an input and an"
                    + " output width, got " + (sizes == null ? "none" : Arrays.toString(sizes)));
        }
        Sequential net = new Sequential();
        for (int i = 0; i + 1 < sizes.length; i++) {
            net.add(new Linear(backend, sizes[i], sizes[i + 1], rng));
            boolean last = i + 2 == sizes.length;
            Activation act = last ? output : hidden;
            if (act != Activation.IDENTITY) {
                net.add(act);
            }
        }
        return net;
    }
}
