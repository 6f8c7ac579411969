package org.vae4j.backend.ejml;

import java.util.Arrays;
import java.util.List;
import org.ejml.concurrency.EjmlConcurrency;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.RowMajorKernels;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * The EJML backend: float32 tensors on the Java heap, matrix products by EJML's
 * {@code CommonOps_FDRM} (or its concurrent {@code CommonOps_MT_FDRM} for large products when more
 * than one thread is allowed), everything else by the plain loops of {@link EjmlKernels}.
 *
 * <p>Core has checked every argument before a kernel here runs; this class only unwraps the
 * tensors, allocates each result and hands the arrays to {@link EjmlKernels}.
 */
public final class EjmlBackend extends Backend {

    /** The EJML release this backend is built and tested against. */
    static final String EJML_VERSION = "0.46.1";

    private final int threads;

    /** A backend whose large matrix products may use {@code config.threads()} threads. */
    public EjmlBackend(BackendConfig config) {
        super(EjmlBackendProvider.NAME);
        this.threads = config.threads();
        if (threads > 1) {
            // EJML's thread pool is global to the JVM; the last backend created sets its size.
            EjmlConcurrency.setMaxThreads(threads);
        }
    }

    /** How many threads the matrix products may use. */
    @Override
    public int threads() {
        return threads;
    }

    @Override
    public String describe() {
        return "ejml: EJML " + EJML_VERSION + " float32 on the Java heap, " + threads
                + (threads == 1 ? " thread" : " threads for large matrix products");
    }

    private static float[] data(Tensor t) {
        return ((EjmlTensor) t).data();
    }

    private EjmlTensor wrap(Shape shape, float[] data) {
        return new EjmlTensor(this, shape, data);
    }

    // ---------------------------------------------------------------- transfer

    @Override
    protected Tensor uploadKernel(float[] data, Shape shape) {
        return wrap(shape, data.clone());
    }

    @Override
    protected float[] downloadKernel(Tensor t) {
        return data(t).clone();
    }

    @Override
    protected Tensor fullKernel(Shape shape, float value) {
        float[] d = new float[shape.size()];
        if (Float.floatToRawIntBits(value) != 0) {
            Arrays.fill(d, value);
        }
        return wrap(shape, d);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected Tensor unaryKernel(UnaryOp op, Tensor x) {
        EjmlTensor in = (EjmlTensor) x;
        EjmlTensor out = wrap(x.shape(), new float[x.size()]);
        EjmlKernels.unary(op, in.matrix(), out.matrix());
        return out;
    }

    @Override
    protected Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.binary(op, data(a), a.shape(), data(b), b.shape(), r, out);
        return wrap(out, r);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    protected Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.reduce(op, data(x), x.shape(), axes, r);
        return wrap(out, r);
    }

    @Override
    protected Tensor argReduceKernel(ArgOp op, Tensor x, int axis, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.argReduce(op, data(x), x.shape(), axis, r);
        return wrap(out, r);
    }

    // ---------------------------------------------------------------- matmul

    @Override
    protected Tensor matmulKernel(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        EjmlTensor r = wrap(out, new float[out.size()]);
        EjmlKernels.matmul(((EjmlTensor) a).matrix(), transA, ((EjmlTensor) b).matrix(), transB,
                r.matrix(), threads);
        return r;
    }

    // ---------------------------------------------------------------- movement

    /** Shares the value array: the layout depends on the shape alone and values never change. */
    @Override
    protected Tensor reshapeKernel(Tensor x, Shape shape) {
        return wrap(shape, data(x));
    }

    @Override
    protected Tensor transposeKernel(Tensor x, int[] perm, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.transpose(data(x), x.shape(), perm, r);
        return wrap(out, r);
    }

    @Override
    protected Tensor sliceKernel(Tensor x, int axis, int start, int end, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.slice(data(x), x.shape(), axis, start, end, r);
        return wrap(out, r);
    }

    @Override
    protected Tensor stridedSliceKernel(Tensor x, int[] start, int[] step, Shape out) {
        return wrap(out, RowMajorKernels.stridedSlice(data(x), x.shape(), start, step, out));
    }

