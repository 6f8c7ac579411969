package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.Shape;

/**
 * A 2-D transposed convolution layer, PyTorch's {@code nn.ConvTranspose2d}: the upsampling
 * counterpart of {@link Conv2d} (with stride 2, padding 1 and a 4x4 kernel it doubles the
 * height and width). Weight {@code (in x out x kH x kW)}, bias {@code (out)}, initialised as
 * PyTorch does (uniform in {@code ±1/sqrt(out·kH·kW)}, weight first).
 */
public final class ConvTranspose2d extends Module implements Layer {

    private final int in;
    private final int out;
    private final int kernel;
    private final ConvSpec spec;
    private final int outputPadH;
    private final int outputPadW;
    private final Parameter weight;
    private final Parameter bias;

    public ConvTranspose2d(Backend backend, int in, int out, int kernel, ConvSpec spec, Rng rng) {
        this(backend, in, out, kernel, spec, 0, 0, true, rng);
    }

    /**
     * With {@code outputPadH} extra rows at the bottom and {@code outputPadW} extra columns at the
     * right (each below the stride), choosing among the output sizes a strided convolution maps
     * to the same input size.
     */
    public ConvTranspose2d(Backend backend, int in, int out, int kernel, ConvSpec spec,
            int outputPadH, int outputPadW, Rng rng) {
        this(backend, in, out, kernel, spec, outputPadH, outputPadW, true, rng);
    }

    /** As above, without a bias when {@code bias} is false (before a normalisation). */
    public ConvTranspose2d(Backend backend, int in, int out, int kernel, ConvSpec spec,
            int outputPadH, int outputPadW, boolean bias, Rng rng) {
        ConvLayers.checkSizes("ConvTranspose2d", in, out, kernel);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.spec = spec;
        this.outputPadH = outputPadH;
        this.outputPadW = outputPadW;
        double bound = 1.0 / Math.sqrt((double) out * kernel * kernel);
        this.weight = addParameter("weight",
                rng.uniform(backend, Shape.of(in, out, kernel, kernel), -bound, bound));
        this.bias = bias ? addParameter("bias", rng.uniform(backend, Shape.of(out), -bound,
                bound)) : null;
    }

    @Override
    public Variable forward(Variable x) {
        ConvLayers.checkImages(this, x, in);
        return ConvLayers.withBias(x.convTranspose2d(weight, spec, outputPadH, outputPadW), bias,
                out);
    }

    /** The {@code (in x out x kH x kW)} weight. */
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

    /** The extra output rows at the bottom and columns at the right: {@code {rows, columns}}. */
    public int[] outputPadding() {
        return new int[] {outputPadH, outputPadW};
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + in + " -> " + out + ", k" + kernel + ", " + spec + ")";
    }
}
