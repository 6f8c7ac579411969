package org.vae4j.autodiff;

import static org.vae4j.autodiff.Op.*;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackwardKernels;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.Parallel;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * The one table of backward rules: for each {@link Op}, the gradient of the loss with respect to
 * input {@code i}, given the gradient {@code g} with respect to the output {@code y}, written with
 * backend primitives. Read it like PyTorch's {@code derivatives.yaml}.
 *
 * <p>A binary op's rule may return a gradient of the broadcast output shape; the engine sums it
 * back to the input's shape ({@link #sumToShape}), once, for every op.
 */
final class Gradients {

    /** The gradient with respect to input {@code i}. */
    @FunctionalInterface
    interface Rule {
        Tensor input(Ctx c, int i);
    }

    // settings an op records beside its inputs, for its rule
    record Reduce(int[] axes, boolean keepDims) { }
    record Matmul(boolean transA, boolean transB) { }
    record Perm(int[] perm) { }
    record Slice(int axis, int start, int end) { }
    record Axis(int axis, boolean keepDims) { }
    record Rows(int[] rows) { }
    record Strided(int[] start, int[] step) { }
    record Padding(int[] before) { }

    /** Ops whose results are constants: no gradient flows through them. */
    static final Set<Op> NON_DIFFERENTIABLE =
            EnumSet.of(STEP, SIGN, GREATER, EQUAL, ARGMIN, ARGMAX, ONE_HOT);

    private static final Map<Op, Rule> RULES = new EnumMap<>(Op.class);

