package org.vae4j.backend.nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.CoreKernels;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * The ND4J backend's core family: each primitive maps to {@link Nd4jKernels} and wraps the fresh
 * array in a tensor of the owning backend, registered with its scope's workspace. Core has
 * checked every argument before a kernel here runs.
 */
final class Nd4jCoreKernels implements CoreKernels {

    private final Backend owner;
    private final Nd4jWorkspaces workspaces;

    /** Kernels whose tensors belong to {@code owner} and live in {@code workspaces}. */
    Nd4jCoreKernels(Backend owner, Nd4jWorkspaces workspaces) {
        this.owner = owner;
        this.workspaces = workspaces;
    }

    static INDArray in(Tensor t) {
        return ((Nd4jTensor) t).array();
    }

    static long[] dims(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.dim(i);
        }
        return d;
    }

    /** Wraps a kernel's fresh array, viewing it in {@code shape} if ND4J chose another form. */
    Tensor wrap(INDArray storage, Shape shape) {
        long[] want = dims(shape);
        INDArray array = Arrays.equals(storage.shape(), want) ? storage
                : storage.reshape('c', want);
        Nd4jTensor t = new Nd4jTensor(owner, shape, array, storage);
        workspaces.created(t);
        return t;
    }

    // ---------------------------------------------------------------- kernels

    @Override
    public Tensor upload(float[] data, Shape shape) {
        return wrap(Nd4jKernels.upload(data, dims(shape)), shape);
    }

    @Override
    public float[] download(Tensor t) {
        return Nd4jKernels.download(in(t));
    }

    @Override
    public Tensor full(Shape shape, float value) {
        return wrap(Nd4jKernels.full(dims(shape), value), shape);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return wrap(Nd4jKernels.unary(op, in(x)), x.shape());
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return wrap(Nd4jKernels.binary(op, in(a), in(b), dims(out)), out);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out) {
        return wrap(Nd4jKernels.reduce(op, in(x), axes, dims(out)), out);
    }

    @Override
    public Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out) {
        return wrap(Nd4jKernels.argReduce(op, in(x), axis), out);
    }

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        return wrap(Nd4jKernels.matmul(in(a), transA, in(b), transB, dims(out)), out);
    }

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return wrap(Nd4jKernels.copy(in(x)), shape);
    }

    @Override
    public Tensor transpose(Tensor x, int[] perm, Shape out) {
        return wrap(Nd4jKernels.transpose(in(x), perm), out);
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int end, Shape out) {
        return wrap(Nd4jKernels.slice(in(x), axis, start, end, dims(out)), out);
    }

    @Override
    public Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out) {
        return wrap(Nd4jKernels.stridedSlice(in(x), start, step, dims(out)), out);
    }

    @Override
    public Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out) {
        return wrap(Nd4jKernels.pad(in(x), before, after, value, dims(out)), out);
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape out) {
        return wrap(Nd4jKernels.broadcastTo(in(x), dims(out)), out);
    }

    @Override
    public Tensor concat(List<Tensor> xs, int axis, Shape out) {
        List<INDArray> arrays = new ArrayList<>(xs.size());
        for (Tensor x : xs) {
            arrays.add(in(x));
        }
        return wrap(Nd4jKernels.concat(arrays, axis, dims(out)), out);
    }

    @Override
    public Tensor gatherRows(Tensor x, int[] rows, Shape out) {
        return wrap(Nd4jKernels.gatherRows(in(x), rows, dims(out)), out);
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] rows, Shape out) {
        return wrap(Nd4jKernels.scatterAddRows(in(src), rows, out.dim(0)), out);
    }

    @Override
    public Tensor oneHot(int[] labels, int classes) {
        return wrap(Nd4jKernels.oneHot(labels, classes), Shape.of(labels.length, classes));
    }
}
