package org.vae4j.tensor;

/**
 * Every optional family as its definitions in {@link Composites} (the interfaces' defaults, run
 * on the tensors' backend): what runs for a family a backend leaves out, for every optional family
 * under {@code vae4j.forceComposite=true}, and for every composite op on empty inputs.
 */
final class CompositeKernels
        implements LayerKernels, ActivationKernels, LossKernels, ReductionKernels,
        OptimizerKernels, ConvolutionKernels {

    /** The one instance: it holds no state. */
    static final CompositeKernels INSTANCE = new CompositeKernels();

    private CompositeKernels() {
    }
}
