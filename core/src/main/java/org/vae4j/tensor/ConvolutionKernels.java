package org.vae4j.tensor;

/**
 * Optional kernel family: 2-D convolution over NCHW activations with OIHW weights, its two
 * gradients, and max and average pooling with theirs. Inputs are non-empty and checked by
 * {@link ConvSpec} and {@link PoolSpec}; each kernel returns a new tensor of the spec's shape.
 * The gradient with respect to the input is also the transposed convolution.
 *
 * <p>Each kernel's default is its definition in {@link ConvComposites} (pad, strided slices and
 * one matrix product), run on the tensors' backend; see {@link LayerKernels} for why.
 */
public interface ConvolutionKernels {

    /** {@code conv2d(x, w)}. */
    default Tensor conv2d(Tensor x, Tensor w, ConvSpec spec) {
        return ConvComposites.conv2d(x.backend(), x, w, spec);
    }

    /** The gradient of {@code conv2d} with respect to an input of shape {@code xShape}. */
    default Tensor conv2dBackwardInput(Tensor g, Tensor w, ConvSpec spec, Shape xShape) {
        return ConvComposites.conv2dBackwardInput(g.backend(), g, w, spec, xShape);
    }

    /** The gradient of {@code conv2d} with respect to a weight of shape {@code wShape}. */
    default Tensor conv2dBackwardFilter(Tensor x, Tensor g, ConvSpec spec, Shape wShape) {
        return ConvComposites.conv2dBackwardFilter(x.backend(), x, g, spec, wShape);
    }

    /** The maximum of each window. */
    default Tensor maxPool2d(Tensor x, PoolSpec spec) {
        return ConvComposites.maxPool2d(x.backend(), x, spec);
    }

    /** {@code g} routed to the first maximum of each window of {@code x}. */
    default Tensor maxPool2dBackward(Tensor x, Tensor g, PoolSpec spec) {
        return ConvComposites.maxPool2dBackward(x.backend(), x, g, spec);
    }

    /** The mean of each window, padded zeros counted. */
    default Tensor avgPool2d(Tensor x, PoolSpec spec) {
        return ConvComposites.avgPool2d(x.backend(), x, spec);
    }

    /** Each window's {@code g} shared evenly by its cells, for an input of shape {@code xShape}. */
    default Tensor avgPool2dBackward(Tensor g, PoolSpec spec, Shape xShape) {
        return ConvComposites.avgPool2dBackward(g.backend(), g, spec, xShape);
    }
}
