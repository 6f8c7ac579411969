package org.vae4j.backend.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.CoreKernels;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * The TensorFlow backend's core family: each primitive runs one eager op through
 * {@link TfKernels} (or uploads through {@link TfEager}) and wraps the handle it returns in a
 * tensor of the owning backend. Core has checked every argument before a kernel here runs.
 */
final class TfCoreKernels implements CoreKernels {

    /** Elements up to which a constant tensor is uploaded rather than filled by an op. */
    private static final int SMALL_FILL = 256;

    private final Backend owner;
    private final TfEager eager;
    private final TfKernels kernels;

    /** Kernels whose tensors belong to {@code owner}, running on {@code eager}'s context. */
    TfCoreKernels(Backend owner, TfEager eager, TfKernels kernels) {
        this.owner = owner;
        this.eager = eager;
        this.kernels = kernels;
    }

    Tensor wrap(TFE_TensorHandle handle, Shape shape) {
        try {
            return new TfTensor(owner, shape, handle);
        } catch (RuntimeException | Error e) {
            TfEager.delete(handle);
            throw e;
        }
    }

    /** Core has checked that {@code t} is an open tensor of this backend. */
    static TFE_TensorHandle handle(Tensor t) {
        return ((TfTensor) t).handle();
    }

    @Override
    public Tensor upload(float[] data, Shape shape) {
        return wrap(eager.upload(data, shape.dims()), shape);
    }

    @Override
    public float[] download(Tensor t) {
        return eager.download(handle(t), t.size());
    }

    @Override
    public Tensor full(Shape shape, float value) {
        if (shape.size() <= SMALL_FILL) {
            // A handle made from host memory costs 3 µs; running the Fill op costs 8.
            float[] values = new float[shape.size()];
            Arrays.fill(values, value);
            return upload(values, shape);
        }
        return wrap(kernels.full(shape.dims(), value), shape);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return wrap(kernels.unary(op, handle(x)), x.shape());
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return wrap(kernels.binary(op, handle(a), handle(b)), out);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out) {
        // Reduced axes stay as size 1 exactly when the result keeps the input's rank.
        boolean keepDims = out.rank() == x.shape().rank();
        return wrap(kernels.reduce(op, handle(x), axes, keepDims), out);
    }

    @Override
    public Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out) {
        return wrap(kernels.argReduce(op, handle(x), axis), out);
    }

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB,
            Shape out) {
        return wrap(kernels.matmul(handle(a), transA, handle(b), transB), out);
    }

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return wrap(kernels.reshape(handle(x), shape.dims()), shape);
    }

    @Override
    public Tensor transpose(Tensor x, int[] perm, Shape out) {
        return wrap(kernels.transpose(handle(x), perm), out);
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int end, Shape out) {
        return wrap(kernels.slice(handle(x), x.shape().rank(), axis, start, out.dims()), out);
    }

    @Override
    public Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out) {
        return wrap(kernels.stridedSlice(handle(x), start, step, out.dims()), out);
    }

    @Override
    public Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out) {
        return wrap(kernels.pad(handle(x), before, after, value), out);
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape out) {
        return wrap(kernels.broadcastTo(handle(x), out.dims()), out);
    }

    @Override
    public Tensor concat(List<Tensor> xs, int axis, Shape out) {
        List<TFE_TensorHandle> handles = new ArrayList<>(xs.size());
        for (Tensor x : xs) {
            handles.add(handle(x));
        }
        return wrap(kernels.concat(handles, axis), out);
    }

    @Override
    public Tensor gatherRows(Tensor x, int[] rows, Shape out) {
        return wrap(kernels.gatherRows(handle(x), rows), out);
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] rows, Shape out) {
        return wrap(kernels.scatterAddRows(handle(src), rows, out.dim(0)), out);
    }

    @Override
    public Tensor oneHot(int[] labels, int classes) {
        return wrap(kernels.oneHot(labels, classes), Shape.of(labels.length, classes));
    }
}
