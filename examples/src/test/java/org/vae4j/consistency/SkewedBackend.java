package org.vae4j.consistency;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * A deliberately broken backend for tests: the reference backend in every op except one unary
 * op, whose every result it passes through {@code skew} (e.g. {@code v -> v * (1 + 1e-4)}, as a
 * kernel that drifted would).
 */
public final class SkewedBackend extends Backend {

    private final Backend delegate = new ReferenceBackend();
    private final UnaryOp skewed;
    private final DoubleUnaryOperator skew;

    /** A backend called {@code name} whose {@code skewed} op's results pass through {@code skew}. */
    public SkewedBackend(String name, UnaryOp skewed, DoubleUnaryOperator skew) {
        super(name);
        this.skewed = skewed;
        this.skew = skew;
    }

    /** A handle around the delegate's tensor, which it alone closes. */
    private static final class Wrapped extends Tensor {
        final Tensor inner;

        Wrapped(Backend backend, Tensor inner) {
            super(backend, inner.shape());
            this.inner = inner;
        }

        @Override
        protected void release() {
            inner.close();
        }
    }

    private Tensor wrap(Tensor inner) {
        return new Wrapped(this, TensorScope.untrack(inner));
    }

    private static Tensor in(Tensor t) {
        return ((Wrapped) t).inner;
    }

    @Override
    protected Tensor uploadKernel(float[] data, Shape shape) {
        return wrap(delegate.fromArray(data, shape));
    }

    @Override
    protected float[] downloadKernel(Tensor t) {
        return delegate.toArray(in(t));
    }

    @Override
    protected Tensor fullKernel(Shape shape, float value) {
        return wrap(delegate.full(shape, value));
    }

    @Override
    protected Tensor unaryKernel(UnaryOp op, Tensor x) {
        Tensor r = delegate.unary(op, in(x));
        if (op != skewed) {
            return wrap(r);
        }
        float[] v = r.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) skew.applyAsDouble(v[i]);
        }
        return wrap(delegate.fromArray(v, r.shape()));
    }

    @Override
    protected Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return wrap(delegate.binary(op, in(a), in(b)));
    }

    @Override
    protected Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, Shape out) {
        return wrap(delegate.reshape(delegate.reduce(op, in(x), false, axes), out));
    }

    @Override
    protected Tensor argReduceKernel(ArgOp op, Tensor x, int axis, Shape out) {
        return wrap(delegate.reshape(delegate.argReduce(op, in(x), axis), out));
    }

    @Override
    protected Tensor matmulKernel(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        return wrap(delegate.matmul(in(a), transA, in(b), transB));
    }

    @Override
    protected Tensor reshapeKernel(Tensor x, Shape shape) {
        return wrap(delegate.reshape(in(x), shape));
    }

    @Override
    protected Tensor transposeKernel(Tensor x, int[] perm, Shape out) {
        return wrap(delegate.transpose(in(x), perm));
    }

    @Override
    protected Tensor sliceKernel(Tensor x, int axis, int start, int end, Shape out) {
        return wrap(delegate.slice(in(x), axis, start, end));
    }

    @Override
    protected Tensor stridedSliceKernel(Tensor x, int[] start, int[] step, Shape out) {
        int[] end = new int[start.length];
        for (int k = 0; k < end.length; k++) {
            end[k] = Math.min(x.shape().dim(k), start[k] + out.dim(k) * step[k]);
        }
        return wrap(delegate.slice(in(x), start, end, step));
    }

    @Override
    protected Tensor padKernel(Tensor x, int[] before, int[] after, float value, Shape out) {
        return wrap(delegate.pad(in(x), before, after, value));
    }

    @Override
    protected Tensor broadcastToKernel(Tensor x, Shape out) {
        return wrap(delegate.broadcastTo(in(x), out));
    }

    @Override
    protected Tensor concatKernel(List<Tensor> xs, int axis, Shape out) {
        return wrap(delegate.concat(axis, xs.stream().map(SkewedBackend::in).toList()));
    }

    @Override
    protected Tensor gatherRowsKernel(Tensor x, int[] rows, Shape out) {
        return wrap(delegate.gatherRows(in(x), rows));
    }

    @Override
    protected Tensor scatterAddRowsKernel(Tensor src, int[] rows, Shape out) {
        return wrap(delegate.scatterAddRows(in(src), rows, out.dim(0)));
    }

    @Override
    protected Tensor oneHotKernel(int[] labels, int classes) {
        return wrap(delegate.oneHot(labels, classes));
    }
}
