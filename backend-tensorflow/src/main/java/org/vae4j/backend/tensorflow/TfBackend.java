package org.vae4j.backend.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * The TensorFlow backend: every primitive runs as a real TensorFlow eager kernel (MatMul, AddV2,
 * Sum, GatherV2, UnsortedSegmentSum, ...) on the CPU, float32 only.
 *
 * <h2>Native memory: one owned handle per tensor, deleted on close</h2>
 *
 * TensorFlow Java 1.1.0's {@code Ops} API gives no way to free one eager result: its outputs are
 * released when the garbage collector finds them or when their {@code EagerSession} closes, so a
 * long training loop grows by gigabytes unless it forces collections or recycles sessions, and
 * every op then pays for a Java op wrapper and a GC-tracked reference. This backend instead calls
 * TensorFlow's eager C API directly, through the JavaCPP bindings that ship in
 * {@code tensorflow-core-native} (see {@link TfEager}): {@code TFE_Execute} runs the same kernel
 * the {@code Ops} API would, and returns a {@code TFE_TensorHandle} that one {@link TfTensor}
 * owns. {@link Tensor#close()} (called by the enclosing {@code TensorScope}) deletes the handle at
 * once with {@code TFE_DeleteTensorHandle}, and TensorFlow frees the buffer when its last handle
 * is gone. So memory follows the scopes exactly: a training step that runs in one scope returns
 * to the same footprint at its end. A tensor nobody closes is still deleted when it is collected
 * (a {@link java.lang.ref.Cleaner}), as a safety net only.
 *
 * <p>Measured with {@code TfBenchmark} (test sources) on 2 cores, AVX-512: an MLP 784-400-20,
 * batch 128, forward and backward by hand (about 25 TensorFlow ops a step), one scope per step,
 * 20,000 steps with the Java heap pre-touched: resident set 823 MB after 500 warm-up steps, 828 MB
 * at the end. The same loop with no scope, so that handles wait for the collector as they do
 * under the {@code Ops} API, reached 6.2 GB within 1,500 steps. Per kernel here, against the
 * {@code Ops} API in the same JVM setup: MatMul 128x784·784x400 0.42 ms (about 190 GFLOP/s)
 * against 0.5-0.8 ms; Relu 128x400 7-10 µs against 52 µs; an op on two scalars 4 µs against
 * 13-28 µs; uploading a 128x784 batch 10 µs against 0.4-1.1 ms for {@code tf.constant}.
 *
 * <p>Data enters with {@link #fromArray}: one bulk copy into a buffer TensorFlow allocated, which
 * the new handle adopts without copying again; {@link #toArray} resolves the handle and copies out.
 *
 * <p>Threads: of {@link BackendConfig#threads()}, one is the {@link org.vae4j.tensor.Parallel}
 * worker (parameter updates beside the backward pass) and the rest form the context's intra-op
 * pool, which large kernels split over; kernels run synchronously on the calling thread.
 * TensorFlow keeps that pool once per process, so every backend shares one eager context made
 * with the first backend's thread count. Start-up is quiet only when the environment variable
 * {@code TF_CPP_MIN_LOG_LEVEL=2} is set before the JVM starts (TensorFlow reads it natively).
 */
public final class TfBackend extends Backend {

    /** Elements up to which a constant tensor is uploaded rather than filled by an op. */
    private static final int SMALL_FILL = 256;

    private final TfEager eager;
    private final TfKernels kernels;
    private final int requestedThreads;

    /**
     * A backend whose kernels may use {@code config.threads()} threads; in a process that already
     * has a TensorFlow backend, the first one's thread count applies (see {@link #describe()}).
     */
    public TfBackend(BackendConfig config) {
        super(TfBackendProvider.NAME);
        this.eager = TfEager.shared(intraOpThreads(config.threads()));
        this.kernels = new TfKernels(eager);
        this.requestedThreads = config.threads();
    }

    /**
     * TensorFlow's intra-op pool gets one thread fewer than the backend: the other is the
     * {@link org.vae4j.tensor.Parallel} worker, which updates parameters beside the backward
     * pass. At this model's sizes TensorFlow runs each product on one thread whatever the pool,
     * and a second pool thread only added 30 µs of hand-over to every small op (2 cores: 2.68 s
     * per epoch with a pool of 2, 2.05 s with a pool of 1).
     */
    static int intraOpThreads(int threads) {
        return Math.max(1, threads - 1);
    }

    /** The threads asked for: the intra-op pool's, plus one for the Parallel worker. */
    @Override
    public int threads() {
        return requestedThreads;
    }

    @Override
    public String describe() {
        int threads = eager.threads();
        String described = "tensorflow: TensorFlow " + TfEager.version()
                + " eager kernels through the C API of TensorFlow Java 1.1.0, " + threads
                + " intra-op thread" + (threads == 1 ? "" : "s")
                + (requestedThreads > 1 ? " and a vae4j worker" : "");
        if (threads != intraOpThreads(requestedThreads)) {
            described += " (" + requestedThreads + " asked for; TensorFlow keeps one pool per"
                    + " process and its first backend set it)";
        }
        return described;
    }

    private Tensor wrap(TFE_TensorHandle handle, Shape shape) {
        try {
            return new TfTensor(this, shape, handle);
        } catch (RuntimeException | Error e) {
            TfEager.delete(handle);
            throw e;
        }
    }

    /** Core has checked that {@code t} is an open tensor of this backend. */
    private static TFE_TensorHandle handle(Tensor t) {
        return ((TfTensor) t).handle();
    }

    @Override
    protected Tensor uploadKernel(float[] data, Shape shape) {
        return wrap(eager.upload(data, shape.dims()), shape);
    }

    @Override
    protected float[] downloadKernel(Tensor t) {
        return eager.download(handle(t), t.size());
    }

    @Override
    protected Tensor fullKernel(Shape shape, float value) {
        if (shape.size() <= SMALL_FILL) {
            // A handle made from host memory costs 3 µs; running the Fill op costs 8.
            float[] values = new float[shape.size()];
            Arrays.fill(values, value);
            return uploadKernel(values, shape);
        }
        return wrap(kernels.full(shape.dims(), value), shape);
    }


    @Override
    protected Tensor unaryKernel(UnaryOp op, Tensor x) {
        return wrap(kernels.unary(op, handle(x)), x.shape());
    }

    @Override
    protected Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return wrap(kernels.binary(op, handle(a), handle(b)), out);
    }

    @Override
    protected Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, Shape out) {
        // Reduced axes stay as size 1 exactly when the result keeps the input's rank.
        boolean keepDims = out.rank() == x.shape().rank();
        return wrap(kernels.reduce(op, handle(x), axes, keepDims), out);
    }

    @Override
    protected Tensor argReduceKernel(ArgOp op, Tensor x, int axis, Shape out) {
        return wrap(kernels.argReduce(op, handle(x), axis), out);
    }

    @Override
    protected Tensor matmulKernel(Tensor a, boolean transA, Tensor b, boolean transB,
            Shape out) {
        return wrap(kernels.matmul(handle(a), transA, handle(b), transB), out);
    }

    @Override
    protected Tensor reshapeKernel(Tensor x, Shape shape) {
        return wrap(kernels.reshape(handle(x), shape.dims()), shape);
    }

    @Override
    protected Tensor transposeKernel(Tensor x, int[] perm, Shape out) {
        return wrap(kernels.transpose(handle(x), perm), out);
    }

    @Override
    protected Tensor sliceKernel(Tensor x, int axis, int start, int end, Shape out) {
        return wrap(kernels.slice(handle(x), x.shape().rank(), axis, start, out.dims()), out);
    }

    @Override
    protected Tensor stridedSliceKernel(Tensor x, int[] start, int[] step, Shape out) {
        return wrap(kernels.stridedSlice(handle(x), start, step, out.dims()), out);
    }

    @Override
    protected Tensor padKernel(Tensor x, int[] before, int[] after, float value, Shape out) {
        return wrap(kernels.pad(handle(x), before, after, value), out);
    }

    @Override
    protected Tensor broadcastToKernel(Tensor x, Shape out) {
        return wrap(kernels.broadcastTo(handle(x), out.dims()), out);
    }

    @Override
    protected Tensor concatKernel(List<Tensor> xs, int axis, Shape out) {
        List<TFE_TensorHandle> handles = new ArrayList<>(xs.size());
        for (Tensor x : xs) {
            handles.add(handle(x));
        }
        return wrap(kernels.concat(handles, axis), out);
    }

    @Override
    protected Tensor gatherRowsKernel(Tensor x, int[] rows, Shape out) {
        return wrap(kernels.gatherRows(handle(x), rows), out);
    }

    @Override
    protected Tensor scatterAddRowsKernel(Tensor src, int[] rows, Shape out) {
        return wrap(kernels.scatterAddRows(handle(src), rows, out.dim(0)), out);
    }

    @Override
    protected Tensor oneHotKernel(int[] labels, int classes) {
        return wrap(kernels.oneHot(labels, classes), Shape.of(labels.length, classes));
    }

    @Override
    protected Tensor linearKernel(Tensor x, Tensor w, Tensor b) {
        Shape out = Shape.of(x.shape().dim(0), w.shape().dim(1));
        if (out.size() == 0 || x.shape().dim(1) == 0) {
            // Empty products are core's business; its composite handles them.
            return super.linearKernel(x, w, b);
        }
        return wrap(kernels.linear(handle(x), handle(w), handle(b)), out);
    }

    @Override
    protected Tensor linearReluKernel(Tensor x, Tensor w, Tensor b) {
        if (x.shape().dim(1) == 0) {
            return super.linearReluKernel(x, w, b);
        }
        Shape out = Shape.of(x.shape().dim(0), w.shape().dim(1));
        return wrap(kernels.linearRelu(handle(x), handle(w), handle(b)), out);
    }

    @Override
    protected Tensor reluBackwardKernel(Tensor g, Tensor y) {
        return wrap(kernels.reluGrad(handle(g), handle(y)), g.shape());
    }

    /**
     * In place when core allows it: one pass with the definition's arithmetic
     * ({@link AdamStep#applyInPlace}) over the host buffers of the parameter and both moments,
     * which only their owners' handles reference, instead of the definition's nineteen eager ops
     * and three new tensors per parameter. (TensorFlow's {@code ResourceApplyAdam} would need
     * resource variables and orders the arithmetic differently, and Adam turns rounding
     * differences in tiny gradients into whole steps.)
     */
    @Override
    protected AdamStep.Result adamUpdateKernel(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        if (!inPlace) {
            return super.adamUpdateKernel(param, grad, m, v, step, false);
        }
        int n = param.size();
        try (TfEager.HostBuffer p = eager.hostBuffer(handle(param), n);
                TfEager.HostBuffer g = eager.hostBuffer(handle(grad), n);
                TfEager.HostBuffer m1 = eager.hostBuffer(handle(m), n);
                TfEager.HostBuffer v1 = eager.hostBuffer(handle(v), n)) {
            step.applyInPlace(p.floats(), g.floats(), m1.floats(), v1.floats(), requestedThreads);
        }
        return new AdamStep.Result(param, m, v);
    }
}
