package org.vae4j.tensor;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The kernels a backend hands its {@link Backend} front door: the mandatory {@link CoreKernels}
 * plus the optional families it runs natively. Immutable; each {@code with*} returns a copy, so a
 * test double or a decorator can replace one family of a real backend's set and keep the rest:
 *
 * <pre>{@code
 * install(Kernels.of(core).withLayer(fused).withOptimizer(fused));
 * }</pre>
 *
 * <p>An optional family left out runs as its definition in {@link Composites}; so does every
 * optional family under {@code vae4j.forceComposite=true}, which is "declare none".
 */
public final class Kernels {

    private final CoreKernels core;
    private final LayerKernels layer;
    private final ActivationKernels activation;
    private final LossKernels loss;
    private final ReductionKernels reduction;
    private final OptimizerKernels optimizer;
    private final ConvolutionKernels convolution;

    private Kernels(CoreKernels core, LayerKernels layer, ActivationKernels activation,
            LossKernels loss, ReductionKernels reduction, OptimizerKernels optimizer,
            ConvolutionKernels convolution) {
        if (core == null) {
            throw new IllegalArgumentException("kernels: the core family is mandatory");
        }
        this.core = core;
        this.layer = layer;
        this.activation = activation;
        this.loss = loss;
        this.reduction = reduction;
        this.optimizer = optimizer;
        this.convolution = convolution;
    }

    /** A set of the core family alone: every optional op runs as its composite. */
    public static Kernels of(CoreKernels core) {
        return new Kernels(core, null, null, null, null, null, null);
    }

    /** This set with {@code core} as the mandatory family. */
    public Kernels withCore(CoreKernels core) {
        return new Kernels(core, layer, activation, loss, reduction, optimizer, convolution);
    }

    /** This set with the layer family ({@code null} leaves it to the composites). */
    public Kernels withLayer(LayerKernels layer) {
        return new Kernels(core, layer, activation, loss, reduction, optimizer, convolution);
    }

    /** This set with the activation family ({@code null} leaves it to the composites). */
    public Kernels withActivation(ActivationKernels activation) {
        return new Kernels(core, layer, activation, loss, reduction, optimizer, convolution);
    }

    /** This set with the loss family ({@code null} leaves it to the composites). */
    public Kernels withLoss(LossKernels loss) {
        return new Kernels(core, layer, activation, loss, reduction, optimizer, convolution);
    }

    /** This set with the reduction family ({@code null} leaves it to the composites). */
    public Kernels withReduction(ReductionKernels reduction) {
        return new Kernels(core, layer, activation, loss, reduction, optimizer, convolution);
    }

    /** This set with the optimizer family ({@code null} leaves it to the composites). */
    public Kernels withOptimizer(OptimizerKernels optimizer) {
        return new Kernels(core, layer, activation, loss, reduction, optimizer, convolution);
    }

    /** This set with the convolution family ({@code null} leaves it to the composites). */
    public Kernels withConvolution(ConvolutionKernels convolution) {
        return new Kernels(core, layer, activation, loss, reduction, optimizer, convolution);
    }

    public CoreKernels core() {
        return core;
    }

    /** The layer family, or null when it is left to the composites. */
    public LayerKernels layer() {
        return layer;
    }

    /** The activation family, or null when it is left to the composites. */
    public ActivationKernels activation() {
        return activation;
    }

    /** The loss family, or null when it is left to the composites. */
    public LossKernels loss() {
        return loss;
    }

    /** The reduction family, or null when it is left to the composites. */
    public ReductionKernels reduction() {
        return reduction;
    }

    /** The optimizer family, or null when it is left to the composites. */
    public OptimizerKernels optimizer() {
        return optimizer;
    }

    /** The convolution family, or null when it is left to the composites. */
    public ConvolutionKernels convolution() {
        return convolution;
    }

    /** The kernels of {@code family}, or null when this set leaves it to the composites. */
    public Object family(KernelFamily family) {
        return switch (family) {
            case CORE -> core;
            case LAYER -> layer;
            case ACTIVATION -> activation;
            case LOSS -> loss;
            case REDUCTION -> reduction;
            case OPTIMIZER -> optimizer;
            case CONVOLUTION -> convolution;
        };
    }

    /** The families this set has: core, and every optional one it was given. */
    public Set<KernelFamily> families() {
        EnumSet<KernelFamily> set = EnumSet.noneOf(KernelFamily.class);
        for (KernelFamily f : KernelFamily.values()) {
            if (family(f) != null) {
                set.add(f);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    /** The core family alone. */
    Kernels withoutOptional() {
        return of(core);
    }

    /** This set with every missing optional family taken from {@code definitions}. */
    Kernels completedBy(CompositeKernels definitions) {
        return new Kernels(core, layer != null ? layer : definitions,
                activation != null ? activation : definitions,
                loss != null ? loss : definitions,
                reduction != null ? reduction : definitions,
                optimizer != null ? optimizer : definitions,
                convolution != null ? convolution : definitions);
    }
}
