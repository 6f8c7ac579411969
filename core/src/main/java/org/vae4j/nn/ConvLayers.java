package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Shape;

/** What {@link Conv2d} and {@link ConvTranspose2d} check and do alike. */
final class ConvLayers {

    private ConvLayers() {
    }

    /** Throws unless the channel counts and the kernel size are positive. */
    static void checkSizes(String layer, int in, int out, int kernel) {
        if (in < 1 || out < 1 || kernel < 1) {
            throw new IllegalArgumentException(layer + ": channels and kernel must be positive,"
                    + " got in=" + in + " out=" + out + " kernel=" + kernel);
        }
    }

    /** Throws unless {@code x} is a batch of images with {@code in} channels. */
    static void checkImages(Object layer, Variable x, int in) {
        Shape s = x.shape();
        if (s.rank() != 4 || s.dim(1) != in) {
            throw new IllegalArgumentException(layer + ": expects images (N x " + in
                    + " x H x W), got " + s);
        }
    }

    /** {@code y} plus the per-channel {@code bias}, or {@code y} for a layer without one. */
    static Variable withBias(Variable y, Parameter bias, int out) {
        return bias == null ? y : y.add(bias.reshape(1, out, 1, 1));
    }
}
