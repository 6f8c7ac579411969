package org.vae4j.tensor;

import java.util.List;

/**
 * The mandatory kernel family: the primitives every backend implements and every model is
 * written against (transfer, elementwise, reductions, the matrix product, movement).
 *
 * <p>The {@link Backend} front door has checked every argument before a kernel here runs: each
 * tensor is an open tensor of the backend, shapes fit, axes are normalised, indices are in range,
 * and the result is not empty (except for {@link #upload} and {@link #full}, which take any
 * shape). A kernel returns a new tensor whose {@link Tensor#backend()} is the user-facing backend
 * it was made for, and never writes its inputs; the front door checks the shape it returns.
 */
public interface CoreKernels {

    /** A tensor holding a copy of {@code data}; {@code data.length == shape.size()}. */
    Tensor upload(float[] data, Shape shape);

    /** The values of a non-empty tensor, row-major. */
    float[] download(Tensor t);

    /** A tensor of any shape (empty too) filled with {@code value}. */
    Tensor full(Shape shape, float value);

    Tensor unary(UnaryOp op, Tensor x);

    /** {@code out} is the broadcast shape of a and b. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out);

    /**
     * {@code axes} are distinct, sorted, non-empty; {@code out} is the result shape (reduced axes
     * removed, or kept as 1; the row-major order of the values is the same either way).
     */
    Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out);

    Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out);

    /** Inner sizes agree and are positive; {@code out} is {@code (m x n)}. */
    Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Shape out);

    Tensor reshape(Tensor x, Shape shape);

    Tensor transpose(Tensor x, int[] perm, Shape out);

    Tensor slice(Tensor x, int axis, int start, int end, Shape out);

    /** Steps are positive, the ranges in bounds, {@code out} non-empty. */
    Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out);

    /** Widths are non-negative; {@code x} and {@code out} are non-empty. */
    Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out);

    /** {@code x} broadcasts to the non-empty {@code out}. */
    Tensor broadcastTo(Tensor x, Shape out);

    /** At least two non-empty tensors that agree outside {@code axis}. */
    Tensor concat(List<Tensor> xs, int axis, Shape out);

    /** Indices are in range. */
    Tensor gatherRows(Tensor x, int[] rows, Shape out);

    /** Indices are in range; {@code out} has {@code numRows} rows. */
    Tensor scatterAddRows(Tensor src, int[] rows, Shape out);

    /** Labels are in range. */
    Tensor oneHot(int[] labels, int classes);
}
