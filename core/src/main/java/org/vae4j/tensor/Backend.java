package org.vae4j.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tensor backend: the small set of primitive kernels every model is written against.
 *
 * <p>The public methods are the API. They check their arguments once, here in core (shapes,
 * broadcasting, axes, indices, that every tensor belongs to this backend and is open), handle
 * empty results, and only then call the backend's {@code protected} kernel. A backend therefore
 * implements only the {@code *Kernel} methods and may assume valid arguments and a non-empty
 * result; it never infers shapes and never records gradients (autodiff lives in core).
 *
 * <p>Composite operations ({@link #linear}, {@link #logSumExp}, {@link #softmax}, ...) are defined
 * once in {@link Composites} from primitives. A backend may override the matching {@code *Kernel}
 * to fuse them (it is never called with an empty input); the conformance kit checks every
 * override against the definition, and the system property {@code vae4j.forceComposite=true}
 * makes every backend use the definitions.
 *
 * <p>Kernels are pure: they return a new tensor and never change their inputs. A returned tensor
 * may share storage with an input only if closing either leaves the other valid.
 */
public abstract class Backend {

    private final String name;
    private final boolean forceComposite;
    private final AtomicLong liveTensors = new AtomicLong();

    protected Backend(String name) {
        this.name = name;
        this.forceComposite = Boolean.getBoolean("vae4j.forceComposite");
    }

    /** The backend's registry name, e.g. {@code ejml}. */
    public final String name() {
        return name;
    }

    /** One line about the library and its settings, for {@code vae4j backends}. */
    public String describe() {
        return name;
    }

    /** Whether composite ops bypass the backend's fused kernels ({@code vae4j.forceComposite}). */
    public final boolean forcesComposite() {
        return forceComposite;
    }

    /** Tensors created by this backend and not yet closed; leak tests watch it return to its start. */
    public final long liveTensors() {
        return liveTensors.get();
    }

    /** Opens a scope that closes the tensors created on this thread until it closes. */
    public final TensorScope newScope() {
        return new TensorScope(this);
    }

    final void created(Tensor t) {
        liveTensors.incrementAndGet();
    }

    final void released(Tensor t) {
        liveTensors.decrementAndGet();
    }

    /** Called when a scope of this backend opens (e.g. to open a native workspace). */
    protected void scopeOpened(TensorScope scope) {
    }

    /** Called after a scope of this backend has closed its tensors. */
    protected void scopeClosed(TensorScope scope) {
    }

    @Override
    public String toString() {
        return name + " backend";
    }

    // ---------------------------------------------------------------- transfer

    /** A tensor holding a copy of {@code data} (row-major) with the given shape. */
    public final Tensor fromArray(float[] data, Shape shape) {
        if (data == null) {
            throw new IllegalArgumentException("fromArray: data is null");
        }
        if (data.length != shape.size()) {
            throw new ShapeException("fromArray: " + data.length + " values do not fill shape "
                    + shape + " of " + shape.size() + " elements");
        }
        return uploadKernel(data, shape);
    }

    /** A tensor holding a copy of {@code data} with the given dimensions. */
    public final Tensor fromArray(float[] data, int... dims) {
        return fromArray(data, Shape.of(dims));
    }

    /** A rank-0 tensor. */
    public final Tensor scalar(float value) {
        return fullKernel(Shape.scalar(), value);
    }

    /** Copies a tensor's values to a new row-major array. */
    public final float[] toArray(Tensor t) {
        own("toArray", t);
        if (t.size() == 0) {
            return new float[0];
        }
        return downloadKernel(t);
    }

    /** A tensor of the given shape with every element {@code value}. */
    public final Tensor full(Shape shape, float value) {
        return fullKernel(shape, value);
    }

    public final Tensor zeros(Shape shape) {
        return fullKernel(shape, 0f);
    }

    public final Tensor ones(Shape shape) {
        return fullKernel(shape, 1f);
    }

    // ---------------------------------------------------------------- elementwise

    /** {@code op(x)} elementwise. */
    public final Tensor unary(UnaryOp op, Tensor x) {
        own(opName(op), x);
        if (x.size() == 0) {
            return zeros(x.shape());
        }
        return checked(opName(op), unaryKernel(op, x), x.shape());
    }

    /** {@code op(a, b)} elementwise with NumPy broadcasting. */
    public final Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = opName(op);
        own(name, a);
        own(name, b);
        Shape out = Shape.broadcast(name, a.shape(), b.shape());
        if (out.size() == 0) {
            return zeros(out);
        }
        return checked(name, binaryKernel(op, a, b, out), out);
    }

    public final Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public final Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public final Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public final Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Reduces over {@code axes} (all axes when none are given). Negative axes count from the end.
     * With {@code keepDims} the reduced axes stay as size 1, so the result broadcasts against x.
     */
    public final Tensor reduce(ReduceOp op, Tensor x, boolean keepDims, int... axes) {
        String name = opName(op);
        own(name, x);
        int[] sorted = normalizeAxes(name, x.shape(), axes);
        Shape out = reducedShape(x.shape(), sorted, keepDims);
        if (sorted.length == 0) {
            return reshape(x, out);
        }
        if (out.size() == 0) {
            return zeros(out);
        }
        if (x.size() == 0) {
            return full(out, switch (op) {
                case SUM -> 0f;
                case MEAN -> Float.NaN;
                case MAX -> Float.NEGATIVE_INFINITY;
            });
        }
        return checked(name, reduceKernel(op, x, sorted, out), out);
    }

    public final Tensor sum(Tensor x, boolean keepDims, int... axes) {
        return reduce(ReduceOp.SUM, x, keepDims, axes);
    }

    public final Tensor mean(Tensor x, boolean keepDims, int... axes) {
        return reduce(ReduceOp.MEAN, x, keepDims, axes);
    }

    /** The index (as a float) of the smallest or largest value along {@code axis}; ties go low. */
    public final Tensor argReduce(ArgOp op, Tensor x, int axis) {
        String name = opName(op);
        own(name, x);
        int a = x.shape().normalizeAxis(axis);
        if (x.shape().dim(a) == 0) {
            throw new ShapeException(name + ": axis " + axis + " of shape " + x.shape()
                    + " is empty; there is no " + (op == ArgOp.ARGMIN ? "minimum" : "maximum"));
        }
        Shape out = reducedShape(x.shape(), new int[] {a}, false);
        if (out.size() == 0) {
            return zeros(out);
        }
        return checked(name, argReduceKernel(op, x, a, out), out);
    }

    // ---------------------------------------------------------------- matmul

    /** The 2-D product {@code op(a)·op(b)} where {@code op} transposes when its flag is set. */
    public final Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        own("matmul", a);
        own("matmul", b);
        if (a.shape().rank() != 2 || b.shape().rank() != 2) {
            throw new ShapeException("matmul: expects 2-D tensors, got " + a.shape() + " and "
                    + b.shape());
        }
        int m = a.shape().dim(transA ? 1 : 0);
        int ka = a.shape().dim(transA ? 0 : 1);
        int kb = b.shape().dim(transB ? 1 : 0);
        int n = b.shape().dim(transB ? 0 : 1);
        if (ka != kb) {
            throw new ShapeException("matmul: " + describeOperand(a.shape(), transA) + "·"
                    + describeOperand(b.shape(), transB) + ": inner sizes " + ka + " and " + kb
                    + " differ");
        }
        Shape out = Shape.of(m, n);
        if (out.size() == 0) {
            return zeros(out);
        }
        if (ka == 0) {
            return zeros(out);
        }
        return checked("matmul", matmulKernel(a, transA, b, transB, out), out);
    }

    public final Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, false, b, false);
    }

    // ---------------------------------------------------------------- movement

    /** The same values in a new shape of the same size. */
    public final Tensor reshape(Tensor x, Shape shape) {
        own("reshape", x);
        if (shape.size() != x.size()) {
            throw new ShapeException("reshape: cannot reshape " + x.shape() + " ("
                    + x.size() + " elements) to " + shape + " (" + shape.size() + " elements)");
        }
        if (shape.size() == 0) {
            return zeros(shape);
        }
        return checked("reshape", reshapeKernel(x, shape), shape);
    }

    /** Permutes the axes: result axis {@code i} is input axis {@code perm[i]}. */
    public final Tensor transpose(Tensor x, int... perm) {
        own("transpose", x);
        int rank = x.shape().rank();
        if (perm.length != rank) {
            throw new ShapeException("transpose: permutation " + Arrays.toString(perm)
                    + " has " + perm.length + " axes but the tensor " + x.shape() + " has "
                    + rank);
        }
        boolean[] seen = new boolean[rank];
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int p = perm[i];
            if (p < 0 || p >= rank || seen[p]) {
                throw new ShapeException("transpose: " + Arrays.toString(perm)
                        + " is not a permutation of the axes 0.." + (rank - 1));
            }
            seen[p] = true;
            out[i] = x.shape().dim(p);
        }
        Shape outShape = Shape.of(out);
        if (outShape.size() == 0) {
            return zeros(outShape);
        }
        return checked("transpose", transposeKernel(x, perm.clone(), outShape), outShape);
    }

    /** The 2-D transpose. */
    public final Tensor transpose(Tensor x) {
        if (x.shape().rank() != 2) {
            throw new ShapeException("transpose: without a permutation expects a 2-D tensor, got "
                    + x.shape());
        }
        return transpose(x, 1, 0);
    }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}. */
    public final Tensor slice(Tensor x, int axis, int start, int end) {
        own("slice", x);
        int a = x.shape().normalizeAxis(axis);
        int n = x.shape().dim(a);
        if (start < 0 || end > n || start > end) {
            throw new ShapeException("slice: range [" + start + ", " + end + ") is outside axis "
                    + axis + " of shape " + x.shape() + " (0 <= start <= end <= " + n + ")");
        }
        Shape out = x.shape().withDim(a, end - start);
        if (out.size() == 0) {
            return zeros(out);
        }
        return checked("slice", sliceKernel(x, a, start, end, out), out);
    }

    /** Joins tensors along {@code axis}; every other dimension must agree. */
    public final Tensor concat(int axis, List<Tensor> xs) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        for (Tensor x : xs) {
            own("concat", x);
        }
        Shape first = xs.get(0).shape();
        int a = first.normalizeAxis(axis);
        int total = 0;
        for (Tensor x : xs) {
            Shape s = x.shape();
            boolean fits = s.rank() == first.rank();
            for (int i = 0; fits && i < s.rank(); i++) {
                fits = i == a || s.dim(i) == first.dim(i);
            }
            if (!fits) {
                throw new ShapeException("concat: shapes " + first + " and " + s
                        + " differ outside axis " + axis);
            }
            total += s.dim(a);
        }
        Shape out = first.withDim(a, total);
        if (out.size() == 0) {
            return zeros(out);
        }
        List<Tensor> nonEmpty = xs.stream().filter(x -> x.size() > 0).toList();
        if (nonEmpty.size() == 1) {
            return reshape(nonEmpty.get(0), out);
        }
        return checked("concat", concatKernel(nonEmpty, a, out), out);
    }

    public final Tensor concat(int axis, Tensor... xs) {
        return concat(axis, List.of(xs));
    }

    /** Rows {@code rows[i]} of {@code x} (along axis 0), in that order; rows may repeat. */
    public final Tensor gatherRows(Tensor x, int[] rows) {
        own("gatherRows", x);
        if (x.shape().rank() < 1) {
            throw new ShapeException("gatherRows: expects a tensor of rank >= 1, got a scalar");
        }
        checkIndices("gatherRows", rows, x.shape().dim(0), "rows of " + x.shape());
        Shape out = x.shape().withDim(0, rows.length);
        if (out.size() == 0) {
            return zeros(out);
        }
        return checked("gatherRows", gatherRowsKernel(x, rows.clone(), out), out);
    }

    /**
     * A tensor of {@code numRows} rows, zero except that row {@code i} of {@code src} is added to
     * row {@code rows[i]} (repeated rows accumulate). The gradient of {@link #gatherRows}.
     */
    public final Tensor scatterAddRows(Tensor src, int[] rows, int numRows) {
        own("scatterAddRows", src);
        if (src.shape().rank() < 1 || src.shape().dim(0) != rows.length) {
            throw new ShapeException("scatterAddRows: source " + src.shape() + " must have one row"
                    + " per index (" + rows.length + " indices)");
        }
        checkIndices("scatterAddRows", rows, numRows, "the " + numRows + " output rows");
        Shape out = src.shape().withDim(0, numRows);
        if (out.size() == 0) {
            return zeros(out);
        }
        if (rows.length == 0 || src.size() == 0) {
            return zeros(out);
        }
        return checked("scatterAddRows", scatterAddRowsKernel(src, rows.clone(), out), out);
    }

    /** A {@code (labels.length x classes)} matrix with a 1 at each label's column. */
    public final Tensor oneHot(int[] labels, int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("oneHot: classes must be positive, got " + classes);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("oneHot: label " + labels[i] + " at position "
                        + i + " is outside 0.." + (classes - 1));
            }
        }
        Shape out = Shape.of(labels.length, classes);
        if (out.size() == 0) {
            return zeros(out);
        }
        return checked("oneHot", oneHotKernel(labels.clone(), classes), out);
    }

    // ---------------------------------------------------------------- composites

    /** {@code x·w + b} for x {@code (n x in)}, w {@code (in x out)}, b {@code (out)}. */
    public final Tensor linear(Tensor x, Tensor w, Tensor b) {
        own("linear", x);
        own("linear", w);
        own("linear", b);
        Composites.checkLinear(x.shape(), w.shape(), b.shape());
        return forceComposite || anyEmpty(x, w, b) ? Composites.linear(this, x, w, b)
                : linearKernel(x, w, b);
    }

    /** {@code log(sum(exp(x)))} along {@code axis}, stable for large values. */
    public final Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        own("logSumExp", x);
        int a = x.shape().normalizeAxis(axis);
        return forceComposite || anyEmpty(x) ? Composites.logSumExp(this, x, a, keepDims)
                : logSumExpKernel(x, a, keepDims);
    }

    /** {@code exp(x) / sum(exp(x))} along {@code axis}, stable for large values. */
    public final Tensor softmax(Tensor x, int axis) {
        own("softmax", x);
        int a = x.shape().normalizeAxis(axis);
        return forceComposite || anyEmpty(x) ? Composites.softmax(this, x, a)
                : softmaxKernel(x, a);
    }

    /**
     * Squared Euclidean distances between the rows of {@code x (n x d)} and of
     * {@code codes (k x d)}: an {@code (n x k)} matrix. VQ-VAE's nearest-code search.
     */
    public final Tensor squaredDistances(Tensor x, Tensor codes) {
        own("squaredDistances", x);
        own("squaredDistances", codes);
        Composites.checkSquaredDistances(x.shape(), codes.shape());
        return forceComposite || anyEmpty(x, codes) ? Composites.squaredDistances(this, x, codes)
                : squaredDistancesKernel(x, codes);
    }

    /** Composites of empty tensors take the definition, so fused kernels never see them. */
    private static boolean anyEmpty(Tensor... ts) {
        for (Tensor t : ts) {
            if (t.size() == 0) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- kernels: the SPI

    /** A tensor holding a copy of {@code data}; {@code data.length == shape.size()}. */
    protected abstract Tensor uploadKernel(float[] data, Shape shape);

    /** The values of a non-empty tensor of this backend, row-major. */
    protected abstract float[] downloadKernel(Tensor t);

    /** A tensor of any shape (empty too) filled with {@code value}. */
    protected abstract Tensor fullKernel(Shape shape, float value);

    protected abstract Tensor unaryKernel(UnaryOp op, Tensor x);

    /** {@code out} is the broadcast shape of a and b. */
    protected abstract Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out);

    /**
     * {@code axes} are distinct, sorted, non-empty; {@code out} is the result shape (reduced axes
     * removed, or kept as 1; the row-major order of the values is the same either way).
     */
    protected abstract Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, Shape out);

    protected abstract Tensor argReduceKernel(ArgOp op, Tensor x, int axis, Shape out);

    /** Inner sizes agree and are positive; {@code out} is {@code (m x n)}. */
    protected abstract Tensor matmulKernel(Tensor a, boolean transA, Tensor b, boolean transB,
            Shape out);

    protected abstract Tensor reshapeKernel(Tensor x, Shape shape);

    protected abstract Tensor transposeKernel(Tensor x, int[] perm, Shape out);

    protected abstract Tensor sliceKernel(Tensor x, int axis, int start, int end, Shape out);

    /** At least two non-empty tensors that agree outside {@code axis}. */
    protected abstract Tensor concatKernel(List<Tensor> xs, int axis, Shape out);

    /** Indices are in range. */
    protected abstract Tensor gatherRowsKernel(Tensor x, int[] rows, Shape out);

    /** Indices are in range; {@code out} has {@code numRows} rows. */
    protected abstract Tensor scatterAddRowsKernel(Tensor src, int[] rows, Shape out);

    /** Labels are in range. */
    protected abstract Tensor oneHotKernel(int[] labels, int classes);

    /** Override to fuse; the default is {@link Composites#linear}. */
    protected Tensor linearKernel(Tensor x, Tensor w, Tensor b) {
        return Composites.linear(this, x, w, b);
    }

    /** Override to fuse; the default is {@link Composites#logSumExp}. */
    protected Tensor logSumExpKernel(Tensor x, int axis, boolean keepDims) {
        return Composites.logSumExp(this, x, axis, keepDims);
    }

    /** Override to fuse; the default is {@link Composites#softmax}. */
    protected Tensor softmaxKernel(Tensor x, int axis) {
        return Composites.softmax(this, x, axis);
    }

    /** Override to fuse; the default is {@link Composites#squaredDistances}. */
    protected Tensor squaredDistancesKernel(Tensor x, Tensor codes) {
        return Composites.squaredDistances(this, x, codes);
    }

    // ---------------------------------------------------------------- checks, once

    /** Throws unless {@code t} is an open tensor of this backend. */
    protected final void own(String op, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": tensor is null");
        }
        if (t.backend() != this) {
            throw new BackendMismatchException(op + ": a " + t.backend().name() + " tensor "
                    + t.shape() + " was passed to the " + name + " backend; tensors cannot mix"
                    + " backends (copy it with Tensors.copy(tensor, backend))");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": tensor " + t.shape()
                    + " is closed (was it created in a TensorScope that has closed?)");
        }
    }

    private Tensor checked(String op, Tensor result, Shape expected) {
        if (!result.shape().equals(expected)) {
            throw new IllegalStateException(name + " backend bug: " + op + " returned shape "
                    + result.shape() + ", expected " + expected);
        }
        return result;
    }

    private static String opName(Enum<?> op) {
        String[] words = op.name().toLowerCase().split("_");
        StringBuilder sb = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return sb.toString();
    }

    private static String describeOperand(Shape s, boolean transposed) {
        return "(" + s.dim(0) + "x" + s.dim(1) + ")" + (transposed ? "ᵀ" : "");
    }

    private static int[] normalizeAxes(String op, Shape shape, int[] axes) {
        if (axes.length == 0) {
            int[] all = new int[shape.rank()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] seen = new boolean[shape.rank()];
        for (int axis : axes) {
            int a = shape.normalizeAxis(axis);
            if (seen[a]) {
                throw new ShapeException(op + ": axis " + axis + " is given twice for shape "
                        + shape);
            }
            seen[a] = true;
        }
        int[] sorted = new int[axes.length];
        int k = 0;
        for (int i = 0; i < seen.length; i++) {
            if (seen[i]) {
                sorted[k++] = i;
            }
        }
        return sorted;
    }

    /** The shape left after reducing the sorted {@code axes}. */
    public static Shape reducedShape(Shape shape, int[] axes, boolean keepDims) {
        int[] dims = shape.dims();
        int[] out = new int[keepDims ? dims.length : dims.length - axes.length];
        int k = 0;
        int j = 0;
        for (int i = 0; i < dims.length; i++) {
            boolean reduced = j < axes.length && axes[j] == i;
            if (reduced) {
                j++;
                if (keepDims) {
                    out[k++] = 1;
                }
            } else {
                out[k++] = dims[i];
            }
        }
        return Shape.of(out);
    }

    private static void checkIndices(String op, int[] indices, int bound, String what) {
        if (indices == null) {
            throw new IllegalArgumentException(op + ": indices are null");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= bound) {
                throw new IndexOutOfBoundsException(op + ": index " + indices[i] + " at position "
                        + i + " is outside " + what + " (0.." + (bound - 1) + ")");
            }
        }
    }
}
