package org.vae4j.backend.tensorflow;

import static org.vae4j.backend.tensorflow.TfCoreKernels.handle;

import org.vae4j.tensor.ActivationKernels;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Composites;
import org.vae4j.tensor.LayerKernels;
import org.vae4j.tensor.OptimizerKernels;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The TensorFlow backend's optional families: the layer kernels (MatMul + BiasAdd, then Relu),
 * the relu's backward ({@code ReluGrad}) and the in-place Adam step over host buffers.
 */
final class TfFusedKernels implements LayerKernels, ActivationKernels, OptimizerKernels {

    private final Backend owner;
    private final TfCoreKernels core;
    private final TfEager eager;
    private final TfKernels kernels;
    private final int threads;

    /** Kernels whose tensors {@code core} wraps; Adam's pass may split over {@code threads}. */
    TfFusedKernels(Backend owner, TfCoreKernels core, TfEager eager, TfKernels kernels,
            int threads) {
        this.owner = owner;
        this.core = core;
        this.eager = eager;
        this.kernels = kernels;
        this.threads = threads;
    }

    @Override
    public Tensor linear(Tensor x, Tensor w, Tensor b) {
        Shape out = Shape.of(x.shape().dim(0), w.shape().dim(1));
        if (out.size() == 0 || x.shape().dim(1) == 0) {
            // Empty products are core's business; its composite handles them.
            return Composites.linear(owner, x, w, b);
        }
        return core.wrap(kernels.linear(handle(x), handle(w), handle(b)), out);
    }

    @Override
    public Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        if (x.shape().dim(1) == 0) {
            return Composites.linearRelu(owner, x, w, b);
        }
        Shape out = Shape.of(x.shape().dim(0), w.shape().dim(1));
        return core.wrap(kernels.linearRelu(handle(x), handle(w), handle(b)), out);
    }

    @Override
    public Tensor reluBackward(Tensor g, Tensor y) {
        return core.wrap(kernels.reluGrad(handle(g), handle(y)), g.shape());
    }

    /**
     * In place when core allows it: one pass with the definition's arithmetic
     * ({@link AdamStep#applyInPlace}) over the host buffers of the parameter and both moments,
     * which only their owners' handles reference, instead of the definition's nineteen eager ops
     * and three new tensors per parameter. (TensorFlow's {@code ResourceApplyAdam} would need
     * resource variables and orders the arithmetic differently, and Adam turns rounding
     * differences in tiny gradients into whole steps.)
     */
    @Override
    public AdamStep.Result adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        if (!inPlace) {
            return Composites.adamUpdate(owner, param, grad, m, v, step);
        }
        int n = param.size();
        try (TfEager.HostBuffer p = eager.hostBuffer(handle(param), n);
                TfEager.HostBuffer g = eager.hostBuffer(handle(grad), n);
                TfEager.HostBuffer m1 = eager.hostBuffer(handle(m), n);
                TfEager.HostBuffer v1 = eager.hostBuffer(handle(v), n)) {
            step.applyInPlace(p.floats(), g.floats(), m1.floats(), v1.floats(), threads);
        }
        return new AdamStep.Result(param, m, v);
    }
}
