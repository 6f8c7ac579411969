package org.vae4j.tensor;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel families of the SPI: {@link #CORE} is mandatory, the others are optional. A backend
 * declares the optional families it runs natively (see {@link Kernels}); for every other one the
 * front door runs the definitions in {@link Composites}, and {@code vae4j backends} shows which
 * families each backend has. A new family (convolution) is one constant here, its interface
 * (whose defaults are the definitions), one field of {@link Kernels} and one
 * {@code implements} in {@link CompositeKernels}.
 *
 * <p>A kernel added to an existing optional family comes with a default (its definition), so a
 * backend that declares the family keeps compiling and working; {@link #compositeKernels} names
 * the kernels such a backend still leaves to the definitions, and {@code vae4j backends} and the
 * conformance kit show them.
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
    OPTIMIZER("optimizer", OptimizerKernels.class),
    /** {@link ConvolutionKernels}: conv2d, its gradients, max and average pooling. */
    CONVOLUTION("convolution", ConvolutionKernels.class);

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

    /**
     * The kernels of this family that {@code kernels} (an implementation of {@link #kernels()})
     * does not implement itself and so leaves to their definitions (the interface's defaults), by
     * name, sorted; empty for a complete implementation.
     */
    public List<String> compositeKernels(Object kernels) {
        List<String> inherited = new ArrayList<>();
        for (Method m : this.kernels.getMethods()) {
            try {
                Method impl = kernels.getClass().getMethod(m.getName(), m.getParameterTypes());
                if (impl.getDeclaringClass().isInterface()) {
                    inherited.add(m.getName());
                }
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(kernels.getClass().getName() + " is not "
                        + this.kernels.getSimpleName(), e);
            }
        }
        inherited.sort(null);
        return inherited;
    }

    /** Whether a backend may leave this family to the composites (every family but core). */
    public boolean optional() {
        return this != CORE;
    }
}
