package org.vae4j.tensor;

/**
 * Optional kernel family: reductions along an axis that compose several primitives, fused. No
 * backend declares it today (the definitions {@link Composites#logSumExp},
 * {@link Composites#softmax} and {@link Composites#squaredDistances} run everywhere); a backend
 * adds it where a benchmark shows fusing pays. Inputs are non-empty and checked; axes are
 * normalised.
 */
public interface ReductionKernels {

    /** {@code log(sum(exp(x)))} along {@code axis}, stable for large values. */
    Tensor logSumExp(Tensor x, int axis, boolean keepDims);

    /** {@code exp(x) / sum(exp(x))} along {@code axis}. */
    Tensor softmax(Tensor x, int axis);

    /** {@code |x_i − c_j|²} for x {@code (n x d)} and codes {@code (k x d)}: {@code (n x k)}. */
    Tensor squaredDistances(Tensor x, Tensor codes);
}
