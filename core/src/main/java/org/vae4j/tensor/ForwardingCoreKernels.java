package org.vae4j.tensor;

import java.util.List;

/**
 * Core kernels that pass every call to another backend's core kernels: the base of a decorator
 * that changes one kernel and keeps the rest (a test double that skews one op, a tracer). The
 * delegate must make its tensors for the backend this decorator is installed in (see
 * {@link ReferenceBackend#kernels(Backend)}).
 */
public abstract class ForwardingCoreKernels implements CoreKernels {

    private final CoreKernels delegate;

    protected ForwardingCoreKernels(CoreKernels delegate) {
        this.delegate = delegate;
    }

    /** The kernels every call goes to unless overridden. */
    protected final CoreKernels delegate() {
        return delegate;
    }

    @Override
    public Tensor upload(float[] data, Shape shape) {
        return delegate.upload(data, shape);
    }

    @Override
    public float[] download(Tensor t) {
        return delegate.download(t);
    }

    @Override
    public Tensor full(Shape shape, float value) {
        return delegate.full(shape, value);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return delegate.unary(op, x);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return delegate.binary(op, a, b, out);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out) {
        return delegate.reduce(op, x, axes, out);
    }

    @Override
    public Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out) {
        return delegate.argReduce(op, x, axis, out);
    }

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        return delegate.matmul(a, transA, b, transB, out);
    }

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return delegate.reshape(x, shape);
    }

    @Override
    public Tensor transpose(Tensor x, int[] perm, Shape out) {
        return delegate.transpose(x, perm, out);
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int end, Shape out) {
        return delegate.slice(x, axis, start, end, out);
    }

    @Override
    public Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out) {
        return delegate.stridedSlice(x, start, step, out);
    }

    @Override
    public Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out) {
        return delegate.pad(x, before, after, value, out);
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape out) {
        return delegate.broadcastTo(x, out);
    }

    @Override
    public Tensor concat(List<Tensor> xs, int axis, Shape out) {
        return delegate.concat(xs, axis, out);
    }

    @Override
    public Tensor gatherRows(Tensor x, int[] rows, Shape out) {
        return delegate.gatherRows(x, rows, out);
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] rows, Shape out) {
        return delegate.scatterAddRows(src, rows, out);
    }

    @Override
    public Tensor oneHot(int[] labels, int classes) {
        return delegate.oneHot(labels, classes);
    }
}
