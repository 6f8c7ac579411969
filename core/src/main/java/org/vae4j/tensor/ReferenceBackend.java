package org.vae4j.tensor;

import java.util.List;

/**
 * The executable specification of the tensor SPI: every primitive as a plain loop computed in
 * double precision and rounded once to float, so what an op means is what this class computes
 * (e.g. ARGMIN ties go to the lowest index, MAX and MIN propagate NaN, STEP(x) is x &gt; 0 ? 1 : 0,
 * SOFTPLUS, LOG_SIGMOID and SIGMOID are computed stably).
 *
 * <p>It is the oracle that the conformance kit, the cross-backend consistency tests and
 * {@code vae4j backends --check} compare every real backend against, and the backend core's own
 * tests run on. It is slow (a 784x400 product is a triple loop) and is deliberately not registered
 * as a {@link BackendProvider}: construct it directly with {@code new ReferenceBackend()}.
 */
public final class ReferenceBackend extends Backend {

    private final int threads;

    /** Creates the oracle; it holds no native state, so any number may coexist. */
    public ReferenceBackend() {
        this(1);
    }

    /**
     * The oracle with {@code threads} for {@link #threads()}: from 2 on, what runs beside the
     * caller (an optimizer's updates during the backward pass) runs so here too, which lets
     * tests compare it with the one-thread order of work.
     */
    public ReferenceBackend(int threads) {
        super("reference");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public int threads() {
        return threads;
    }

    /** The reference tensor: a float array on the heap. */
    static final class RefTensor extends Tensor {
        final float[] data;

        RefTensor(Backend backend, Shape shape, float[] data) {
            super(backend, shape);
            this.data = data;
        }

        @Override
        protected void release() {
        }
    }

    private static float[] data(Tensor t) {
        return ((RefTensor) t).data;
    }

    private Tensor of(Shape shape, float[] data) {
        return new RefTensor(this, shape, data);
    }

    /** The exact function each unary op stands for, in double precision. */
    public static double apply(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0.0);
            case SOFTPLUS -> Double.isNaN(x) ? x : Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case LOG_SIGMOID -> Double.isNaN(x) ? x : Math.min(x, 0.0) - Math.log1p(Math.exp(-Math.abs(x)));
            case STEP -> x > 0 ? 1.0 : 0.0;
            case SIGN -> Double.isNaN(x) ? x : Math.signum(x);
        };
    }

    /** The exact function each binary op stands for, in double precision. */
    public static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GREATER -> a > b ? 1.0 : 0.0;
            case EQUAL -> a == b ? 1.0 : 0.0;
        };
    }

    @Override
    protected Tensor uploadKernel(float[] data, Shape shape) {
        return of(shape, data.clone());
    }

    @Override
    protected float[] downloadKernel(Tensor t) {
        return data(t).clone();
    }

    @Override
    protected Tensor fullKernel(Shape shape, float value) {
        float[] d = new float[shape.size()];
        java.util.Arrays.fill(d, value);
        return of(shape, d);
    }

    @Override
    protected Tensor unaryKernel(UnaryOp op, Tensor x) {
        float[] in = data(x);
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) apply(op, in[i]);
        }
        return of(x.shape(), out);
    }

    @Override
    protected Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        float[] da = data(a);
        float[] db = data(b);
        int[] sa = broadcastStrides(a.shape(), out);
        int[] sb = broadcastStrides(b.shape(), out);
        int[] dims = out.dims();
        float[] r = new float[out.size()];
        int[] idx = new int[dims.length];
        for (int i = 0; i < r.length; i++) {
            int oa = 0;
            int ob = 0;
            for (int k = 0; k < dims.length; k++) {
                oa += idx[k] * sa[k];
                ob += idx[k] * sb[k];
            }
            r[i] = (float) apply(op, da[oa], db[ob]);
            increment(idx, dims);
        }
        return of(out, r);
    }

    /** Strides of {@code s} aligned to {@code out}'s rank, 0 along broadcast axes. */
    static int[] broadcastStrides(Shape s, Shape out) {
        int[] strides = s.strides();
        int[] r = new int[out.rank()];
        int offset = out.rank() - s.rank();
        for (int k = 0; k < s.rank(); k++) {
            r[k + offset] = s.dim(k) == 1 ? 0 : strides[k];
        }
        return r;
    }

    static void increment(int[] idx, int[] dims) {
        for (int k = dims.length - 1; k >= 0; k--) {
            if (++idx[k] < dims[k]) {
                return;
            }
            idx[k] = 0;
        }
    }

    @Override
    protected Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, Shape out) {
        Shape keep = Backend.reducedShape(x.shape(), axes, true);
        double[] acc = new double[keep.size()];
        if (op == ReduceOp.MAX) {
            java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        }
        int[] ks = broadcastStrides(keep, x.shape());
        int[] dims = x.shape().dims();
        int[] idx = new int[dims.length];
        float[] in = data(x);
        for (int i = 0; i < in.length; i++) {
            int o = 0;
            for (int k = 0; k < dims.length; k++) {
                o += idx[k] * ks[k];
            }
            double v = in[i];
            if (op == ReduceOp.MAX) {
                acc[o] = Double.isNaN(v) || Double.isNaN(acc[o]) ? Double.NaN : Math.max(acc[o], v);
            } else {
                acc[o] += v;
            }
            increment(idx, dims);
        }
        int count = x.size() / keep.size();
        float[] r = new float[acc.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (op == ReduceOp.MEAN ? acc[i] / count : acc[i]);
        }
        return of(out, r);
    }

    @Override
    protected Tensor argReduceKernel(ArgOp op, Tensor x, int axis, Shape out) {
        int[] dims = x.shape().dims();
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= dims[k];
        }
        int n = dims[axis];
        int inner = x.size() / outer / n;
        float[] in = data(x);
        float[] r = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                float bestV = in[o * n * inner + i];
                for (int j = 1; j < n; j++) {
                    float v = in[(o * n + j) * inner + i];
                    if (op == ArgOp.ARGMIN ? v < bestV : v > bestV) {
                        best = j;
                        bestV = v;
                    }
                }
                r[o * inner + i] = best;
            }
        }
        return of(out, r);
    }

    @Override
    protected Tensor matmulKernel(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
        float[] da = data(a);
        float[] db = data(b);
        int m = out.dim(0);
        int n = out.dim(1);
        int k = a.shape().dim(transA ? 0 : 1);
        int lda = a.shape().dim(1);
        int ldb = b.shape().dim(1);
        float[] r = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double va = transA ? da[p * lda + i] : da[i * lda + p];
                    double vb = transB ? db[j * ldb + p] : db[p * ldb + j];
                    s += va * vb;
                }
                r[i * n + j] = (float) s;
            }
        }
        return of(out, r);
    }

    @Override
    protected Tensor reshapeKernel(Tensor x, Shape shape) {
        return of(shape, data(x).clone());
    }

    @Override
    protected Tensor transposeKernel(Tensor x, int[] perm, Shape out) {
        int[] inStrides = x.shape().strides();
        int[] dims = out.dims();
        int[] idx = new int[dims.length];
        float[] in = data(x);
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int o = 0;
            for (int k = 0; k < dims.length; k++) {
                o += idx[k] * inStrides[perm[k]];
            }
            r[i] = in[o];
            increment(idx, dims);
        }
        return of(out, r);
    }

    @Override
    protected Tensor sliceKernel(Tensor x, int axis, int start, int end, Shape out) {
        int[] dims = out.dims();
        int[] inStrides = x.shape().strides();
        int[] idx = new int[dims.length];
        float[] in = data(x);
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int o = 0;
            for (int k = 0; k < dims.length; k++) {
                o += (idx[k] + (k == axis ? start : 0)) * inStrides[k];
            }
            r[i] = in[o];
            increment(idx, dims);
        }
        return of(out, r);
    }

    @Override
    protected Tensor stridedSliceKernel(Tensor x, int[] start, int[] step, Shape out) {
        return of(out, RowMajorKernels.stridedSlice(data(x), x.shape(), start, step, out));
    }

    @Override
    protected Tensor padKernel(Tensor x, int[] before, int[] after, float value, Shape out) {
        return of(out, RowMajorKernels.pad(data(x), x.shape(), before, value, out));
    }

    @Override
    protected Tensor broadcastToKernel(Tensor x, Shape out) {
        return of(out, RowMajorKernels.broadcastTo(data(x), x.shape(), out));
    }

    @Override
    protected Tensor concatKernel(List<Tensor> xs, int axis, Shape out) {
        int[] dims = out.dims();
        int[] idx = new int[dims.length];
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int along = idx[axis];
            Tensor src = null;
            for (Tensor x : xs) {
                int n = x.shape().dim(axis);
                if (along < n) {
                    src = x;
                    break;
                }
                along -= n;
            }
            int[] strides = src.shape().strides();
            int o = 0;
            for (int k = 0; k < dims.length; k++) {
                o += (k == axis ? along : idx[k]) * strides[k];
            }
            r[i] = data(src)[o];
            increment(idx, dims);
        }
        return of(out, r);
    }

    @Override
    protected Tensor gatherRowsKernel(Tensor x, int[] rows, Shape out) {
        int row = x.size() / x.shape().dim(0);
        float[] r = new float[out.size()];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(data(x), rows[i] * row, r, i * row, row);
        }
        return of(out, r);
    }

    @Override
    protected Tensor scatterAddRowsKernel(Tensor src, int[] rows, Shape out) {
        int row = src.size() / rows.length;
        double[] acc = new double[out.size()];
        float[] in = data(src);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < row; j++) {
                acc[rows[i] * row + j] += in[i * row + j];
            }
        }
        float[] r = new float[acc.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) acc[i];
        }
        return of(out, r);
    }

    @Override
    protected Tensor oneHotKernel(int[] labels, int classes) {
        float[] r = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            r[i * classes + labels[i]] = 1f;
        }
        return of(Shape.of(labels.length, classes), r);
    }
}
