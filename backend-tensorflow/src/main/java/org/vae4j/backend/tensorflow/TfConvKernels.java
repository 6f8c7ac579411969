package org.vae4j.backend.tensorflow;

import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.ConvolutionKernels;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/** The TensorFlow backend's convolution family: {@link TfConv}'s kernels on its tensors. */
final class TfConvKernels implements ConvolutionKernels {

    private final TfCoreKernels core;
    private final TfConv conv;

    TfConvKernels(TfCoreKernels core, TfEager eager) {
        this.core = core;
        this.conv = new TfConv(eager);
    }

    private static TFE_TensorHandle handle(Tensor t) {
        return ((TfTensor) t).handle();
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor w, ConvSpec spec) {
        return core.wrap(conv.conv2d(handle(x), handle(w), spec),
                spec.outputShape(x.shape(), w.shape()));
    }

    @Override
    public Tensor conv2dBackwardInput(Tensor g, Tensor w, ConvSpec spec, Shape xShape) {
        return core.wrap(conv.conv2dBackwardInput(handle(g), handle(w), w.shape(), spec, xShape),
                xShape);
    }

    @Override
    public Tensor conv2dBackwardFilter(Tensor x, Tensor g, ConvSpec spec, Shape wShape) {
        return core.wrap(conv.conv2dBackwardFilter(handle(x), handle(g), spec, wShape), wShape);
    }

    @Override
    public Tensor maxPool2d(Tensor x, PoolSpec spec) {
        return core.wrap(conv.maxPool2d(handle(x), spec), spec.outputShape("maxPool2d",
                x.shape()));
    }

    @Override
    public Tensor maxPool2dBackward(Tensor x, Tensor g, PoolSpec spec) {
        return core.wrap(conv.maxPool2dBackward(handle(x), handle(g), spec, x.shape()),
                x.shape());
    }

    @Override
    public Tensor avgPool2d(Tensor x, PoolSpec spec) {
        return core.wrap(conv.avgPool2d(handle(x), spec), spec.outputShape("avgPool2d",
                x.shape()));
    }

    @Override
    public Tensor avgPool2dBackward(Tensor g, PoolSpec spec, Shape xShape) {
        return core.wrap(conv.avgPool2dBackward(handle(g), spec, xShape), xShape);
    }
}
