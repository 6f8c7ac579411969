package org.vae4j.tensor;

/**
 * Optional kernel family: optimizer updates, fused (the definitions allocate).
 *
 * <p>Each kernel's default is its definition in {@link Composites}, run on the tensors' backend
 * (see {@link LayerKernels} for why).
 */
public interface OptimizerKernels {

    /**
     * One Adam step. When {@code inPlace} is true (see {@link Backend#adamUpdate}) the kernel may
     * write the new values into {@code param}, {@code m} and {@code v} and return those same
     * tensors; when it is false it must not write any input. {@code grad} is never written.
     * Inputs are non-empty and of one shape. The default, {@link Composites#adamUpdate}, is pure.
     */
    default AdamStep.Result adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        return Composites.adamUpdate(param.backend(), param, grad, m, v, step);
    }
}
