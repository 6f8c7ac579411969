package org.vae4j.autodiff;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackwardKernels;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * Where autodiff's convolution and pooling ops get their values: the backend's front door (its
 * convolution family, or the composites where it has none), forward ops and gradient rules
 * alike.
 */
final class Convolutions {

    private Convolutions() {
    }

    static Tensor conv2d(Backend be, Tensor x, Tensor w, ConvSpec s) {
        return be.conv2d(x, w, s);
    }

    static Tensor convTranspose2d(Backend be, Tensor x, Tensor w, ConvSpec s, int outPadH,
            int outPadW) {
        return be.convTranspose2d(x, w, s, outPadH, outPadW);
    }

    static Tensor conv2dBackwardInput(Backend be, Tensor g, Tensor w, ConvSpec s, Shape xShape) {
        return BackwardKernels.conv2dBackwardInput(be, g, w, s, xShape);
    }

    static Tensor conv2dBackwardFilter(Backend be, Tensor x, Tensor g, ConvSpec s, Shape wShape) {
        return BackwardKernels.conv2dBackwardFilter(be, x, g, s, wShape);
    }

    static Tensor maxPool2d(Backend be, Tensor x, PoolSpec p) {
        return be.maxPool2d(x, p);
    }

    static Tensor maxPool2dBackward(Backend be, Tensor x, Tensor g, PoolSpec p) {
        return BackwardKernels.maxPool2dBackward(be, x, g, p);
    }

    static Tensor avgPool2d(Backend be, Tensor x, PoolSpec p) {
        return be.avgPool2d(x, p);
    }

    static Tensor avgPool2dBackward(Backend be, Tensor g, PoolSpec p, Shape xShape) {
        return BackwardKernels.avgPool2dBackward(be, g, p, xShape);
    }
}
