package org.vae4j.backend.nd4j;

import static org.vae4j.backend.nd4j.Nd4jCoreKernels.in;

import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Composites;
import org.vae4j.tensor.LayerKernels;
import org.vae4j.tensor.OptimizerKernels;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The ND4J backend's optional families: the layer kernels (one gemm into the bias, then relu)
 * and the optimizer's in-place Adam step.
 */
final class Nd4jFusedKernels implements LayerKernels, OptimizerKernels {

    private final Backend owner;
    private final Nd4jCoreKernels core;
    private final int threads;

    /** Kernels whose tensors {@code core} wraps and whose Adam step may split over threads. */
    Nd4jFusedKernels(Backend owner, Nd4jCoreKernels core, int threads) {
        this.owner = owner;
        this.core = core;
        this.threads = threads;
    }

    @Override
    public Tensor linear(Tensor x, Tensor w, Tensor b) {
        return core.wrap(Nd4jKernels.linear(in(x), in(w), in(b)),
                Shape.of(x.shape().dim(0), w.shape().dim(1)));
    }

    @Override
    public Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        return core.wrap(Nd4jKernels.linearRelu(in(x), in(w), in(b)),
                Shape.of(x.shape().dim(0), w.shape().dim(1)));
    }

    /**
     * In place when core allows it: the parameter and moments keep their buffers, so nothing is
     * allocated and nothing has to be moved out of the step's workspace when it closes.
     */
    @Override
    public AdamStep.Result adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        if (inPlace && Nd4jKernels.adamUpdateInPlace(in(param), in(grad), in(m), in(v), step,
                threads)) {
            return new AdamStep.Result(param, m, v);
        }
        // Views (not plain buffers) and tracked tensors take the definition, as before.
        return Composites.adamUpdate(owner, param, grad, m, v, step);
    }
}