    static {
        // unary: y = f(x)
        rule(NEG, (c, i) -> c.neg(c.g));
        rule(EXP, (c, i) -> c.mul(c.g, c.y));
        rule(LOG, (c, i) -> c.div(c.g, c.x(0)));
        rule(SQRT, (c, i) -> c.div(c.g, c.mul(c.y, c.scalar(2))));
        rule(ABS, (c, i) -> c.mul(c.g, c.un(UnaryOp.SIGN, c.x(0))));
        rule(SQUARE, (c, i) -> c.mul(c.g, c.mul(c.x(0), c.scalar(2))));
        rule(RECIPROCAL, (c, i) -> c.neg(c.mul(c.g, c.un(UnaryOp.SQUARE, c.y))));
        rule(TANH, (c, i) -> c.mul(c.g, c.sub(c.scalar(1), c.un(UnaryOp.SQUARE, c.y))));
        rule(SIGMOID, (c, i) -> c.mul(c.g, c.mul(c.y, c.sub(c.scalar(1), c.y))));
        rule(RELU, (c, i) -> BackwardKernels.reluBackward(c.be, c.g, c.y));
        rule(SOFTPLUS, (c, i) -> c.mul(c.g, c.un(UnaryOp.SIGMOID, c.x(0))));
        rule(LOG_SIGMOID, (c, i) -> c.mul(c.g, c.un(UnaryOp.SIGMOID, c.neg(c.x(0)))));

        // binary: y = f(x0, x1), broadcast
        rule(ADD, (c, i) -> c.g);
        rule(SUB, (c, i) -> i == 0 ? c.g : c.neg(c.g));
        rule(MUL, (c, i) -> c.mul(c.g, c.x(1 - i)));
        rule(DIV, (c, i) -> i == 0 ? c.div(c.g, c.x(1)) : c.neg(c.div(c.mul(c.g, c.y), c.x(1))));
        rule(MAX, (c, i) -> c.mul(c.g, c.chosen(c.x(i), c.x(1 - i))));
        rule(MIN, (c, i) -> c.mul(c.g, c.chosen(c.x(1 - i), c.x(i))));

        // reductions: g is spread back over the reduced axes; AMAX splits ties evenly
        rule(SUM, (c, i) -> c.spread(c.keptDims(c.g)));
        rule(MEAN, (c, i) -> c.div(c.spread(c.keptDims(c.g)), c.scalar(c.reducedCount())));
        rule(AMAX, (c, i) -> {
            Tensor hit = c.bin(BinaryOp.EQUAL, c.x(0), c.keptDims(c.y));
            Reduce r = c.attr(Reduce.class);
            return c.mul(c.keptDims(c.g), c.div(hit, c.be.sum(hit, true, r.axes())));
        });

        // y = op(a)·op(b)
        rule(MATMUL, (c, i) -> {
            Matmul m = c.attr(Matmul.class);
            Tensor a = c.x(0);
            Tensor b = c.x(1);
            if (i == 0) {
                return m.transA() ? c.be.matmul(b, m.transB(), c.g, true)
                        : c.be.matmul(c.g, false, b, !m.transB());
            }
            return m.transB() ? c.be.matmul(c.g, true, a, m.transA())
                    : c.be.matmul(a, !m.transA(), c.g, false);
        });

        // movement: the gradient moves back
        rule(RESHAPE, (c, i) -> c.be.reshape(c.g, c.shape(0)));
        rule(TRANSPOSE, (c, i) -> c.be.transpose(c.g, inverse(c.attr(Perm.class).perm())));
        rule(SLICE, (c, i) -> {
            Slice s = c.attr(Slice.class);
            Shape in = c.shape(0);
            return c.be.concat(s.axis(), c.be.zeros(in.withDim(s.axis(), s.start())), c.g,
                    c.be.zeros(in.withDim(s.axis(), in.dim(s.axis()) - s.end())));
        });
        rule(CONCAT, (c, i) -> {
            int axis = c.attr(Axis.class).axis();
            int start = 0;
            for (int k = 0; k < i; k++) {
                start += c.shape(k).dim(axis);
            }
            return c.be.slice(c.g, axis, start, start + c.shape(i).dim(axis));
        });
        // pad and strided slice are each other's duals; broadcastTo's gradient sums back
        rule(PAD, (c, i) -> {
            int[] before = c.attr(Padding.class).before();
            int[] end = new int[before.length];
            int[] step = new int[before.length];
            for (int k = 0; k < end.length; k++) {
                end[k] = before[k] + c.shape(0).dim(k);
                step[k] = 1;
            }
            return c.be.slice(c.g, before, end, step);
        });
        rule(STRIDED_SLICE, (c, i) -> unslice(c.be, c.g, c.attr(Strided.class), c.shape(0)));
        rule(BROADCAST_TO, (c, i) -> sumToShape(c.be, c.g, c.shape(0)));
        rule(GATHER_ROWS, (c, i) ->
                c.be.scatterAddRows(c.g, c.attr(Rows.class).rows(), c.shape(0).dim(0)));

        // composites: y = x·w + b; log Σ e^x; softmax; |x_i - c_j|²
        rule(LINEAR, (c, i) -> switch (i) {
            case 0 -> c.be.matmul(c.g, false, c.x(1), true);
            case 1 -> c.be.matmul(c.x(0), true, c.g, false);
            default -> c.be.sum(c.g, false, 0);
        });
        rule(LOG_SUM_EXP, (c, i) ->
                c.mul(c.keptDims(c.g), c.un(UnaryOp.EXP, c.sub(c.x(0), c.keptDims(c.y)))));
        rule(SOFTMAX, (c, i) -> c.mul(c.y, c.sub(c.g,
                c.be.sum(c.mul(c.g, c.y), true, c.attr(Axis.class).axis()))));
        // fused: y = relu(x·w + b), the linear rule applied to g·step(y), shared by the inputs
        rule(LINEAR_RELU, (c, i) -> {
            Tensor gz = c.shared(() -> BackwardKernels.reluBackward(c.be, c.g, c.y));
            return switch (i) {
                case 0 -> c.be.matmul(gz, false, c.x(1), true);
                case 1 -> c.be.matmul(c.x(0), true, gz, false);
                default -> c.be.sum(gz, false, 0);
            };
        });
        // y = Σ softplus(l) − t·l;  dl = (sigmoid(l) − t)·g,  dt = −l·g
        rule(BCE_WITH_LOGITS_SUM, (c, i) -> i == 0
                ? BackwardKernels.bceWithLogitsBackward(c.be, c.x(0), c.x(1), c.g)
                : c.neg(c.mul(c.x(0), c.g)));
        // y = −½ Σ (1 + lv − μ² − e^lv);  dμ = μ·g,  dlv = ½(e^lv − 1)·g
        rule(GAUSSIAN_KL, (c, i) -> i == 0 ? c.mul(c.x(0), c.g)
                : c.mul(c.sub(c.un(UnaryOp.EXP, c.x(1)), c.scalar(1)),
                        c.mul(c.g, c.scalar(0.5f))));
        rule(SQUARED_DISTANCES, (c, i) -> {
            // d_ij = |x_i|² - 2 x_i·c_j + |c_j|²
            Tensor g = c.g;
            Tensor twice = i == 0
                    ? c.sub(c.mul(c.x(0), c.be.sum(g, true, 1)), c.be.matmul(g, c.x(1)))
                    : c.sub(c.mul(c.x(1), c.be.reshape(c.be.sum(g, false, 0), c.shape(1).withDim(1, 1))),
                            c.be.matmul(g, true, c.x(0), false));
            return c.mul(twice, c.scalar(2));
        });
    }