    @Override
    protected Tensor padKernel(Tensor x, int[] before, int[] after, float value, Shape out) {
        return wrap(out, RowMajorKernels.pad(data(x), x.shape(), before, value, out));
    }

    @Override
    protected Tensor broadcastToKernel(Tensor x, Shape out) {
        return wrap(out, RowMajorKernels.broadcastTo(data(x), x.shape(), out));
    }

    @Override
    protected Tensor concatKernel(List<Tensor> xs, int axis, Shape out) {
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
    protected Tensor gatherRowsKernel(Tensor x, int[] rows, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.gatherRows(data(x), x.size() / x.shape().dim(0), rows, r);
        return wrap(out, r);
    }

    @Override
    protected Tensor scatterAddRowsKernel(Tensor src, int[] rows, Shape out) {
        float[] r = new float[out.size()];
        EjmlKernels.scatterAddRows(data(src), src.size() / rows.length, rows, r);
        return wrap(out, r);
    }

    @Override
    protected Tensor oneHotKernel(int[] labels, int classes) {
        float[] r = new float[labels.length * classes];
        EjmlKernels.oneHot(labels, classes, r);
        return wrap(Shape.of(labels.length, classes), r);
    }

    // ---------------------------------------------------------------- fused composites
    // linear is left to its definition: the product dominates, fusing the bias saved nothing
    // measurable (128x784x400: 12 ms either way). The training ops below each save several
    // passes and arrays of the batch's size (see bench --profile).

    /** The product, then bias and relu in one pass over it. */
    @Override
    protected Tensor linearReluKernel(Tensor x, Tensor w, Tensor b) {
        Shape out = Shape.of(x.shape().dim(0), w.shape().dim(1));
        EjmlTensor r = wrap(out, new float[out.size()]);
        EjmlKernels.matmul(((EjmlTensor) x).matrix(), false, ((EjmlTensor) w).matrix(), false,
                r.matrix(), threads);
        EjmlKernels.addBiasRelu(r.data(), data(b));
        return r;
    }

    @Override
    protected Tensor reluBackwardKernel(Tensor g, Tensor y) {
        float[] r = new float[g.size()];
        EjmlKernels.reluBackward(data(g), data(y), r);
        return wrap(g.shape(), r);
    }

    @Override
    protected Tensor bceWithLogitsSumKernel(Tensor logits, Tensor target) {
        float sum = (float) EjmlKernels.bceWithLogitsSum(data(logits), data(target), threads);
        return wrap(Shape.scalar(), new float[] {sum});
    }

    @Override
    protected Tensor bceWithLogitsBackwardKernel(Tensor logits, Tensor target, Tensor g) {
        float[] r = new float[logits.size()];
        EjmlKernels.bceWithLogitsBackward(data(logits), data(target), data(g)[0], r, threads);
        return wrap(logits.shape(), r);
    }

    @Override
    protected Tensor gaussianKlKernel(Tensor mu, Tensor logVar) {
        float kl = (float) EjmlKernels.gaussianKl(data(mu), data(logVar));
        return wrap(Shape.scalar(), new float[] {kl});
    }

    /**
     * One pass with the definition's arithmetic ({@link AdamStep#applyInPlace}), split over the
     * threads for large parameters; in place when core allows it, so a step allocates no
     * parameter-sized arrays, else on copies.
     */
    @Override
    protected AdamStep.Result adamUpdateKernel(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        float[] p2 = inPlace ? data(param) : data(param).clone();
        float[] m2 = inPlace ? data(m) : data(m).clone();
        float[] v2 = inPlace ? data(v) : data(v).clone();
        float[] g = data(grad);
        EjmlKernels.splitOverThreads(p2.length, threads, (from, to) -> {
            step.applyInPlace(p2, g, m2, v2, from, to);
            return 0;
        });
        if (inPlace) {
            return new AdamStep.Result(param, m, v);
        }
        return new AdamStep.Result(wrap(param.shape(), p2), wrap(param.shape(), m2),
                wrap(param.shape(), v2));
    }
}
