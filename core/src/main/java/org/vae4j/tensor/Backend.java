package org.vae4j.tensor;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tensor backend, seen from the models: the front door of every op.
 *
 * <p>Each public op is written once here in four steps: check that every tensor is an open tensor
 * of this backend; infer and check the output shape with the op's spec ({@link CoreSpecs},
 * {@link MovementSpecs}, {@link FusedSpecs}, whose messages name the shapes and parameters);
 * answer an empty result without any kernel; else call the kernel and check the shape it
 * returned. The kernels are objects a backend {@linkplain #install installs}, one per family
 * ({@link Kernels}, {@link KernelFamily}): the mandatory {@link CoreKernels} and the optional
 * families it runs natively. A composite op ({@link #linear}, {@link #logSumExp},
 * {@link #adamUpdate}, ...) whose family the backend does not declare runs as its definition in
 * {@link Composites} (through {@link CompositeKernels}); so does every composite op on empty
 * inputs, so fused kernels never see one. A backend therefore never infers shapes and never
 * records gradients (autodiff lives in core).
 *
 * <p>What used to be flags are wrappers around the installed kernels: {@link #setProfiler} swaps
 * in a timing decorator ({@link ProfiledKernels}); the system property
 * {@code vae4j.forceComposite=true} installs the core family alone, so every composite runs as
 * its definition; a test double wraps a real backend's kernels and replaces one
 * ({@link ReferenceBackend#kernels(Backend)}, {@link ForwardingCoreKernels}). Kernels make tensors
 * for the backend they were made for, so tensors always report this front door as their
 * {@link Tensor#backend()}.
 *
 * <p>Kernels are pure: they return a new tensor and never change their inputs. A returned tensor
 * may share storage with an input only if closing either leaves the other valid. The one
 * exception is {@link #adamUpdate}, which may update tensors that no scope tracks in place.
 *
 * <p>The gradient kernels of the fused ops are not part of this API: the autodiff engine reaches
 * them through {@link BackwardKernels}.
 */
public abstract class Backend {

    private final String name;
    private final boolean forceComposite;
    private final AtomicLong liveTensors = new AtomicLong();
    /** What {@link #install} was given; the families it has are the ones run natively. */
    private Kernels declared;
    /** Every family present: the declared ones, the rest as composites. */
    private Kernels complete;
    /** Every optional family as its definition: empty inputs go here. */
    private final CompositeKernels definitions = CompositeKernels.INSTANCE;
    /** What the ops call: {@link #complete}, or it wrapped by the profiler. */
    private volatile Kernels active;
    private volatile OpProfiler profiler;

    /** A backend called {@code name}; its constructor must {@link #install} its kernels. */
    protected Backend(String name) {
        this.name = name;
        this.forceComposite = Boolean.getBoolean("vae4j.forceComposite");
    }

    /**
     * Installs the kernels every op of this backend runs, once, from the subclass's constructor.
     * The kernels must make their tensors for this backend. Optional families left out of
     * {@code kernels} (all of them under {@code vae4j.forceComposite=true}) run as composites.
     */
    protected final void install(Kernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException(name + " backend: kernels are null");
        }
        if (declared != null) {
            throw new IllegalStateException(name + " backend: kernels are already installed");
        }
        declared = forceComposite ? kernels.withoutOptional() : kernels;
        complete = declared.completedBy(definitions);
        active = complete;
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

    /**
     * The kernel families this backend runs natively: always {@link KernelFamily#CORE}, plus the
     * optional ones it declared (none under {@code vae4j.forceComposite}). Every other family's
     * ops run as their definitions in {@link Composites}.
     */
    public final Set<KernelFamily> nativeFamilies() {
        return installed().families();
    }

    /** The kernels as installed (optional families left out are null): for the conformance kit. */
    public final Kernels installedKernels() {
        return installed();
    }

    private Kernels installed() {
        if (declared == null) {
            throw new IllegalStateException(name + " backend: its constructor installed no"
                    + " kernels (call install(Kernels) from the constructor)");
        }
        return declared;
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
        installed();
        this.profiler = profiler;
        this.active = profiler == null ? complete : ProfiledKernels.wrap(complete, profiler);
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
        Shape out = CoreSpecs.fromArray(data, shape);
        return verified(OpNames.FROM_ARRAY, active.core().upload(data, out), out);
    }

    /** A tensor holding a copy of {@code data} with the given dimensions. */
    public final Tensor fromArray(float[] data, int... dims) {
        return fromArray(data, Shape.of(dims));
    }

    /**
     * A tensor of random draws, {@code data}, from the distribution {@code distribution} names
     * (e.g. {@code normal(0, 1)}): what {@link org.vae4j.random.Rng}'s tensor methods upload.
     * Every computing backend holds them as {@link #fromArray} does; a tracing backend makes them
     * a graph input, so that sampling noise is fed to an exported graph, never baked into it.
     */
    public Tensor fromDraws(float[] data, Shape shape, String distribution) {
        return fromArray(data, shape);
    }

    /** A rank-0 tensor. */
    public final Tensor scalar(float value) {
        return full(Shape.scalar(), value);
    }

    /** Copies a tensor's values to a new row-major array. */
    public final float[] toArray(Tensor t) {
        own(OpNames.TO_ARRAY, t);
        if (t.size() == 0) {
            return new float[0];
        }
        return active.core().download(t);
    }

    /** A tensor of the given shape with every element {@code value}. */
    public final Tensor full(Shape shape, float value) {
        return verified(OpNames.FULL, active.core().full(shape, value), shape);
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
        String name = OpNames.of(op);
        own(name, x);
        Shape out = x.shape();
        return out.size() == 0 ? zeros(out) : verified(name, active.core().unary(op, x), out);
    }

    /** {@code op(a, b)} elementwise with NumPy broadcasting. */
    public final Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = OpNames.of(op);
        own(name, a);
        own(name, b);
        Shape out = Shape.broadcast(name, a.shape(), b.shape());
        return out.size() == 0 ? zeros(out)
                : verified(name, active.core().binary(op, a, b, out), out);
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
        String name = OpNames.of(op);
        own(name, x);
        int[] sorted = CoreSpecs.reduceAxes(name, x.shape(), axes);
        Shape out = CoreSpecs.reduced(x.shape(), sorted, keepDims);
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
        return verified(name, active.core().reduce(op, x, sorted, out), out);
    }

    public final Tensor sum(Tensor x, boolean keepDims, int... axes) {
        return reduce(ReduceOp.SUM, x, keepDims, axes);
    }

    public final Tensor mean(Tensor x, boolean keepDims, int... axes) {
        return reduce(ReduceOp.MEAN, x, keepDims, axes);
    }

    /** The index (as a float) of the smallest or largest value along {@code axis}; ties go low. */
    public final Tensor argReduce(ArgOp op, Tensor x, int axis) {
        String name = OpNames.of(op);
        own(name, x);
        int a = x.shape().normalizeAxis(axis);
        Shape out = CoreSpecs.argReduce(name, op, x.shape(), axis, a);
        return out.size() == 0 ? zeros(out)
                : verified(name, active.core().argReduce(op, x, a, out), out);
    }

    /** The shape left after reducing the sorted {@code axes}. */
    public static Shape reducedShape(Shape shape, int[] axes, boolean keepDims) {
        return CoreSpecs.reduced(shape, axes, keepDims);
    }

    // ---------------------------------------------------------------- matmul

    /** The 2-D product {@code op(a)·op(b)} where {@code op} transposes when its flag is set. */
    public final Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        own(OpNames.MATMUL, a);
        own(OpNames.MATMUL, b);
        Shape out = CoreSpecs.matmul(a.shape(), transA, b.shape(), transB);
        if (out.size() == 0 || a.shape().dim(transA ? 0 : 1) == 0) {
            return zeros(out);
        }
        return verified(OpNames.MATMUL, active.core().matmul(a, transA, b, transB, out), out);
    }

    public final Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, false, b, false);
    }

    // ---------------------------------------------------------------- movement

    /** The same values in a new shape of the same size. */
    public final Tensor reshape(Tensor x, Shape shape) {
        own(OpNames.RESHAPE, x);
        Shape out = MovementSpecs.reshape(x.shape(), shape);
        return out.size() == 0 ? zeros(out)
                : verified(OpNames.RESHAPE, active.core().reshape(x, out), out);
    }

    /** Permutes the axes: result axis {@code i} is input axis {@code perm[i]}. */
    public final Tensor transpose(Tensor x, int... perm) {
        own(OpNames.TRANSPOSE, x);
        Shape out = MovementSpecs.transpose(x.shape(), perm);
        return out.size() == 0 ? zeros(out)
                : verified(OpNames.TRANSPOSE, active.core().transpose(x, perm.clone(), out), out);
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
        own(OpNames.SLICE, x);
        int a = x.shape().normalizeAxis(axis);
        Shape out = MovementSpecs.slice(x.shape(), axis, a, start, end);
        return out.size() == 0 ? zeros(out)
                : verified(OpNames.SLICE, active.core().slice(x, a, start, end, out), out);
    }

    /**
     * Elements {@code start[i]}, {@code start[i] + step[i]}, ... below {@code end[i]} on every
     * axis i (one entry per axis; steps positive, {@code 0 <= start <= end <= dim}).
     */
    public final Tensor slice(Tensor x, int[] start, int[] end, int[] step) {
        own(OpNames.SLICE, x);
        Shape out = MovementSpecs.stridedSlice(x.shape(), start, end, step);
        return out.size() == 0 ? zeros(out) : verified(OpNames.SLICE,
                active.core().stridedSlice(x, start.clone(), step.clone(), out), out);
    }

    /**
     * {@code x} with {@code before[i]} elements of {@code value} ahead of axis i and
     * {@code after[i]} behind it (one non-negative entry per axis).
     */
    public final Tensor pad(Tensor x, int[] before, int[] after, float value) {
        own(OpNames.PAD, x);
        Shape out = MovementSpecs.pad(x.shape(), before, after);
        if (out.size() == 0) {
            return zeros(out);
        }
        if (x.size() == 0) {
            return full(out, value);
        }
        return verified(OpNames.PAD,
                active.core().pad(x, before.clone(), after.clone(), value, out), out);
    }

    /** {@code x} repeated along new leading axes and axes of size 1 to {@code shape} (NumPy). */
    public final Tensor broadcastTo(Tensor x, Shape shape) {
        own(OpNames.BROADCAST_TO, x);
        Shape out = MovementSpecs.broadcastTo(x.shape(), shape);
        return out.size() == 0 ? zeros(out)
                : verified(OpNames.BROADCAST_TO, active.core().broadcastTo(x, out), out);
    }

    /** Joins tensors along {@code axis}; every other dimension must agree. */
    public final Tensor concat(int axis, List<Tensor> xs) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        for (Tensor x : xs) {
            own(OpNames.CONCAT, x);
        }
        int a = xs.get(0).shape().normalizeAxis(axis);
        Shape out = MovementSpecs.concat(xs, axis, a);
        if (out.size() == 0) {
            return zeros(out);
        }
        List<Tensor> nonEmpty = xs.stream().filter(x -> x.size() > 0).toList();
        if (nonEmpty.size() == 1) {
            return reshape(nonEmpty.get(0), out);
        }
        return verified(OpNames.CONCAT, active.core().concat(nonEmpty, a, out), out);
    }

    public final Tensor concat(int axis, Tensor... xs) {
        return concat(axis, List.of(xs));
    }

    /** Rows {@code rows[i]} of {@code x} (along axis 0), in that order; rows may repeat. */
    public final Tensor gatherRows(Tensor x, int[] rows) {
        own(OpNames.GATHER_ROWS, x);
        Shape out = MovementSpecs.gatherRows(x.shape(), rows);
        return out.size() == 0 ? zeros(out) : verified(OpNames.GATHER_ROWS,
                active.core().gatherRows(x, rows.clone(), out), out);
    }

    /**
     * A tensor of {@code numRows} rows, zero except that row {@code i} of {@code src} is added to
     * row {@code rows[i]} (repeated rows accumulate). The gradient of {@link #gatherRows}.
     */
    public final Tensor scatterAddRows(Tensor src, int[] rows, int numRows) {
        own(OpNames.SCATTER_ADD_ROWS, src);
        Shape out = MovementSpecs.scatterAddRows(src.shape(), rows, numRows);
        if (out.size() == 0 || rows.length == 0 || src.size() == 0) {
            return zeros(out);
        }
        return verified(OpNames.SCATTER_ADD_ROWS,
                active.core().scatterAddRows(src, rows.clone(), out), out);
    }

    /** A {@code (labels.length x classes)} matrix with a 1 at each label's column. */
    public final Tensor oneHot(int[] labels, int classes) {
        Shape out = MovementSpecs.oneHot(labels, classes);
        return out.size() == 0 ? zeros(out)
                : verified(OpNames.ONE_HOT, active.core().oneHot(labels.clone(), classes), out);
    }

    // ---------------------------------------------------------------- composites

    /** {@code x·w + b} for x {@code (n x in)}, w {@code (in x out)}, b {@code (out)}. */
    public final Tensor linear(Tensor x, Tensor w, Tensor b) {
        own(OpNames.LINEAR, x);
        own(OpNames.LINEAR, w);
        own(OpNames.LINEAR, b);
        Shape out = FusedSpecs.linear(OpNames.LINEAR, x.shape(), w.shape(), b.shape());
        LayerKernels k = x.size() == 0 || w.size() == 0 || b.size() == 0 ? definitions
                : active.layer();
        return verified(OpNames.LINEAR, k.linear(x, w, b), out);
    }

    /** {@code relu(x·w + b)}: a linear layer and its activation in one. */
    public final Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        own(OpNames.LINEAR_RELU, x);
        own(OpNames.LINEAR_RELU, w);
        own(OpNames.LINEAR_RELU, b);
        Shape out = FusedSpecs.linear(OpNames.LINEAR_RELU, x.shape(), w.shape(), b.shape());
        LayerKernels k = x.size() == 0 || w.size() == 0 || b.size() == 0 ? definitions
                : active.layer();
        return verified(OpNames.LINEAR_RELU, k.linearRelu(x, w, b), out);
    }

    /** {@code log(sum(exp(x)))} along {@code axis}, stable for large values. */
    public final Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        own(OpNames.LOG_SUM_EXP, x);
        int a = x.shape().normalizeAxis(axis);
        Shape out = FusedSpecs.logSumExp(x.shape(), a, keepDims);
        ReductionKernels k = x.size() == 0 ? definitions : active.reduction();
        return verified(OpNames.LOG_SUM_EXP, k.logSumExp(x, a, keepDims), out);
    }

    /** {@code exp(x) / sum(exp(x))} along {@code axis}, stable for large values. */
    public final Tensor softmax(Tensor x, int axis) {
        own(OpNames.SOFTMAX, x);
        int a = x.shape().normalizeAxis(axis);
        ReductionKernels k = x.size() == 0 ? definitions : active.reduction();
        return verified(OpNames.SOFTMAX, k.softmax(x, a), x.shape());
    }

    /**
     * Squared Euclidean distances between the rows of {@code x (n x d)} and of
     * {@code codes (k x d)}: an {@code (n x k)} matrix. VQ-VAE's nearest-code search.
     */
    public final Tensor squaredDistances(Tensor x, Tensor codes) {
        own(OpNames.SQUARED_DISTANCES, x);
        own(OpNames.SQUARED_DISTANCES, codes);
        Shape out = FusedSpecs.squaredDistances(x.shape(), codes.shape());
        ReductionKernels k = x.size() == 0 || codes.size() == 0 ? definitions
                : active.reduction();
        return verified(OpNames.SQUARED_DISTANCES, k.squaredDistances(x, codes), out);
    }

    /** {@code g · step(y)}, for {@link BackwardKernels} only. */
    final Tensor reluBackward(Tensor g, Tensor y) {
        own(OpNames.RELU_BACKWARD, g);
        own(OpNames.RELU_BACKWARD, y);
        Shape out = FusedSpecs.sameShapes(OpNames.RELU_BACKWARD, "gradient", g.shape(), "output",
                y.shape());
        ActivationKernels k = g.size() == 0 ? definitions : active.activation();
        return verified(OpNames.RELU_BACKWARD, k.reluBackward(g, y), out);
    }

    /**
     * {@code Σ softplus(l) − t·l} over every element, a scalar: the Bernoulli negative
     * log-likelihood of targets {@code t} in [0, 1] under {@code sigmoid(l)}, stable for any l.
     */
    public final Tensor bceWithLogitsSum(Tensor logits, Tensor target) {
        own(OpNames.BCE_WITH_LOGITS_SUM, logits);
        own(OpNames.BCE_WITH_LOGITS_SUM, target);
        FusedSpecs.sameShapes(OpNames.BCE_WITH_LOGITS_SUM, "logits", logits.shape(), "target",
                target.shape());
        LossKernels k = logits.size() == 0 ? definitions : active.loss();
        return verified(OpNames.BCE_WITH_LOGITS_SUM, k.bceWithLogitsSum(logits, target),
                Shape.scalar());
    }

    /** {@code (sigmoid(l) − t) · g} for a scalar {@code g}, for {@link BackwardKernels} only. */
    final Tensor bceWithLogitsBackward(Tensor logits, Tensor target, Tensor g) {
        own(OpNames.BCE_WITH_LOGITS_BACKWARD, logits);
        own(OpNames.BCE_WITH_LOGITS_BACKWARD, target);
        own(OpNames.BCE_WITH_LOGITS_BACKWARD, g);
        Shape out = FusedSpecs.bceWithLogitsBackward(logits.shape(), target.shape(), g.shape());
        LossKernels k = logits.size() == 0 ? definitions : active.loss();
        return verified(OpNames.BCE_WITH_LOGITS_BACKWARD, k.bceWithLogitsBackward(logits, target,
                g), out);
    }

    /**
     * {@code −½ Σ (1 + lv − μ² − e^lv)} over every element, a scalar: the KL divergence of the
     * diagonal Gaussian {@code N(μ, e^lv)} from the standard normal, summed.
     */
    public final Tensor gaussianKl(Tensor mu, Tensor logVar) {
        own(OpNames.GAUSSIAN_KL, mu);
        own(OpNames.GAUSSIAN_KL, logVar);
        FusedSpecs.sameShapes(OpNames.GAUSSIAN_KL, "mean", mu.shape(), "log-variance",
                logVar.shape());
        LossKernels k = mu.size() == 0 ? definitions : active.loss();
        return verified(OpNames.GAUSSIAN_KL, k.gaussianKl(mu, logVar), Shape.scalar());
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
        own(OpNames.ADAM_UPDATE, param);
        own(OpNames.ADAM_UPDATE, grad);
        own(OpNames.ADAM_UPDATE, m);
        own(OpNames.ADAM_UPDATE, v);
        Shape out = FusedSpecs.adamUpdate(param.shape(), grad.shape(), m.shape(), v.shape());
        boolean inPlace = param != m && param != v && m != v && grad != param && grad != m
                && grad != v && !TensorScope.isTracked(param) && !TensorScope.isTracked(m)
                && !TensorScope.isTracked(v);
        OptimizerKernels k = param.size() == 0 ? definitions : active.optimizer();
        AdamStep.Result r = k.adamUpdate(param, grad, m, v, step, inPlace);
        verified(OpNames.ADAM_UPDATE, r.param(), out);
        verified(OpNames.ADAM_UPDATE, r.m(), out);
        verified(OpNames.ADAM_UPDATE, r.v(), out);
        if (!inPlace && (r.param() == param || r.m() == m || r.v() == v)) {
            throw new IllegalStateException(name + " backend bug: adamUpdate wrote its inputs"
                    + " although a scope tracks them");
        }
        return r;
    }

    // ---------------------------------------------------------------- convolution

    /**
     * The 2-D convolution of {@code x} {@code (N x C x H x W)} with {@code w}
     * {@code (O x C x kH x kW)}: {@code (N x O x OH x OW)}, sizes as {@link ConvSpec} says.
     */
    public final Tensor conv2d(Tensor x, Tensor w, ConvSpec spec) {
        own(OpNames.CONV2D, x);
        own(OpNames.CONV2D, w);
        Shape out = spec.outputShape(x.shape(), w.shape());
        if (out.size() == 0) {
            return zeros(out);
        }
        ConvolutionKernels k = x.size() == 0 ? definitions : active.convolution();
        return verified(OpNames.CONV2D, k.conv2d(x, w, spec), out);
    }

    /**
     * The transposed convolution of {@code x} {@code (N x I x H x W)} with {@code w}
     * {@code (I x O x kH x kW)} (PyTorch's {@code conv_transpose2d}): the input gradient of the
     * convolution that maps the result's shape, {@link ConvSpec#transposedOutputShape}, to x's.
     */
    public final Tensor convTranspose2d(Tensor x, Tensor w, ConvSpec spec, int outputPadH,
            int outputPadW) {
        own(OpNames.CONV_TRANSPOSE2D, x);
        own(OpNames.CONV_TRANSPOSE2D, w);
        Shape out = spec.transposedOutputShape(x.shape(), w.shape(), outputPadH, outputPadW);
        if (out.size() == 0) {
            return zeros(out);
        }
        ConvolutionKernels k = x.size() == 0 ? definitions : active.convolution();
        return verified(OpNames.CONV_TRANSPOSE2D, k.conv2dBackwardInput(x, w, spec, out), out);
    }

    /** The maximum of each pooling window of {@code x} {@code (N x C x H x W)}. */
    public final Tensor maxPool2d(Tensor x, PoolSpec spec) {
        own(OpNames.MAX_POOL2D, x);
        Shape out = spec.outputShape(OpNames.MAX_POOL2D, x.shape());
        if (out.size() == 0) {
            return zeros(out);
        }
        return verified(OpNames.MAX_POOL2D, active.convolution().maxPool2d(x, spec), out);
    }

    /** The mean of each pooling window of {@code x}, padded zeros counted. */
    public final Tensor avgPool2d(Tensor x, PoolSpec spec) {
        own(OpNames.AVG_POOL2D, x);
        Shape out = spec.outputShape(OpNames.AVG_POOL2D, x.shape());
        if (out.size() == 0) {
            return zeros(out);
        }
        return verified(OpNames.AVG_POOL2D, active.convolution().avgPool2d(x, spec), out);
    }

    /** The gradient of {@link #conv2d} with respect to its input, of shape {@code xShape}. */
    final Tensor conv2dBackwardInput(Tensor g, Tensor w, ConvSpec spec, Shape xShape) {
        own(OpNames.CONV2D_BACKWARD_INPUT, g);
        own(OpNames.CONV2D_BACKWARD_INPUT, w);
        spec.checkGradient(OpNames.CONV2D_BACKWARD_INPUT, xShape, w.shape(), g.shape());
        if (xShape.size() == 0 || g.size() == 0) {
            return zeros(xShape);
        }
        return verified(OpNames.CONV2D_BACKWARD_INPUT,
                active.convolution().conv2dBackwardInput(g, w, spec, xShape), xShape);
    }

    /** The gradient of {@link #conv2d} with respect to its weight, of shape {@code wShape}. */
    final Tensor conv2dBackwardFilter(Tensor x, Tensor g, ConvSpec spec, Shape wShape) {
        own(OpNames.CONV2D_BACKWARD_FILTER, x);
        own(OpNames.CONV2D_BACKWARD_FILTER, g);
        spec.checkGradient(OpNames.CONV2D_BACKWARD_FILTER, x.shape(), wShape, g.shape());
        if (wShape.size() == 0 || g.size() == 0) {
            return zeros(wShape);
        }
        return verified(OpNames.CONV2D_BACKWARD_FILTER,
                active.convolution().conv2dBackwardFilter(x, g, spec, wShape), wShape);
    }

    /** The gradient of {@link #maxPool2d}: {@code g} routed to each window's first maximum. */
    final Tensor maxPool2dBackward(Tensor x, Tensor g, PoolSpec spec) {
        own(OpNames.MAX_POOL2D_BACKWARD, x);
        own(OpNames.MAX_POOL2D_BACKWARD, g);
        spec.checkGradient(OpNames.MAX_POOL2D_BACKWARD, x.shape(), g.shape());
        if (g.size() == 0) {
            return zeros(x.shape());
        }
        return verified(OpNames.MAX_POOL2D_BACKWARD,
                active.convolution().maxPool2dBackward(x, g, spec), x.shape());
    }

    /** The gradient of {@link #avgPool2d}, for an input of shape {@code xShape}. */
    final Tensor avgPool2dBackward(Tensor g, PoolSpec spec, Shape xShape) {
        own(OpNames.AVG_POOL2D_BACKWARD, g);
        spec.checkGradient(OpNames.AVG_POOL2D_BACKWARD, xShape, g.shape());
        if (g.size() == 0) {
            return zeros(xShape);
        }
        return verified(OpNames.AVG_POOL2D_BACKWARD,
                active.convolution().avgPool2dBackward(g, spec, xShape), xShape);
    }

    // ---------------------------------------------------------------- the checks, once

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

    /** {@code result}, after checking a kernel (or a definition) returned the spec's shape. */
    private Tensor verified(String op, Tensor result, Shape expected) {
        if (result == null) {
            throw new IllegalStateException(name + " backend bug: " + op + " returned null");
        }
        if (!result.shape().equals(expected)) {
            throw new IllegalStateException(name + " backend bug: " + op + " returned shape "
                    + result.shape() + ", expected " + expected);
        }
        if (result.backend() != this) {
            throw new IllegalStateException(name + " backend bug: " + op + " returned a tensor of"
                    + " the " + result.backend().name() + " backend; kernels must make their"
                    + " tensors for the backend they are installed in");
        }
        return result;
    }
}