    private Gradients() {
    }

    private static void rule(Op op, Rule rule) {
        RULES.put(op, rule);
    }

    /** Whether {@code op} has a backward rule. */
    static boolean hasRule(Op op) {
        return RULES.containsKey(op);
    }

    /** The rule for {@code op}, or an error naming it. */
    static Rule rule(Op op) {
        Rule r = RULES.get(op);
        if (r == null) {
            throw new IllegalStateException("no gradient rule for " + op);
        }
        return r;
    }

    /**
     * The gradients with respect to the inputs of {@code node} that require one, each in that
     * input's shape (null for the others). One context serves all inputs, so what a rule
     * {@linkplain Ctx#shared shares} is computed once per node.
     */
    static Tensor[] inputGradients(Variable node, Tensor g) {
        Ctx c = new Ctx(node, g);
        Rule rule = rule(node.op());
        Tensor[] grads = new Tensor[node.parentCount()];
        int aside = inputAside(node, c);
        Parallel.Forked<Tensor> forked = aside < 0 ? null
                : Parallel.forThreads(c.be.threads()).fork(() -> {
            try (TensorScope scope = c.be.newScope()) {
                return scope.keep(sumToShape(c.be, rule.input(c, aside), c.shape(aside)));
            }
        });
        try {
            for (int i = 0; i < grads.length; i++) {
                if (i != aside && node.parent(i).requiresGrad()) {
                    grads[i] = sumToShape(c.be, rule.input(c, i), c.shape(i));
                }
            }
        } catch (RuntimeException | Error e) {
            if (forked != null) {
                try {
                    forked.join().close();
                } catch (RuntimeException | Error suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        if (forked != null) {
            grads[aside] = TensorScope.adopt(forked.join());
        }
        return grads;
    }

    /** Ops whose input gradients are independent products, with no intermediate in common. */
    private static final Set<Op> SIDE_BY_SIDE = EnumSet.of(MATMUL, LINEAR);
    /** Elements of a weight gradient from which it is worth a second thread. */
    private static final int SIDE_BY_SIDE_ELEMENTS = 1 << 15;

    /**
     * The input whose gradient a {@link Parallel} worker computes while this thread computes the
     * others, or -1: the weight's, for a large product whose other input needs a gradient too
     * (a decoder's output layer: the two products, each as large as the forward one, then run at
     * once on two cores).
     */
    private static int inputAside(Variable node, Ctx c) {
        if (!SIDE_BY_SIDE.contains(node.op()) || c.be.threads() < 2
                || !node.parent(0).requiresGrad() || !node.parent(1).requiresGrad()
                || c.shape(1).size() < SIDE_BY_SIDE_ELEMENTS) {
            return -1;
        }
        return 1;
    }

    /** Sums a broadcast gradient back to {@code shape}: over leading axes and axes of size 1. */
    static Tensor sumToShape(Backend be, Tensor g, Shape shape) {
        Shape gs = g.shape();
        if (gs.equals(shape)) {
            return g;
        }
        int extra = gs.rank() - shape.rank();
        int[] axes = new int[gs.rank()];
        int n = 0;
        for (int a = 0; a < gs.rank(); a++) {
            if (a < extra || (shape.dim(a - extra) == 1 && gs.dim(a) != 1)) {
                axes[n++] = a;
            }
        }
        Tensor summed = n == 0 ? g : be.sum(g, true, java.util.Arrays.copyOf(axes, n));
        return be.reshape(summed, shape);
    }

    /**
     * The gradient of a strided slice: {@code g}'s values back at their places in a zero tensor
     * of the input's shape. Each strided axis is spread with zeros by reshaping to
     * {@code (before, m, 1, after)} and padding the new axis to the step (rank stays within
     * {@link Shape#MAX_RANK}); one pad then places the block at the starts.
     */
    private static Tensor unslice(Backend be, Tensor g, Strided s, Shape in) {
        int rank = in.rank();
        Tensor t = g;
        int[] dims = g.shape().dims();
        for (int k = 0; k < rank; k++) {
            int step = s.step()[k];
            if (step == 1 || dims[k] == 0) {
                continue;
            }
            int outer = 1;
            for (int j = 0; j < k; j++) {
                outer *= dims[j];
            }
            int inner = 1;
            for (int j = k + 1; j < rank; j++) {
                inner *= dims[j];
            }
            int m = dims[k];
            Tensor column = be.reshape(t, Shape.of(outer, m, 1, inner));
            Tensor spread = be.pad(column, new int[] {0, 0, 0, 0}, new int[] {0, 0, step - 1, 0},
                    0f);
            // the last step's trailing zeros may run past the input's end: keep what fits
            int kept = Math.min(m * step, in.dim(k) - s.start()[k]);
            Tensor flat = be.reshape(spread, Shape.of(outer, m * step, inner));
            Tensor cut = be.slice(flat, 1, 0, kept);
            dims[k] = kept;
            t = be.reshape(cut, Shape.of(dims));
        }
        int[] after = new int[rank];
        for (int k = 0; k < rank; k++) {
            after[k] = in.dim(k) - s.start()[k] - dims[k];
        }
        return be.pad(t, s.start(), after, 0f);
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    /** What a rule sees: the output gradient, the inputs and output, and small helpers. */
    static final class Ctx {
        final Backend be;
        final Tensor g;
        final Tensor y;
        private final Variable node;
        private Tensor shared;

        Ctx(Variable node, Tensor g) {
            this.node = node;
            this.be = node.backend();
            this.g = g;
            this.y = node.value();
        }

        Tensor x(int i) {
            return node.parent(i).value();
        }

        Shape shape(int i) {
            return node.parent(i).shape();
        }

        /**
         * A tensor the rules of several inputs of this node need (e.g. the gradient before an
         * activation), computed by the first that asks; a rule has at most one.
         */
        Tensor shared(java.util.function.Supplier<Tensor> compute) {
            if (shared == null) {
                shared = compute.get();
            }
            return shared;
        }

        <T> T attr(Class<T> type) {
            return type.cast(node.attr());
        }

        Tensor scalar(float v) {
            return be.scalar(v);
        }

        Tensor un(UnaryOp op, Tensor a) {
            return be.unary(op, a);
        }

        Tensor bin(BinaryOp op, Tensor a, Tensor b) {
            return be.binary(op, a, b);
        }

        Tensor neg(Tensor a) {
            return be.unary(UnaryOp.NEG, a);
        }

        Tensor add(Tensor a, Tensor b) {
            return be.add(a, b);
        }

        Tensor sub(Tensor a, Tensor b) {
            return be.sub(a, b);
        }

        Tensor mul(Tensor a, Tensor b) {
            return be.mul(a, b);
        }

        Tensor div(Tensor a, Tensor b) {
            return be.div(a, b);
        }

        /** A reduction's output reshaped as if keepDims were set, so it broadcasts to x. */
        Tensor keptDims(Tensor t) {
            int[] axes = node.attr() instanceof Axis a ? new int[] {a.axis()}
                    : attr(Reduce.class).axes();
            return be.reshape(t, Backend.reducedShape(shape(0), axes, true));
        }

        /** {@code t} broadcast to input 0's shape. */
        Tensor spread(Tensor t) {
            return be.add(be.zeros(shape(0)), t);
        }

        /** How many elements each output of a reduction summarises. */
        float reducedCount() {
            return (float) shape(0).size() / Math.max(1, y.size());
        }

        /** 1 where {@code winner > loser}, 1/2 on ties, else 0: where the winner was chosen. */
        Tensor chosen(Tensor winner, Tensor loser) {
            Tensor tie = be.mul(bin(BinaryOp.EQUAL, winner, loser), scalar(0.5f));
            return be.add(bin(BinaryOp.GREATER, winner, loser), tie);
        }
    }
}
