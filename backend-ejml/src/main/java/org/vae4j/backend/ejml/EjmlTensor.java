package org.vae4j.backend.ejml;

import org.ejml.data.FMatrixRMaj;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * An EJML tensor: a {@link Shape} over an {@link FMatrixRMaj} on the Java heap.
 *
 * <p>Layout: the row-major values of a tensor of any rank sit in a matrix of
 * {@code (product of all but the last dimension) x (last dimension)} — so a 2-D tensor is the
 * matrix itself, a rank-3 {@code (b x m x n)} tensor is a {@code (b·m x n)} matrix, a vector
 * {@code (n)} is one row {@code (1 x n)} and a scalar is {@code (1 x 1)}. The layout follows from
 * the shape alone, so a reshape can share the value array. Values are never written after
 * construction, which is what makes that sharing safe, with the one exception core allows:
 * {@code adamUpdate} writes a parameter and its moments in place when no scope tracks them (a
 * reshape of such a parameter then sees the step too). The garbage collector frees the storage
 * once {@link #release()} has dropped the last reference to it.
 */
final class EjmlTensor extends Tensor {

    private final FMatrixRMaj matrix;

    /** Wraps {@code data} (exactly {@code shape.size()} values, row-major) without copying it. */
    EjmlTensor(Backend backend, Shape shape, float[] data) {
        super(backend, shape);
        this.matrix = FMatrixRMaj.wrap(rows(shape), cols(shape), data);
    }

    /** The matrix the values live in; kernels read it and never write it (but adamUpdate). */
    FMatrixRMaj matrix() {
        return matrix;
    }

    /** The row-major values; kernels read them and never write them (but adamUpdate). */
    float[] data() {
        return matrix.data;
    }

    /** Rows of the layout: the product of all dimensions but the last (1 for rank 0 and 1). */
    static int rows(Shape shape) {
        int rows = 1;
        for (int i = 0; i < shape.rank() - 1; i++) {
            rows *= shape.dim(i);
        }
        return rows;
    }

    /** Columns of the layout: the last dimension (1 for a scalar). */
    static int cols(Shape shape) {
        return shape.rank() == 0 ? 1 : shape.dim(-1);
    }

    private static final float[] RELEASED = new float[0];

    /**
     * Drops this tensor's reference to its values, so the garbage collector can take them as soon
     * as no other tensor shares them (a closed tensor is never read again), even while the scope
     * or the graph that made it still holds the tensor itself.
     */
    @Override
    protected void release() {
        matrix.data = RELEASED;
    }
}
