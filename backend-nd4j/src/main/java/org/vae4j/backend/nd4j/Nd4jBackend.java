package org.vae4j.backend.nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * The tensor SPI on ND4J's native CPU kernels (nd4j-native with OpenBLAS), float32 only.
 *
 * <p><b>Threads.</b> On small machines ND4J's OpenMP threads and OpenBLAS's threads spin against
 * each other and make a matrix product interleaved with small ops many times slower. The process
 * must therefore start with the environment variable {@code OMP_NUM_THREADS=1} (the {@code vae4j}
 * launcher and the build's test runner set it; it cannot be changed once the JVM runs); this
 * backend then gives OpenBLAS one thread fewer than {@link BackendConfig#threads()} for matrix
 * products (the other is the {@link org.vae4j.tensor.Parallel} worker, which updates parameters
 * beside the backward pass), while ND4J's own elementwise kernels run on one thread. Without the variable the backend still works,
 * slowly, and logs one warning saying how to fix it.
 *
 * <p><b>Logging.</b> ND4J and JavaCPP log through SLF4J (the provider routes JavaCPP there unless
 * {@code org.bytedeco.javacpp.logger} is set). A program should set the loggers {@code org.nd4j}
 * to WARN and {@code org.bytedeco} to ERROR, or start-up prints about ten INFO lines and a
 * JavaCPP version warning.
 *
 * <p><b>Memory.</b> Every {@link TensorScope} gets an ND4J workspace (see {@link Nd4jWorkspaces}),
 * so a loop of one scope per step reuses one block of native memory instead of growing; a tensor
 * made outside any scope has its own buffer that {@link Tensor#close()} frees at once. ND4J's
 * per-array bookkeeping is freed only by garbage collection, so every {@value #DEFAULT_GC_EVERY}
 * tensors (system property {@value #GC_EVERY_PROPERTY}; 0 = never) the backend requests one when
 * the outermost scope closes.
 */
public final class Nd4jBackend extends Backend {

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jBackend.class);

    /** The system property that sets how many tensors pass between requested collections. */
    public static final String GC_EVERY_PROPERTY = "vae4j.nd4j.gcEveryTensors";
    private static final long DEFAULT_GC_EVERY = 50_000;

    private final int threads;
    private final Nd4jWorkspaces workspaces;

    Nd4jBackend(BackendConfig config) {
        super("nd4j");
        this.threads = config.threads();
        this.workspaces = new Nd4jWorkspaces(Long.getLong(GC_EVERY_PROPERTY, DEFAULT_GC_EVERY));
        String omp = System.getenv("OMP_NUM_THREADS");
        if (!"1".equals(omp == null ? null : omp.trim())) {
            LOG.warn("nd4j backend: OMP_NUM_THREADS is {}; ND4J runs many times slower unless the"
                    + " environment has OMP_NUM_THREADS=1 before Java starts (the vae4j launcher"
                    + " sets it)", omp == null ? "unset" : "'" + omp + "'");
        }
        Nd4j.factory().blas().setMaxThreads(blasThreads(threads));
    }

    /** Loads ND4J's native library; throws whatever the loader throws. */
    static void loadNatives() {
        Nd4j.getBackend();
        Nd4j.scalar(0f).close();
    }

    @Override
    public int threads() {
        return threads;
    }

    /**
     * OpenBLAS's share of the threads: all but the Parallel worker's. On 2 cores a second
     * OpenBLAS thread beside the worker made an epoch 4.96 s instead of 3.43 s.
     */
    static int blasThreads(int threads) {
        return Math.max(1, threads - 1);
    }

    @Override
    public String describe() {
        return "nd4j: ND4J native CPU kernels, " + Nd4j.factory().blas().getBlasVendor() + " with "
                + blasThreads(threads) + " thread(s)" + (threads > 1 ? " and a vae4j worker" : "")
                + ", a workspace per scope";
    }

    // ---------------------------------------------------------------- handles

    private static INDArray in(Tensor t) {
        return ((Nd4jTensor) t).array();
    }

    private static long[] dims(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.dim(i);
        }
        return d;
    }

    /** Wraps a kernel's fresh array, viewing it in {@code shape} if ND4J chose another form. */
    private Tensor wrap(INDArray storage, Shape shape) {
        long[] want = dims(shape);
        INDArray array = Arrays.equals(storage.shape(), want) ? storage
                : storage.reshape('c', want);
        Nd4jTensor t = new Nd4jTensor(this, shape, array, storage);
        workspaces.created(t);
        return t;
    }

    @Override
    protected void scopeOpened(TensorScope scope) {
        workspaces.opened(scope);
    }

    @Override
    protected void scopeClosed(TensorScope scope) {
        workspaces.closed(scope);
    }

    // ---------------------------------------------------------------- kernels

    @Override
    protected Tensor uploadKernel(float[] data, Shape shape) {
        return wrap(Nd4jKernels.upload(data, dims(shape)), shape);
    }

    @Override
    protected float[] downloadKernel(Tensor t) {
        return Nd4jKernels.download(in(t));
    }

    @Override
    protected Tensor fullKernel(Shape shape, float value) {
        return wrap(Nd4jKernels.full(dims(shape), value), shape);
    }

    @Override
    protected Tensor unaryKernel(UnaryOp op, Tensor x) {
        return wrap(Nd4jKernels.unary(op, in(x)), x.shape());
    }

    @Override
    protected Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return wrap(Nd4jKernels.binary(op, in(a), in(b), dims(out)), out);
    }

    @Override
    protected Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, Shape out) {
        return wrap(Nd4jKernels.reduce(op, in(x), axes, dims(out)), out);
    }

    @Override
    protected Tensor argReduceKernel(ArgOp op, Tensor x, int axis, Shape out) {
        return wrap(Nd4jKernels.argReduce(op, in(x), axis), out);
    }

    @Override
    protected Tensor matmulKernel(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        return wrap(Nd4jKernels.matmul(in(a), transA, in(b), transB, dims(out)), out);
    }

    @Override
    protected Tensor reshapeKernel(Tensor x, Shape shape) {
        return wrap(Nd4jKernels.copy(in(x)), shape);
    }

    @Override
    protected Tensor transposeKernel(Tensor x, int[] perm, Shape out) {
        return wrap(Nd4jKernels.transpose(in(x), perm), out);
    }

    @Override
    protected Tensor sliceKernel(Tensor x, int axis, int start, int end, Shape out) {
        return wrap(Nd4jKernels.slice(in(x), axis, start, end, dims(out)), out);
    }

    @Override
    protected Tensor stridedSliceKernel(Tensor x, int[] start, int[] step, Shape out) {
        return wrap(Nd4jKernels.stridedSlice(in(x), start, step, dims(out)), out);
    }

    @Override
    protected Tensor padKernel(Tensor x, int[] before, int[] after, float value, Shape out) {
        return wrap(Nd4jKernels.pad(in(x), before, after, value, dims(out)), out);
    }

    @Override
    protected Tensor broadcastToKernel(Tensor x, Shape out) {
        return wrap(Nd4jKernels.broadcastTo(in(x), dims(out)), out);
    }

    @Override
    protected Tensor concatKernel(List<Tensor> xs, int axis, Shape out) {
        List<INDArray> arrays = new ArrayList<>(xs.size());
        for (Tensor x : xs) {
            arrays.add(in(x));
        }
        return wrap(Nd4jKernels.concat(arrays, axis, dims(out)), out);
    }

    @Override
    protected Tensor gatherRowsKernel(Tensor x, int[] rows, Shape out) {
        return wrap(Nd4jKernels.gatherRows(in(x), rows, dims(out)), out);
    }

    @Override
    protected Tensor scatterAddRowsKernel(Tensor src, int[] rows, Shape out) {
        return wrap(Nd4jKernels.scatterAddRows(in(src), rows, out.dim(0)), out);
    }

    @Override
    protected Tensor oneHotKernel(int[] labels, int classes) {
        return wrap(Nd4jKernels.oneHot(labels, classes), Shape.of(labels.length, classes));
    }

    @Override
    protected Tensor linearKernel(Tensor x, Tensor w, Tensor b) {
        return wrap(Nd4jKernels.linear(in(x), in(w), in(b)),
                Shape.of(x.shape().dim(0), w.shape().dim(1)));
    }

    @Override
    protected Tensor linearReluKernel(Tensor x, Tensor w, Tensor b) {
        return wrap(Nd4jKernels.linearRelu(in(x), in(w), in(b)),
                Shape.of(x.shape().dim(0), w.shape().dim(1)));
    }

    /**
     * In place when core allows it: the parameter and moments keep their buffers, so nothing is
     * allocated and nothing has to be moved out of the step's workspace when it closes.
     */
    @Override
    protected AdamStep.Result adamUpdateKernel(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        if (inPlace && Nd4jKernels.adamUpdateInPlace(in(param), in(grad), in(m), in(v), step,
                threads)) {
            return new AdamStep.Result(param, m, v);
        }
        return super.adamUpdateKernel(param, grad, m, v, step, inPlace);
    }
}
