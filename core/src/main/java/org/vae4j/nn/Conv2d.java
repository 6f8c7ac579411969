package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.Shape;

/**
 * A 2-D convolution layer over {@code (N x in x H x W)} inputs, PyTorch's {@code nn.Conv2d}:
 * weight {@code (out x in x kH x kW)}, bias {@code (out)}, both initialised as PyTorch does
 * (uniform in {@code ±1/sqrt(in·kH·kW)}, weight first), drawn from {@link Rng}.
 */
public final class Conv2d extends Module implements Layer {

    private final int in;
    private final int out;
    private final int kernel;
    private final ConvSpec spec;
    private final Parameter weight;
    private final Parameter bias;

    /** A square {@code kernel x kernel} convolution with the given stride and padding. */
    public Conv2d(Backend backend, int in, int out, int kernel, ConvSpec spec, Rng rng) {
        this(backend, in, out, kernel, spec, true, rng);
    }

    /**
     * As above, without a bias when {@code bias} is false (PyTorch's {@code bias=False}: before a
     * normalisation, which removes it again).
     */
    public Conv2d(Backend backend, int in, int out, int kernel, ConvSpec spec, boolean bias,
            Rng rng) {
        ConvLayers.checkSizes("Conv2d", in, out, kernel);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.spec = spec;
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        this.weight = addParameter("weight",
                rng.uniform(backend, Shape.of(out, in, kernel, kernel), -bound, bound));
        this.bias = bias ? addParameter("bias", rng.uniform(backend, Shape.of(out), -bound,
                bound)) : null;
    }

    @Override
    public Variable forward(Variable x) {
        ConvLayers.checkImages(this, x, in);
        return ConvLayers.withBias(x.conv2d(weight, spec), bias, out);
    }

    /** The {@code (out x in x kH x kW)} weight. */
    public Parameter weight() {
        return weight;
    }

    /** The {@code (out)} bias, or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    public ConvSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + " -> " + out + ", k" + kernel + ", " + spec + ")";
    }
}
