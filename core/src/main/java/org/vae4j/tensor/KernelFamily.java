package org.vae4j.tensor;

/**
 * The kernel families of the SPI: {@link #CORE} is mandatory, the others are optional. A backend
 * declares the optional families it runs natively (see {@link Kernels}); for every other one the
 * front door runs the definitions in {@link Composites}, and {@code vae4j backends} shows which
 * families each backend has. A new family (convolution) is one constant here, one interface, one
 * field of {@link Kernels} and its fallback in {@link CompositeKernels}.
 */
public enum KernelFamily {

    /** {@link CoreKernels}: the primitives. */
    CORE("core", CoreKernels.class),
    /** {@link LayerKernels}: linear and linear + relu. */
    LAYER("layer", LayerKernels.class),
    /** {@link ActivationKernels}: the relu's backward. */
    ACTIVATION("activation", ActivationKernels.class),
    /** {@link LossKernels}: Bernoulli log-likelihood and its backward, the Gaussian KL. */
    LOSS("loss", LossKernels.class),
    /** {@link ReductionKernels}: log-sum-exp, softmax, squared distances. */
    REDUCTION("reduction", ReductionKernels.class),
    /** {@link OptimizerKernels}: the Adam update. */
    OPTIMIZER("optimizer", OptimizerKernels.class);

    private final String label;
    private final Class<?> kernels;

    KernelFamily(String label, Class<?> kernels) {
        this.label = label;
        this.kernels = kernels;
    }

    /** The family's name in listings, e.g. {@code layer}. */
    public String label() {
        return label;
    }

    /** The interface a backend implements to have this family. */
    public Class<?> kernels() {
        return kernels;
    }

    /** Whether a backend may leave this family to the composites (every family but core). */
    public boolean optional() {
        return this != CORE;
    }
}
