package org.vae4j.tensor;

/**
 * Optional kernel family: reductions along an axis that compose several primitives, fused. No
 * backend declares it today (the definitions run everywhere); a backend adds it where a benchmark
 * shows fusing pays. Inputs are non-empty and checked; axes are normalised.
 *
 * <p>Each kernel's default is its definition in {@link Composites}, run on the tensors' backend
 * (see {@link LayerKernels} for why).
 */
public interface ReductionKernels {

    /** {@code log(sum(exp(x)))} along {@code axis}, stable for large values. */
    default Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        return Composites.logSumExp(x.backend(), x, axis, keepDims);
    }

    /** {@code exp(x) / sum(exp(x))} along {@code axis}. */
    default Tensor softmax(Tensor x, int axis) {
        return Composites.softmax(x.backend(), x, axis);
    }

    /** {@code |x_i − c_j|²} for x {@code (n x d)} and codes {@code (k x d)}: {@code (n x k)}. */
    default Tensor squaredDistances(Tensor x, Tensor codes) {
        return Composites.squaredDistances(x.backend(), x, codes);
    }
}
