package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.Shape;

/**
 * PixelCNN's masked convolution (van den Oord et al., 2016): a stride-1 "same" convolution
 * whose {@code k x k} weight is multiplied by a constant mask, so that the output at a position
 * sees only the positions before it in raster order (rows top to bottom, each left to right).
 * Type {@link Type#A} (the first layer) also hides the centre, type {@link Type#B} (the layers
 * after) lets it through: stacked, the output at position i depends only on inputs before i. The
 * kernel size must be odd. Initialised as {@link Conv2d} (weight then bias, from {@link Rng}); the
 * mask is the buffer {@code mask}.
 */
public final class MaskedConv2d extends Module implements Layer {

    /** Whether the centre position is hidden (A) or seen (B). */
    public enum Type { A, B }

    private final int in;
    private final int out;
    private final int kernel;
    private final Type type;
    private final ConvSpec spec;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter mask;

    public MaskedConv2d(Backend backend, Type type, int in, int out, int kernel, Rng rng) {
        ConvLayers.checkSizes("MaskedConv2d", in, out, kernel);
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("MaskedConv2d: the kernel must be odd so that it"
                    + " has a centre, got " + kernel);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.type = type;
        this.spec = ConvSpec.of(1, kernel / 2);
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        this.weight = addParameter("weight",
                rng.uniform(backend, Shape.of(out, in, kernel, kernel), -bound, bound));
        this.bias = addParameter("bias", rng.uniform(backend, Shape.of(out), -bound, bound));
        this.mask = addBuffer("mask", backend.fromArray(mask(type, in, out, kernel), out, in,
                kernel, kernel));
    }

    /** The {@code (out x in x k x k)} mask: 1 before the centre in raster order, 0 after. */
    static float[] mask(Type type, int in, int out, int kernel) {
        int c = kernel / 2;
        float[] m = new float[out * in * kernel * kernel];
        for (int o = 0; o < out * in; o++) {
            for (int r = 0; r < kernel; r++) {
                for (int s = 0; s < kernel; s++) {
                    boolean before = r < c || r == c && s < c;
                    boolean centre = r == c && s == c;
                    if (before || centre && type == Type.B) {
                        m[(o * kernel + r) * kernel + s] = 1f;
                    }
                }
            }
        }
        return m;
    }

    @Override
    public Variable forward(Variable x) {
        ConvLayers.checkImages(this, x, in);
        return ConvLayers.withBias(x.conv2d(weight.mul(mask), spec), bias, out);
    }

    /** The {@code (out x in x k x k)} weight, before masking. */
    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "MaskedConv2d(" + type + ", " + in + " -> " + out + ", k" + kernel + ")";
    }
}
