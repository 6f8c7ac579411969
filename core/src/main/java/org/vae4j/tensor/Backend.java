package org.vae4j.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
 * may share storage with an input only if closing either leaves the other valid. The one
 * exception is {@link #adamUpdate}, which may update tensors that no scope tracks in place.
 *
 * <p>{@link #setProfiler} times every public op (the {@code bench} command's {@code --profile}).
 */
public abstract class Backend {

    private final String name;
    private final boolean forceComposite;
    private final AtomicLong liveTensors = new AtomicLong();
    private volatile OpProfiler profiler;

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

    /**
     * How many threads this backend's work may use ({@link BackendConfig#threads()}). From 2 on,
     * the backward pass computes independent gradients side by side and in-place kernels may
     * split over {@link Parallel} workers. The reference has one.
     */
    public int threads() {
        return 1;
    }

    /** Whether composite ops bypass the backend's fused kernels ({@code vae4j.forceComposite}). */
    public final boolean forcesComposite() {
        return forceComposite;
    }

    /** Tensors created by this backend and not yet closed; leak tests watch it return to its start. */
    public final long liveTensors() {
        return liveTensors.get();
    }

    /**
     * Times every op this backend runs on the profiler's thread from now on (see
     * {@link OpProfiler}); {@code null} stops it. It changes no result.
     */
    public final void setProfiler(OpProfiler profiler) {
        this.profiler = profiler;
    }

    /** The profiler set with {@link #setProfiler}, or null. */
    public final OpProfiler profiler() {
        return profiler;
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
        OpProfiler p = profiler;
        return p == null ? uploadKernel(data, shape)
                : p.time("fromArray", () -> uploadKernel(data, shape));
    }

    /** A tensor holding a copy of {@code data} with the given dimensions. */
    public final Tensor fromArray(float[] data, int... dims) {
        return fromArray(data, Shape.of(dims));
    }

    /** A rank-0 tensor. */
    public final Tensor scalar(float value) {
        return full(Shape.scalar(), value);
    }

    /** Copies a tensor's values to a new row-major array. */
    public final float[] toArray(Tensor t) {
        own("toArray", t);
        if (t.size() == 0) {
            return new float[0];
        }
        OpProfiler p = profiler;
        return p == null ? downloadKernel(t) : p.time("toArray", () -> downloadKernel(t));
    }

    /** A tensor of the given shape with every element {@code value}. */
    public final Tensor full(Shape shape, float value) {
        OpProfiler p = profiler;
        return p == null ? fullKernel(shape, value) : p.time("full", () -> fullKernel(shape, value));
    }

    public final Tensor zeros(Shape shape) {
        return full(shape, 0f);
    }

    public final Tensor ones(Shape shape) {
        return full(shape, 1f);
    }

    // ---------------------------------------------------------------- elementwise

    /** {@code op(x)} elementwise. */
    public final Tensor unary(UnaryOp op, Tensor x) {
        own(opName(op), x);
        if (x.size() == 0) {
            return zeros(x.shape());
        }
        String name = opName(op);
        OpProfiler p = profiler;
        return checked(name, p == null ? unaryKernel(op, x)
                : p.time(name, () -> unaryKernel(op, x)), x.shape());
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
        OpProfiler p = profiler;
        return checked(name, p == null ? binaryKernel(op, a, b, out)
                : p.time(name, () -> binaryKernel(op, a, b, out)), out);
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
        OpProfiler p = profiler;
        return checked(name, p == null ? reduceKernel(op, x, sorted, out)
                : p.time(name, () -> reduceKernel(op, x, sorted, out)), out);
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
        OpProfiler p = profiler;
        return checked(name, p == null ? argReduceKernel(op, x, a, out)
                : p.time(name, () -> argReduceKernel(op, x, a, out)), out);
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
        OpProfiler p = profiler;
        return checked("matmul", p == null ? matmulKernel(a, transA, b, transB, out)
                : p.time("matmul", () -> matmulKernel(a, transA, b, transB, out)), out);
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
        OpProfiler p = profiler;
        return checked("reshape", p == null ? reshapeKernel(x, shape)
                : p.time("reshape", () -> reshapeKernel(x, shape)), shape);
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
        int[] permCopy = perm.clone();
        OpProfiler p = profiler;
        return checked("transpose", p == null ? transposeKernel(x, permCopy, outShape)
                : p.time("transpose", () -> transposeKernel(x, permCopy, outShape)), outShape);
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
        OpProfiler p = profiler;
        return checked("slice", p == null ? sliceKernel(x, a, start, end, out)
                : p.time("slice", () -> sliceKernel(x, a, start, end, out)), out);
    }

    /**
     * Elements {@code start[i]}, {@code start[i] + step[i]}, ... below {@code end[i]} on every
     * axis i (one entry per axis; steps positive, {@code 0 <= start <= end <= dim}).
     */
    public final Tensor slice(Tensor x, int[] start, int[] end, int[] step) {
        own("slice", x);
        Shape out = MovementSpecs.stridedSlice(x.shape(), start, end, step);
        if (out.size() == 0) {
            return zeros(out);
        }
        int[] from = start.clone();
        int[] by = step.clone();
        return run("slice", () -> stridedSliceKernel(x, from, by, out), out);
    }

    /**
     * {@code x} with {@code before[i]} elements of {@code value} ahead of axis i and
     * {@code after[i]} behind it (one non-negative entry per axis).
     */
    public final Tensor pad(Tensor x, int[] before, int[] after, float value) {
        own("pad", x);
        Shape out = MovementSpecs.pad(x.shape(), before, after);
        if (out.size() == 0) {
            return zeros(out);
        }
        if (x.size() == 0) {
            return full(out, value);
        }
        int[] b = before.clone();
        int[] e = after.clone();
        return run("pad", () -> padKernel(x, b, e, value, out), out);
    }

    /** {@code x} repeated along new leading axes and axes of size 1 to {@code shape} (NumPy). */
    public final Tensor broadcastTo(Tensor x, Shape shape) {
        own("broadcastTo", x);
        Shape out = MovementSpecs.broadcastTo(x.shape(), shape);
        if (out.size() == 0) {
            return zeros(out);
        }
        return run("broadcastTo", () -> broadcastToKernel(x, out), out);
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
        OpProfiler p = profiler;
        return checked("concat", p == null ? concatKernel(nonEmpty, a, out)
                : p.time("concat", () -> concatKernel(nonEmpty, a, out)), out);
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
        int[] index = rows.clone();
        OpProfiler p = profiler;
        return checked("gatherRows", p == null ? gatherRowsKernel(x, index, out)
                : p.time("gatherRows", () -> gatherRowsKernel(x, index, out)), out);
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
        int[] index = rows.clone();
        OpProfiler p = profiler;
        return checked("scatterAddRows", p == null ? scatterAddRowsKernel(src, index, out)
                : p.time("scatterAddRows", () -> scatterAddRowsKernel(src, index, out)), out);
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
        int[] index = labels.clone();
        OpProfiler p = profiler;
        return checked("oneHot", p == null ? oneHotKernel(index, classes)
                : p.time("oneHot", () -> oneHotKernel(index, classes)), out);
    }

    // ---------------------------------------------------------------- composites

    /** {@code x·w + b} for x {@code (n x in)}, w {@code (in x out)}, b {@code (out)}. */
    public final Tensor linear(Tensor x, Tensor w, Tensor b) {
        own("linear", x);
        own("linear", w);
        own("linear", b);
        Composites.checkLinear(x.shape(), w.shape(), b.shape());
        return composite("linear", anyEmpty(x, w, b), () -> Composites.linear(this, x, w, b),
                () -> linearKernel(x, w, b));
    }

    /** {@code log(sum(exp(x)))} along {@code axis}, stable for large values. */
    public final Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        own("logSumExp", x);
        int a = x.shape().normalizeAxis(axis);
        return composite("logSumExp", anyEmpty(x), () -> Composites.logSumExp(this, x, a, keepDims),
                () -> logSumExpKernel(x, a, keepDims));
    }

    /** {@code exp(x) / sum(exp(x))} along {@code axis}, stable for large values. */
    public final Tensor softmax(Tensor x, int axis) {
        own("softmax", x);
        int a = x.shape().normalizeAxis(axis);
        return composite("softmax", anyEmpty(x), () -> Composites.softmax(this, x, a),
                () -> softmaxKernel(x, a));
    }

    /**
     * Squared Euclidean distances between the rows of {@code x (n x d)} and of
     * {@code codes (k x d)}: an {@code (n x k)} matrix. VQ-VAE's nearest-code search.
     */
    public final Tensor squaredDistances(Tensor x, Tensor codes) {
        own("squaredDistances", x);
        own("squaredDistances", codes);
        Composites.checkSquaredDistances(x.shape(), codes.shape());
        return composite("squaredDistances", anyEmpty(x, codes),
                () -> Composites.squaredDistances(this, x, codes),
                () -> squaredDistancesKernel(x, codes));
    }

    /**
     * Runs a composite: its definition when {@code vae4j.forceComposite} is set or an input is
     * empty (so fused kernels never see empty tensors), else the backend's kernel; timed as one
     * op when profiling.
     */
    private <T> T composite(String name, boolean empty, Supplier<T> definition,
            Supplier<T> kernel) {
        Supplier<T> chosen = forceComposite || empty ? definition : kernel;
        OpProfiler p = profiler;
        return p == null ? chosen.get() : p.time(name, chosen);
    }

    /** {@code relu(x·w + b)}: a linear layer and its activation in one. */
    public final Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        own("linearRelu", x);
        own("linearRelu", w);
        own("linearRelu", b);
        Composites.checkLinear(x.shape(), w.shape(), b.shape());
        Shape out = Shape.of(x.shape().dim(0), w.shape().dim(1));
        return checked("linearRelu", composite("linearRelu", anyEmpty(x, w, b),
                () -> Composites.linearRelu(this, x, w, b), () -> linearReluKernel(x, w, b)), out);
    }

    /**
     * {@code g · step(y)}: the gradient through a relu from the gradient {@code g} of its output
     * and its output {@code y} (the input works as well), both of one shape.
     */
    public final Tensor reluBackward(Tensor g, Tensor y) {
        own("reluBackward", g);
        own("reluBackward", y);
        checkSameShapes("reluBackward", "gradient", g, "output", y);
        return checked("reluBackward", composite("reluBackward", anyEmpty(g),
                () -> Composites.reluBackward(this, g, y), () -> reluBackwardKernel(g, y)),
                y.shape());
    }

    /**
     * {@code Σ softplus(l) − t·l} over every element, a scalar: the Bernoulli negative
     * log-likelihood of targets {@code t} in [0, 1] under {@code sigmoid(l)}, stable for any l.
     */
    public final Tensor bceWithLogitsSum(Tensor logits, Tensor target) {
        own("bceWithLogitsSum", logits);
        own("bceWithLogitsSum", target);
        checkSameShapes("bceWithLogitsSum", "logits", logits, "target", target);
        return checked("bceWithLogitsSum", composite("bceWithLogitsSum", anyEmpty(logits),
                () -> Composites.bceWithLogitsSum(this, logits, target),
                () -> bceWithLogitsSumKernel(logits, target)), Shape.scalar());
    }

    /**
     * {@code (sigmoid(l) − t) · g} for a scalar {@code g}: the gradient of
     * {@link #bceWithLogitsSum} with respect to the logits.
     */
    public final Tensor bceWithLogitsBackward(Tensor logits, Tensor target, Tensor g) {
        own("bceWithLogitsBackward", logits);
        own("bceWithLogitsBackward", target);
        own("bceWithLogitsBackward", g);
        checkSameShapes("bceWithLogitsBackward", "logits", logits, "target", target);
        if (g.shape().rank() != 0) {
            throw new ShapeException("bceWithLogitsBackward: the gradient of the sum must be a"
                    + " scalar, got " + g.shape());
        }
        return checked("bceWithLogitsBackward", composite("bceWithLogitsBackward",
                anyEmpty(logits), () -> Composites.bceWithLogitsBackward(this, logits, target, g),
                () -> bceWithLogitsBackwardKernel(logits, target, g)), logits.shape());
    }

    /**
     * {@code −½ Σ (1 + lv − μ² − e^lv)} over every element, a scalar: the KL divergence of the
     * diagonal Gaussian {@code N(μ, e^lv)} from the standard normal, summed.
     */
    public final Tensor gaussianKl(Tensor mu, Tensor logVar) {
        own("gaussianKl", mu);
        own("gaussianKl", logVar);
        checkSameShapes("gaussianKl", "mean", mu, "log-variance", logVar);
        return checked("gaussianKl", composite("gaussianKl", anyEmpty(mu),
                () -> Composites.gaussianKl(this, mu, logVar),
                () -> gaussianKlKernel(mu, logVar)), Shape.scalar());
    }

    /**
     * One Adam step of a parameter from its gradient and moments (see {@link AdamStep}); returns
     * the new parameter and moments.
     *
     * <p><b>The one op that may write its inputs.</b> When {@code param}, {@code m} and
     * {@code v} are three distinct tensors that no open scope on this thread tracks (their owner
     * closes them: an optimizer's parameters and state), a backend may update them in place and
     * return them, instead of allocating three new tensors and copying them out of the step's
     * scope. Another tensor sharing their storage (a reshape of a parameter on EJML) may then see
     * the new values as well. Callers that still need the old values pass copies or call this
     * inside a scope that tracks them; {@code grad} is never written. The definition in
     * {@link Composites#adamUpdate} is pure, and so is every backend under
     * {@code vae4j.forceComposite}.
     */
    public final AdamStep.Result adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step) {
        own("adamUpdate", param);
        own("adamUpdate", grad);
        own("adamUpdate", m);
        own("adamUpdate", v);
        checkSameShapes("adamUpdate", "parameter", param, "gradient", grad);
        checkSameShapes("adamUpdate", "parameter", param, "first moment", m);
        checkSameShapes("adamUpdate", "parameter", param, "second moment", v);
        boolean inPlace = param != m && param != v && m != v && grad != param && grad != m
                && grad != v && !TensorScope.isTracked(param) && !TensorScope.isTracked(m)
                && !TensorScope.isTracked(v);
        AdamStep.Result r = composite("adamUpdate", anyEmpty(param),
                () -> Composites.adamUpdate(this, param, grad, m, v, step),
                () -> adamUpdateKernel(param, grad, m, v, step, inPlace));
        checked("adamUpdate", r.param(), param.shape());
        checked("adamUpdate", r.m(), param.shape());
        checked("adamUpdate", r.v(), param.shape());
        if (!inPlace && (r.param() == param || r.m() == m || r.v() == v)) {
            throw new IllegalStateException(name + " backend bug: adamUpdate wrote its inputs"
                    + " although a scope tracks them");
        }
        return r;
    }

    private static void checkSameShapes(String op, String whatA, Tensor a, String whatB,
            Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new ShapeException(op + ": " + whatA + " " + a.shape() + " and " + whatB + " "
                    + b.shape() + " differ; expected the same shape");
        }
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

    /** Steps are positive, the ranges in bounds, {@code out} non-empty. */
    protected abstract Tensor stridedSliceKernel(Tensor x, int[] start, int[] step, Shape out);

    /** Widths are non-negative; {@code x} and {@code out} are non-empty. */
    protected abstract Tensor padKernel(Tensor x, int[] before, int[] after, float value,
            Shape out);

    /** {@code x} broadcasts to the non-empty {@code out}. */
    protected abstract Tensor broadcastToKernel(Tensor x, Shape out);

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

    /** Override to fuse; the default is {@link Composites#linearRelu}. */
    protected Tensor linearReluKernel(Tensor x, Tensor w, Tensor b) {
        return Composites.linearRelu(this, x, w, b);
    }

    /** Override to fuse; the default is {@link Composites#reluBackward}. */
    protected Tensor reluBackwardKernel(Tensor g, Tensor y) {
        return Composites.reluBackward(this, g, y);
    }

    /** Override to fuse; the default is {@link Composites#bceWithLogitsSum}. */
    protected Tensor bceWithLogitsSumKernel(Tensor logits, Tensor target) {
        return Composites.bceWithLogitsSum(this, logits, target);
    }

    /** Override to fuse; the default is {@link Composites#bceWithLogitsBackward}. */
    protected Tensor bceWithLogitsBackwardKernel(Tensor logits, Tensor target, Tensor g) {
        return Composites.bceWithLogitsBackward(this, logits, target, g);
    }

    /** Override to fuse; the default is {@link Composites#gaussianKl}. */
    protected Tensor gaussianKlKernel(Tensor mu, Tensor logVar) {
        return Composites.gaussianKl(this, mu, logVar);
    }

    /**
     * Override to fuse; the default is {@link Composites#adamUpdate}, which allocates. When
     * {@code inPlace} is true (see {@link #adamUpdate}) an override may instead write the new
     * values into {@code param}, {@code m} and {@code v} and return those same tensors; when it
     * is false it must not write any input. {@code grad} is never written.
     */
    protected AdamStep.Result adamUpdateKernel(Tensor param, Tensor grad, Tensor m, Tensor v,
            AdamStep step, boolean inPlace) {
        return Composites.adamUpdate(this, param, grad, m, v, step);
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

    /** Runs a kernel, timed when profiling, and checks the shape it returns. */
    private Tensor run(String op, Supplier<Tensor> kernel, Shape expected) {
        OpProfiler p = profiler;
        return checked(op, p == null ? kernel.get() : p.time(op, kernel), expected);
    }

    private Tensor checked(String op, Tensor result, Shape expected) {
        if (!result.shape().equals(expected)) {
            throw new IllegalStateException(name + " backend bug: " + op + " returned shape "
                    + result.shape() + ", expected " + expected);
        }
        return result;
    }

    private static final String[] UNARY_NAMES = camelNames(UnaryOp.values());
    private static final String[] BINARY_NAMES = camelNames(BinaryOp.values());
    private static final String[] REDUCE_NAMES = camelNames(ReduceOp.values());
    private static final String[] ARG_NAMES = camelNames(ArgOp.values());

    /** Op names in messages and profiles, made once: {@code LOG_SIGMOID} is {@code logSigmoid}. */
    private static String[] camelNames(Enum<?>[] ops) {
        String[] names = new String[ops.length];
        for (Enum<?> op : ops) {
            String[] words = op.name().toLowerCase(java.util.Locale.ROOT).split("_");
            StringBuilder sb = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            names[op.ordinal()] = sb.toString();
        }
        return names;
    }

    private static String opName(UnaryOp op) {
        return UNARY_NAMES[op.ordinal()];
    }

    private static String opName(BinaryOp op) {
        return BINARY_NAMES[op.ordinal()];
    }

    private static String opName(ReduceOp op) {
        return REDUCE_NAMES[op.ordinal()];
    }

    private static String opName(ArgOp op) {
        return ARG_NAMES[op.ordinal()];
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
