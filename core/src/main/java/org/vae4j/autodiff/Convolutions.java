package org.vae4j.autodiff;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ConvComposites;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * Where autodiff's convolution and pooling ops get their values: one place, so that the forward
 * ops and the gradient rules dispatch alike. Today every backend runs the composites of
 * {@link ConvComposites}, with the shapes checked by {@link ConvSpec} and {@link PoolSpec}.
 */
final class Convolutions {

    private Convolutions() {
    }

    static Tensor conv2d(Backend be, Tensor x, Tensor w, ConvSpec s) {
        return ConvComposites.conv2d(be, x, w, s);
    }

    static Tensor convTranspose2d(Backend be, Tensor x, Tensor w, ConvSpec s, Shape out) {
        return ConvComposites.conv2dBackwardInput(be, x, w, s, out);
    }

    static Tensor conv2dBackwardInput(Backend be, Tensor g, Tensor w, ConvSpec s, Shape xShape) {
        s.checkGradient("conv2dBackwardInput", xShape, w.shape(), g.shape());
        return ConvComposites.conv2dBackwardInput(be, g, w, s, xShape);
    }

    static Tensor conv2dBackwardFilter(Backend be, Tensor x, Tensor g, ConvSpec s, Shape wShape) {
        s.checkGradient("conv2dBackwardFilter", x.shape(), wShape, g.shape());
        return ConvComposites.conv2dBackwardFilter(be, x, g, s, wShape);
    }

    static Tensor maxPool2d(Backend be, Tensor x, PoolSpec p) {
        return ConvComposites.maxPool2d(be, x, p);
    }

    static Tensor maxPool2dBackward(Backend be, Tensor x, Tensor g, PoolSpec p) {
        p.checkGradient("maxPool2dBackward", x.shape(), g.shape());
        return ConvComposites.maxPool2dBackward(be, x, g, p);
    }

    static Tensor avgPool2d(Backend be, Tensor x, PoolSpec p) {
        return ConvComposites.avgPool2d(be, x, p);
    }

    static Tensor avgPool2dBackward(Backend be, Tensor g, PoolSpec p, Shape xShape) {
        p.checkGradient("avgPool2dBackward", xShape, g.shape());
        return ConvComposites.avgPool2dBackward(be, g, p, xShape);
    }
}
