package org.vae4j.backend.ejml;

import java.util.Arrays;
import java.util.List;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.CoreKernels;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.RowMajorKernels;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * The EJML backend's core family: each primitive unwraps its tensors, allocates the result and
 * hands the arrays to {@link EjmlKernels} (or {@link RowMajorKernels}); matrix products go to
 * EJML's {@code CommonOps_FDRM}, or its concurrent variant when more than one thread is allowed.
 * Core has checked every argument before a kernel here runs.
 */
final class EjmlCoreKernels implements CoreKernels {

    private final Backend owner;
    private final int threads;

    /** Kernels whose tensors belong to {@code owner} and whose products may use {@code threads}. */
    EjmlCoreKernels(Backend owner, int threads) {
        this.owner = owner;
        this.threads = threads;
    }

    private static float[] data(Tensor t) {
        return ((EjmlTensor) t).data();
    }

    private EjmlTensor wrap(Shape shape, float[] data) {
        return new EjmlTensor(owner, shape, data);
    }

    // ---------------------------------------------------------------- transfer

    @Override
    public Tensor upload(float[] data, Shape shape) {
        return wrap(shape, data.clone());
    }

    @Override
    public float[] download(Tensor t) {
        return data(t).clone();
    }

    @Override
    public Tensor full(Shape shape, float value) {
        float[] d = new float[shape.size()];
        if (Float.floatToRawIntBits(value) != 0) {
            Arrays.fill(d, value);
        }
        return wrap(shape, d);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        EjmlTensor in = (EjmlTensor) x;
        EjmlTensor out = wrap(x.shape(), new float[x.size()]);
        EjmlKernels.unary(op, in.matrix(), out.matrix());
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.binary(op, data(a), a.shape(), data(b), b.shape(), r, out);
        return wrap(out, r);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.reduce(op, data(x), x.shape(), axes, r);
        return wrap(out, r);
    }

    @Override
    public Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.argReduce(op, data(x), x.shape(), axis, r);
        return wrap(out, r);
    }

    // ---------------------------------------------------------------- matmul

    @Override
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        EjmlTensor r = wrap(out, new float[out.size()]);
        EjmlKernels.matmul(((EjmlTensor) a).matrix(), transA, ((EjmlTensor) b).matrix(), transB,
                r.matrix(), threads);
        return r;
    }

    // ---------------------------------------------------------------- movement

    /** Shares the value array: the layout depends on the shape alone and values never change. */
    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return wrap(shape, data(x));
    }

    @Override
    public Tensor transpose(Tensor x, int[] perm, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.transpose(data(x), x.shape(), perm, r);
        return wrap(out, r);
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int end, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.slice(data(x), x.shape(), axis, start, end, r);
        return wrap(out, r);
    }

    @Override
    public Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out) {
        return wrap(out, RowMajorKernels.stridedSlice(data(x), x.shape(), start, step, out));
    }

    @Override
    public Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out) {
        return wrap(out, RowMajorKernels.pad(data(x), x.shape(), before, value, out));
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape out) {
        return wrap(out, RowMajorKernels.broadcastTo(data(x), x.shape(), out));
    }

    @Override
    public Tensor concat(List<Tensor> xs, int axis, Shape out) {
        float[][] parts = new float[xs.size()][];
        Shape[] shapes = new Shape[xs.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = data(xs.get(i));
            shapes[i] = xs.get(i).shape();
        }
        float[] r = new float[out.size()];
        EjmlKernels.concat(parts, shapes, axis, r, out);
        return wrap(out, r);
    }

    @Override
    public Tensor gatherRows(Tensor x, int[] rows, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.gatherRows(data(x), x.size() / x.shape().dim(0), rows, r);
        return wrap(out, r);
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] rows, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.scatterAddRows(data(src), src.size() / rows.length, rows, r);
        return wrap(out, r);
    }

    @Override
    public Tensor oneHot(int[] labels, int classes) {
        float[] r = new float[labels.length * classes];
        EjmlKernels.oneHot(labels, classes, r);
        return wrap(Shape.of(labels.length, classes), r);
    }
}
