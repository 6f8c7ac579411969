package org.vae4j.tensor;


import java.util.List;

/**
 * The reference backend's core kernels: plain loops in double precision, rounded once to float
 * (see {@link ReferenceBackend}). They make their tensors for the backend they were created for.
 */
final class ReferenceKernels implements CoreKernels {

    private final Backend owner;

    ReferenceKernels(Backend owner) {
        this.owner = owner;
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
        return new RefTensor(owner, shape, data);
    }

    @Override
    public Tensor upload(float[] data, Shape shape) {
        return of(shape, data.clone());
    }

    @Override
    public float[] download(Tensor t) {
        return data(t).clone();
    }

    @Override
    public Tensor full(Shape shape, float value) {
        float[] d = new float[shape.size()];
        java.util.Arrays.fill(d, value);
        return of(shape, d);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        float[] in = data(x);
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) op.apply(in[i]);
        }
        return of(x.shape(), out);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
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
            r[i] = (float) op.apply(da[oa], db[ob]);
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
    public Tensor reduce(ReduceOp op, Tensor x, int[] axes, Shape out) {
        Shape keep = CoreSpecs.reduced(x.shape(), axes, true);
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
    public Tensor argReduce(ArgOp op, Tensor x, int axis, Shape out) {
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
    public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Shape out) {
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
    public Tensor reshape(Tensor x, Shape shape) {
        return of(shape, data(x).clone());
    }

    @Override
    public Tensor transpose(Tensor x, int[] perm, Shape out) {
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
    public Tensor slice(Tensor x, int axis, int start, int end, Shape out) {
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
    public Tensor stridedSlice(Tensor x, int[] start, int[] step, Shape out) {
        return of(out, RowMajorKernels.stridedSlice(data(x), x.shape(), start, step, out));
    }

    @Override
    public Tensor pad(Tensor x, int[] before, int[] after, float value, Shape out) {
        return of(out, RowMajorKernels.pad(data(x), x.shape(), before, value, out));
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape out) {
        return of(out, RowMajorKernels.broadcastTo(data(x), x.shape(), out));
    }

    @Override
    public Tensor concat(List<Tensor> xs, int axis, Shape out) {
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
    public Tensor gatherRows(Tensor x, int[] rows, Shape out) {
        int row = x.size() / x.shape().dim(0);
        float[] r = new float[out.size()];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(data(x), rows[i] * row, r, i * row, row);
        }
        return of(out, r);
    }

    @Override
    public Tensor scatterAddRows(Tensor src, int[] rows, Shape out) {
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
    public Tensor oneHot(int[] labels, int classes) {
        float[] r = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            r[i * classes + labels[i]] = 1f;
        }
        return of(Shape.of(labels.length, classes), r);
    }
}
