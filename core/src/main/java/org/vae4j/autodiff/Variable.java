package org.vae4j.autodiff;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * A tensor value in a computation whose gradient reverse-mode autodiff can compute.
 *
 * <p>Every op returns a new variable that remembers its op and its inputs (its parents), unless
 * no input {@linkplain #requiresGrad requires a gradient} or {@link NoGrad} is active: then the
 * result is a constant. {@link #backward()} on a scalar fills {@link #grad()} of every leaf that
 * requires a gradient (parameters, or {@link #leaf} variables). The rules are in one table,
 * {@code Gradients}, written with backend primitives, so every backend gets the same gradients.
 *
 * <p>A variable does not own its tensor: forward values, and gradients, are ordinary tensors
 * created in the caller's {@link org.vae4j.tensor.TensorScope}, so a training step run in one
 * scope frees everything transient when it closes.
 *
 * <pre>{@code
 * Variable h = Variable.linear(x, w, b).relu();         // relu(x·W + b)
 * Variable loss = h.sub(target).square().mean();
 * loss.backward();                                       // w.grad(), b.grad()
 * }</pre>
 */
public class Variable {

    private static final Variable[] NO_PARENTS = new Variable[0];
    private static final Op[] UNARY = Arrays.stream(UnaryOp.values()).map(Op.Unary::new)
            .toArray(Op[]::new);
    private static final Op[] BINARY = Arrays.stream(BinaryOp.values()).map(Op.Binary::new)
            .toArray(Op[]::new);
    // ops without settings, shared by every node that records them
    private static final Op LINEAR = new Op.Linear();
    private static final Op LINEAR_RELU = new Op.LinearRelu();
    private static final Op BCE_WITH_LOGITS_SUM = new Op.BceWithLogitsSum();
    private static final Op GAUSSIAN_KL = new Op.GaussianKl();
    private static final Op SQUARED_DISTANCES = new Op.SquaredDistances();

    private Tensor value;
    private final boolean requiresGrad;
    private final Op op;
    private final Variable[] parents;
    private Tensor grad;
    private boolean valueRetained;

    /** A leaf: no op, no parents. Subclasses (parameters) may require a gradient. */
    protected Variable(Tensor value, boolean requiresGrad) {
        this(value, requiresGrad, null, NO_PARENTS);
    }

    private Variable(Tensor value, boolean requiresGrad, Op op, Variable[] parents) {
        if (value == null) {
            throw new IllegalArgumentException("a variable needs a tensor value, got null");
        }
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.op = op;
        this.parents = parents;
    }

    /** A constant: no gradient is computed for it or through it. */
    public static Variable constant(Tensor value) {
        return new Variable(value, false);
    }

    /** A constant holding {@code data} with the given dimensions. */
    public static Variable constant(Backend backend, float[] data, int... dims) {
        return constant(backend.fromArray(data, dims));
    }

    /** A constant scalar. */
    public static Variable scalar(Backend backend, float value) {
        return constant(backend.scalar(value));
    }

    /** A leaf whose gradient {@link #backward()} computes, e.g. an input to differentiate. */
    public static Variable leaf(Tensor value) {
        return new Variable(value, true);
    }

    // ---------------------------------------------------------------- state

    /** The current value. */
    public Tensor value() {
        return value;
    }

    /** Replaces a leaf's value (used by parameters); the graph keeps the old one. */
    protected void setValue(Tensor newValue) {
        if (!newValue.shape().equals(value.shape())) {
            throw new IllegalArgumentException("cannot assign a tensor of shape "
                    + newValue.shape() + " to a variable of shape " + value.shape());
        }
        value = newValue;
    }

    public Backend backend() {
        return value.backend();
    }

    public Shape shape() {
        return value.shape();
    }

    /** Whether a gradient flows to this variable (it is trainable or computed from one). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether this variable has no recorded op (a constant, a parameter or a leaf). */
    public boolean isLeaf() {
        return op == null;
    }

    /**
     * The gradient {@link #backward()} left here, of this variable's shape; null before any
     * backward, after {@link #zeroGrad()}, and on non-leaf variables.
     */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the gradient, so the next backward starts from zero. */
    public void zeroGrad() {
        grad = null;
    }

    /** The single value of a one-element variable. */
    public float item() {
        return value.item();
    }

    public float[] toArray() {
        return value.toArray();
    }

    /** The values as row indices, e.g. of {@link #argmin} for {@link #gatherRows}. */
    public int[] toIndices() {
        float[] v = value.toArray();
        int[] idx = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = Math.round(v[i]);
        }
        return idx;
    }

    /** The op that computed this variable, with its settings; null for a leaf or a constant. */
    public Op op() {
        return op;
    }

    /** The variables this one was computed from, in the op's order; empty for a leaf. */
    public List<Variable> inputs() {
        return List.of(parents);
    }

    int parentCount() {
        return parents.length;
    }

    Variable parent(int i) {
        return parents[i];
    }

    /**
     * Adds {@code g}, a gradient of this variable computed elsewhere (another process's share of
     * a batch), to {@link #grad()} as a backward pass would, so an optimizer's {@code step()}
     * updates with it.
     *
     * @throws IllegalArgumentException when {@code g}'s shape is not this variable's
     */
    public void addGrad(Tensor g) {
        if (!g.shape().equals(shape())) {
            throw new IllegalArgumentException("addGrad: a gradient of shape " + g.shape()
                    + " for a variable of shape " + shape());
        }
        accumulateGrad(g);
    }

    void accumulateGrad(Tensor g) {
        // A gradient left over from a closed step scope is gone, not something to add to.
        grad = grad == null || grad.isClosed() ? g : backend().add(grad, g);
    }

    /**
     * Computes the gradient of this scalar with respect to every leaf it depends on that
     * requires a gradient, adding it to their {@link #grad()}. Variables used several times
     * receive the sum of their gradients.
     *
     * @throws IllegalStateException if this is not a single value or needs no gradient
     */
    public void backward() {
        Backprop.run(this, leaf -> { }, false);
    }

    /**
     * {@link #backward()}, calling {@code onGradient} with each leaf as soon as its gradient is
     * complete, while the pass goes on: from then on no step of the pass reads the leaf's value,
     * so an optimizer may update it in place beside the rest of the pass.
     */
    public void backward(Consumer<? super Variable> onGradient) {
        Backprop.run(this, onGradient, false);
    }

    /**
     * {@link #backward(Consumer)} that also closes each forward value the graph computed as soon
     * as the last backward rule that reads it has run, so a step's activations (a conv net's
     * feature maps) do not all live until the step's scope closes. This variable's value and
     * {@linkplain #retainValue retained} values stay open; reading any other intermediate value
     * of the graph afterwards is an error ("tensor is closed"). Leaves and constants are never
     * closed.
     */
    public void backwardFreeingValues(Consumer<? super Variable> onGradient) {
        Backprop.run(this, onGradient, true);
    }

    /**
     * Keeps this variable's value open through {@link #backwardFreeingValues}, for reading after
     * the backward pass (a loss term to log, an encoding a model's {@code afterStep} uses).
     * A model's {@code Loss} retains the terms it logs.
     *
     * @return this variable
     */
    public Variable retainValue() {
        valueRetained = true;
        return this;
    }

    /** Whether {@link #retainValue} was called. */
    public boolean isValueRetained() {
        return valueRetained;
    }

    /** The same value cut from the graph: no gradient flows back through it (stop-gradient). */
    public Variable detach() {
        return constant(value);
    }

    @Override
    public String toString() {
        return "Variable" + shape() + (op != null ? " <- " + op.name() : requiresGrad ? " (leaf)" : "");
    }

    // ---------------------------------------------------------------- recording

    private static Variable record(Op op, Tensor value, Variable... inputs) {
        if (!NoGrad.isActive() && op.isDifferentiable()) {
            for (Variable in : inputs) {
                if (in.requiresGrad) {
                    return new Variable(value, true, op, inputs.clone());
                }
            }
        }
        return constant(value);
    }

    /** {@code op(this)} elementwise: any of the backend's elementwise functions. */
    public Variable unary(UnaryOp u) {
        return record(UNARY[u.ordinal()], backend().unary(u, value), this);
    }

    /** {@code op(this, other)} elementwise with broadcasting. */
    public Variable binary(BinaryOp b, Variable other) {
        return record(BINARY[b.ordinal()], backend().binary(b, value, other.value), this, other);
    }

    private Variable scalarOperand(float s) {
        return scalar(backend(), s);
    }

    // ---------------------------------------------------------------- elementwise

    /** {@code this + other}, broadcast. */
    public Variable add(Variable other) {
        return binary(BinaryOp.ADD, other);
    }

    public Variable add(float s) {
        return add(scalarOperand(s));
    }

    /** {@code this - other}, broadcast. */
    public Variable sub(Variable other) {
        return binary(BinaryOp.SUB, other);
    }

    public Variable sub(float s) {
        return sub(scalarOperand(s));
    }

    /** {@code this * other} elementwise, broadcast. */
    public Variable mul(Variable other) {
        return binary(BinaryOp.MUL, other);
    }

    public Variable mul(float s) {
        return mul(scalarOperand(s));
    }

    /** {@code this / other} elementwise, broadcast. */
    public Variable div(Variable other) {
        return binary(BinaryOp.DIV, other);
    }

    public Variable div(float s) {
        return div(scalarOperand(s));
    }

    /** Elementwise maximum; ties share the gradient equally. */
    public Variable max(Variable other) {
        return binary(BinaryOp.MAX, other);
    }

    /** Elementwise minimum; ties share the gradient equally. */
    public Variable min(Variable other) {
        return binary(BinaryOp.MIN, other);
    }

    /** Constant mask: 1 where {@code this > other}. */
    public Variable greater(Variable other) {
        return binary(BinaryOp.GREATER, other);
    }

    /** Constant mask: 1 where {@code this == other}. */
    public Variable equal(Variable other) {
        return binary(BinaryOp.EQUAL, other);
    }

    public Variable neg() {
        return unary(UnaryOp.NEG);
    }

    public Variable exp() {
        return unary(UnaryOp.EXP);
    }

    public Variable log() {
        return unary(UnaryOp.LOG);
    }

    public Variable sqrt() {
        return unary(UnaryOp.SQRT);
    }

    public Variable abs() {
        return unary(UnaryOp.ABS);
    }

    public Variable square() {
        return unary(UnaryOp.SQUARE);
    }

    public Variable reciprocal() {
        return unary(UnaryOp.RECIPROCAL);
    }

    public Variable tanh() {
        return unary(UnaryOp.TANH);
    }

    public Variable sigmoid() {
        return unary(UnaryOp.SIGMOID);
    }

    public Variable relu() {
        return unary(UnaryOp.RELU);
    }

    /** {@code log(1 + e^x)}, stable. */
    public Variable softplus() {
        return unary(UnaryOp.SOFTPLUS);
    }

    /** {@code log(sigmoid(x))}, stable. */
    public Variable logSigmoid() {
        return unary(UnaryOp.LOG_SIGMOID);
    }

    /** Constant: 1 where {@code x > 0}, else 0. */
    public Variable step() {
        return unary(UnaryOp.STEP);
    }

    /** Constant: -1, 0 or 1. */
    public Variable sign() {
        return unary(UnaryOp.SIGN);
    }

    // ---------------------------------------------------------------- reductions

    private Variable reduce(ReduceOp r, boolean keepDims, int... axes) {
        Tensor y = backend().reduce(r, value, keepDims, axes);
        return record(new Op.Reduce(r, sortedAxes(axes), keepDims), y, this);
    }

    /** The sum of every element, a scalar. */
    public Variable sum() {
        return sum(false);
    }

    /** The sum over {@code axes} (all when none); kept as size 1 with {@code keepDims}. */
    public Variable sum(boolean keepDims, int... axes) {
        return reduce(ReduceOp.SUM, keepDims, axes);
    }

    /** The mean of every element, a scalar. */
    public Variable mean() {
        return mean(false);
    }

    /** The mean over {@code axes} (all when none); kept as size 1 with {@code keepDims}. */
    public Variable mean(boolean keepDims, int... axes) {
        return reduce(ReduceOp.MEAN, keepDims, axes);
    }

    /** The maximum over {@code axes} (all when none); ties share the gradient equally. */
    public Variable amax(boolean keepDims, int... axes) {
        return reduce(ReduceOp.MAX, keepDims, axes);
    }

    /** Constant: the index of the smallest value along {@code axis} (ties go low), as floats. */
    public Variable argmin(int axis) {
        return constant(backend().argReduce(ArgOp.ARGMIN, value, axis));
    }

    /** Constant: the index of the largest value along {@code axis} (ties go low), as floats. */
    public Variable argmax(int axis) {
        return constant(backend().argReduce(ArgOp.ARGMAX, value, axis));
    }

    /** {@code log Σ e^x} along {@code axis}, stable. */
    public Variable logSumExp(int axis, boolean keepDims) {
        int a = shape().normalizeAxis(axis);
        Tensor y = backend().logSumExp(value, a, keepDims);
        return record(new Op.LogSumExp(a, keepDims), y, this);
    }

    /** {@code e^x / Σ e^x} along {@code axis}, stable. */
    public Variable softmax(int axis) {
        int a = shape().normalizeAxis(axis);
        return record(new Op.Softmax(a), backend().softmax(value, a), this);
    }

    /** See {@link #logSumExp(int, boolean)}. */
    public static Variable logSumExp(Variable x, int axis, boolean keepDims) {
        return x.logSumExp(axis, keepDims);
    }

    /** See {@link #softmax(int)}. */
    public static Variable softmax(Variable x, int axis) {
        return x.softmax(axis);
    }

    private int[] sortedAxes(int[] axes) {
        Shape s = shape();
        if (axes.length == 0) {
            int[] all = new int[s.rank()];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] sorted = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            sorted[i] = s.normalizeAxis(axes[i]);
        }
        Arrays.sort(sorted);
        return sorted;
    }

    // ---------------------------------------------------------------- matmul, movement

    /** The 2-D product {@code this · other}. */
    public Variable matmul(Variable other) {
        return matmul(other, false, false);
    }

    /** The 2-D product {@code op(this) · op(other)}, each transposed when its flag is set. */
    public Variable matmul(Variable other, boolean transA, boolean transB) {
        Tensor y = backend().matmul(value, transA, other.value, transB);
        return record(new Op.Matmul(transA, transB), y, this, other);
    }

    /** The same values in a new shape of the same size. */
    public Variable reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    public Variable reshape(Shape shape) {
        return record(new Op.Reshape(), backend().reshape(value, shape), this);
    }

    /** Permutes the axes: result axis {@code i} is input axis {@code perm[i]}. */
    public Variable transpose(int... perm) {
        Tensor y = backend().transpose(value, perm);
        return record(new Op.Transpose(perm.clone()), y, this);
    }

    /** The 2-D transpose. */
    public Variable transpose() {
        return transpose(1, 0);
    }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}. */
    public Variable slice(int axis, int start, int end) {
        Tensor y = backend().slice(value, axis, start, end);
        int a = shape().normalizeAxis(axis);
        return record(new Op.Slice(a, start, end), y, this);
    }

    /**
     * Elements {@code start[i]}, {@code start[i] + step[i]}, ... below {@code end[i]} on every
     * axis i (see {@link org.vae4j.tensor.Backend#slice(Tensor, int[], int[], int[])}).
     */
    public Variable slice(int[] start, int[] end, int[] step) {
        Tensor y = backend().slice(value, start, end, step);
        return record(new Op.StridedSlice(start.clone(), step.clone()), y, this);
    }

    /** Padded with {@code before[i]} and {@code after[i]} elements of {@code value} on axis i. */
    public Variable pad(int[] before, int[] after, float value) {
        Tensor y = backend().pad(this.value, before, after, value);
        return record(new Op.Pad(before.clone()), y, this);
    }

    /** Repeated to {@code shape} by NumPy's broadcasting rule; the gradient sums back. */
    public Variable broadcastTo(Shape shape) {
        return record(new Op.BroadcastTo(), backend().broadcastTo(value, shape), this);
    }

    /** Rows {@code rows[i]} along axis 0; rows may repeat (their gradients add up). */
    public Variable gatherRows(int[] rows) {
        Tensor y = backend().gatherRows(value, rows);
        return record(new Op.GatherRows(rows.clone()), y, this);
    }

    /** Joins variables along {@code axis}; every other dimension must agree. */
    public static Variable concat(int axis, Variable... xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one variable");
        }
        Tensor[] values = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            values[i] = xs[i].value;
        }
        Tensor y = xs[0].backend().concat(axis, values);
        int a = xs[0].shape().normalizeAxis(axis);
        return record(new Op.Concat(a), y, xs);
    }

    public static Variable concat(int axis, List<Variable> xs) {
        return concat(axis, xs.toArray(new Variable[0]));
    }

    /**
     * {@code x·w + b} for x {@code (n x in)}, w {@code (in x out)}, b {@code (out)}. Note the
     * weight layout is the transpose of PyTorch's {@code nn.Linear} weight {@code (out x in)}.
     */
    public static Variable linear(Variable x, Variable w, Variable b) {
        Tensor y = x.backend().linear(x.value, w.value, b.value);
        return record(LINEAR, y, x, w, b);
    }

    /** {@code relu(x·w + b)}: {@link #linear} and {@link #relu} in one op. */
    public static Variable linearRelu(Variable x, Variable w, Variable b) {
        Tensor y = x.backend().linearRelu(x.value, w.value, b.value);
        return record(LINEAR_RELU, y, x, w, b);
    }

    /**
     * {@code Σ softplus(l) − t·l} over every element, a scalar: the Bernoulli negative
     * log-likelihood of {@code target} under {@code sigmoid(logits)}, summed.
     */
    public static Variable bceWithLogitsSum(Variable logits, Variable target) {
        Tensor y = logits.backend().bceWithLogitsSum(logits.value, target.value);
        return record(BCE_WITH_LOGITS_SUM, y, logits, target);
    }

    /**
     * {@code −½ Σ (1 + logVar − mu² − e^logVar)} over every element, a scalar: the KL
     * divergence of {@code N(mu, e^logVar)} from the standard normal, summed.
     */
    public static Variable gaussianKl(Variable mu, Variable logVar) {
        Tensor y = mu.backend().gaussianKl(mu.value, logVar.value);
        return record(GAUSSIAN_KL, y, mu, logVar);
    }

    /**
     * The {@code (n x k)} squared Euclidean distances between the rows of {@code x (n x d)} and
     * of {@code codes (k x d)}.
     */
    public static Variable squaredDistances(Variable x, Variable codes) {
        Tensor y = x.backend().squaredDistances(x.value, codes.value);
        return record(SQUARED_DISTANCES, y, x, codes);
    }

    // ---------------------------------------------------------------- convolution, pooling

    /**
     * The 2-D convolution of this {@code (N x C x H x W)} input with {@code weight}
     * {@code (O x C x kH x kW)}: {@code (N x O x OH x OW)} (no bias; add one shaped
     * {@code (1 x O x 1 x 1)}).
     */
    public Variable conv2d(Variable weight, ConvSpec spec) {
        Tensor y = Convolutions.conv2d(backend(), value, weight.value, spec);
        return record(new Op.Conv2d(spec), y, this, weight);
    }

    /**
     * The transposed convolution of this {@code (N x I x H x W)} input with {@code weight}
     * {@code (I x O x kH x kW)}, PyTorch's {@code conv_transpose2d}: the output shape is
     * {@link ConvSpec#transposedOutputShape}.
     */
    public Variable convTranspose2d(Variable weight, ConvSpec spec, int outputPadH,
            int outputPadW) {
        Tensor y = Convolutions.convTranspose2d(backend(), value, weight.value, spec, outputPadH,
                outputPadW);
        return record(new Op.ConvTranspose2d(spec), y, this, weight);
    }

    /** The maximum of each pooling window of this {@code (N x C x H x W)} input. */
    public Variable maxPool2d(PoolSpec spec) {
        return record(new Op.MaxPool2d(spec), Convolutions.maxPool2d(backend(), value, spec),
                this);
    }

    /** The mean of each pooling window of this {@code (N x C x H x W)} input. */
    public Variable avgPool2d(PoolSpec spec) {
        return record(new Op.AvgPool2d(spec), Convolutions.avgPool2d(backend(), value, spec),
                this);
    }

    /** Constant: a {@code (labels.length x classes)} one-hot matrix. */
    public static Variable oneHot(Backend backend, int[] labels, int classes) {
        return constant(backend.oneHot(labels, classes));
    }
}
