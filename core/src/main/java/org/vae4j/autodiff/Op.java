package org.vae4j.autodiff;

import java.util.Locale;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ConvComposites;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * Every operation a {@link Variable} can record, with the settings its backward rule needs and
 * the rule itself: the one table of gradients, to be read like PyTorch's
 * {@code derivatives.yaml}. Each record is an op's identity and its typed settings; its
 * {@link #gradient} is the gradient of the loss with respect to input {@code i}, given the
 * gradient {@code c.g} with respect to the output {@code c.y}, written with backend primitives
 * (so every backend gets the same gradients).
 *
 * <p>The table is complete by construction: the interface is sealed, every record must write its
 * rule, and the elementwise and reduction rules are exhaustive switches over the backend's
 * {@link UnaryOp}, {@link BinaryOp} and {@link ReduceOp}, so a new tensor op fails to compile
 * here until its gradient (or its mark as non-differentiable) is written.
 *
 * <p>A broadcasting op's rule may return a gradient of the broadcast output shape; the engine
 * sums it back to the input's shape, once, for every op.
 */
public sealed interface Op {

    /** The op's name in messages and test reports, e.g. {@code logSigmoid} or {@code matmul}. */
    String name();

    /**
     * Whether a gradient flows through this op; the result of one that does not is recorded as
     * a constant (a mask, a sign).
     */
    default boolean isDifferentiable() {
        return true;
    }

    /**
     * The gradient with respect to input {@code i}. Called by the engine with a context it
     * makes; only for inputs that require a gradient.
     */
    Tensor gradient(RuleContext c, int i);

    /**
     * A tensor the rules of several inputs need (the gradient before a fused activation), or
     * null. The engine computes it once per node, on the node's thread, before any input's
     * rule runs, so rules that run side by side only read it ({@link RuleContext#shared()}).
     */
    default Tensor shared(RuleContext c) {
        return null;
    }

    /**
     * Whether the inputs' gradients are independent products with nothing in common, so that
     * a second thread may compute one while the first computes the other.
     */
    default boolean independentInputs() {
        return false;
    }

    // ---------------------------------------------------------------- elementwise: y = f(x)

    /**
     * An elementwise op of the backend's: named after it, its rule chosen from an exhaustive
     * switch over the backend's enum ({@code null}: a constant, no gradient).
     */
    sealed interface Elementwise extends Op permits Unary, Binary {

        /** The backend's op. */
        Enum<?> op();

        /** Its rule, or null when its result is a constant. */
        Rule rule();

        @Override
        default String name() {
            return camel(op());
        }

        @Override
        default boolean isDifferentiable() {
            return rule() != null;
        }

        @Override
        default Tensor gradient(RuleContext c, int i) {
            Rule r = rule();
            if (r == null) {
                throw new IllegalStateException("no gradient rule for " + name());
            }
            return r.input(c, i);
        }
    }

    /** {@code y = op(x)} elementwise. */
    record Unary(UnaryOp op) implements Elementwise {
        @Override
        public Rule rule() {
            return rule(op);
        }

        private static final float TWO_OVER_SQRT_PI = (float) (2 / Math.sqrt(Math.PI));

        // exhaustive, without default: a new UnaryOp fails to compile until its rule is here
        private static Rule rule(UnaryOp op) {
            return switch (op) {
                case NEG -> (c, i) -> c.neg(c.g);
                case EXP -> (c, i) -> c.mul(c.g, c.y);
                case LOG -> (c, i) -> c.div(c.g, c.x(0));
                case SQRT -> (c, i) -> c.div(c.g, c.mul(c.y, c.scalar(2)));
                case ABS -> (c, i) -> c.mul(c.g, c.un(UnaryOp.SIGN, c.x(0)));
                case SQUARE -> (c, i) -> c.mul(c.g, c.mul(c.x(0), c.scalar(2)));
                case RECIPROCAL -> (c, i) -> c.neg(c.mul(c.g, c.un(UnaryOp.SQUARE, c.y)));
                case TANH -> (c, i) ->
                        c.mul(c.g, c.sub(c.scalar(1), c.un(UnaryOp.SQUARE, c.y)));
                case SIGMOID -> (c, i) -> c.mul(c.g, c.mul(c.y, c.sub(c.scalar(1), c.y)));
                case RELU -> (c, i) -> c.reluBackward(c.g, c.y);
                case SOFTPLUS -> (c, i) -> c.mul(c.g, c.un(UnaryOp.SIGMOID, c.x(0)));
                case LOG_SIGMOID -> (c, i) ->
                        c.mul(c.g, c.un(UnaryOp.SIGMOID, c.neg(c.x(0))));
                // d erf(x) = 2/√π e^(−x²)
                case ERF -> (c, i) -> c.mul(c.g, c.mul(c.un(UnaryOp.EXP,
                        c.neg(c.un(UnaryOp.SQUARE, c.x(0)))), c.scalar(TWO_OVER_SQRT_PI)));
                // constants: masks and signs
                case STEP, SIGN -> null;
            };
        }
    }

    /** {@code y = op(x0, x1)} elementwise with broadcasting. */
    record Binary(BinaryOp op) implements Elementwise {
        @Override
        public Rule rule() {
            return rule(op);
        }

        private static Rule rule(BinaryOp op) {
            return switch (op) {
                case ADD -> (c, i) -> c.g;
                case SUB -> (c, i) -> i == 0 ? c.g : c.neg(c.g);
                case MUL -> (c, i) -> c.mul(c.g, c.x(1 - i));
                case DIV -> (c, i) -> i == 0 ? c.div(c.g, c.x(1))
                        : c.neg(c.div(c.mul(c.g, c.y), c.x(1)));
                // ties share the gradient equally
                case MAX -> (c, i) -> c.mul(c.g, c.chosen(c.x(i), c.x(1 - i)));
                case MIN -> (c, i) -> c.mul(c.g, c.chosen(c.x(1 - i), c.x(i)));
                // constant masks
                case GREATER, EQUAL -> null;
            };
        }
    }

    // ---------------------------------------------------------------- reductions

    /** {@code y = op(x)} over the sorted {@code axes}; g is spread back over them. */
    record Reduce(ReduceOp op, int[] axes, boolean keepDims) implements Op {
        @Override
        public String name() {
            return op == ReduceOp.MAX ? "amax" : camel(op);
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            Tensor g = c.keptDims(c.g, axes);
            return switch (op) {
                case SUM -> c.spread(g);
                case MEAN -> c.div(c.spread(g), c.scalar(c.reducedCount()));
                // ties split the gradient evenly
                case MAX -> {
                    Tensor hit = c.bin(BinaryOp.EQUAL, c.x(0), c.keptDims(c.y, axes));
                    yield c.mul(g, c.div(hit, c.be.sum(hit, true, axes)));
                }
            };
        }
    }

    /** {@code y = log Σ e^x} along {@code axis}, stable. */
    record LogSumExp(int axis, boolean keepDims) implements Op {
        @Override
        public String name() {
            return "logSumExp";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            int[] axes = {axis};
            return c.mul(c.keptDims(c.g, axes),
                    c.un(UnaryOp.EXP, c.sub(c.x(0), c.keptDims(c.y, axes))));
        }
    }

    /** {@code y = e^x / Σ e^x} along {@code axis}. */
    record Softmax(int axis) implements Op {
        @Override
        public String name() {
            return "softmax";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return c.mul(c.y, c.sub(c.g, c.be.sum(c.mul(c.g, c.y), true, axis)));
        }
    }

    // ---------------------------------------------------------------- products

    /** {@code y = op(a)·op(b)}. */
    record Matmul(boolean transA, boolean transB) implements Op {
        @Override
        public String name() {
            return "matmul";
        }

        @Override
        public boolean independentInputs() {
            return true;
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            Tensor a = c.x(0);
            Tensor b = c.x(1);
            if (i == 0) {
                return transA ? c.be.matmul(b, transB, c.g, true)
                        : c.be.matmul(c.g, false, b, !transB);
            }
            return transB ? c.be.matmul(c.g, true, a, transA)
                    : c.be.matmul(a, !transA, c.g, false);
        }
    }

    /** {@code y = x·w + b}. */
    record Linear() implements Op {
        @Override
        public String name() {
            return "linear";
        }

        @Override
        public boolean independentInputs() {
            return true;
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return linearInput(c, c.g, i);
        }
    }

    /**
     * {@code y = relu(x·w + b)}: the linear rule applied to {@code g·step(y)}, which the inputs
     * share.
     */
    record LinearRelu() implements Op {
        @Override
        public String name() {
            return "linearRelu";
        }

        @Override
        public Tensor shared(RuleContext c) {
            return c.reluBackward(c.g, c.y);
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return linearInput(c, c.shared(), i);
        }
    }

    /** {@code d_ij = |x_i|² − 2 x_i·c_j + |c_j|²} between the rows of x and of the codes. */
    record SquaredDistances() implements Op {
        @Override
        public String name() {
            return "squaredDistances";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            Tensor g = c.g;
            Tensor twice = i == 0
                    ? c.sub(c.mul(c.x(0), c.be.sum(g, true, 1)), c.be.matmul(g, c.x(1)))
                    : c.sub(c.mul(c.x(1), c.be.reshape(c.be.sum(g, false, 0),
                            c.shape(1).withDim(1, 1))), c.be.matmul(g, true, c.x(0), false));
            return c.mul(twice, c.scalar(2));
        }
    }

    // ---------------------------------------------------------------- convolution, pooling

    /** {@code y = conv2d(x, w)}: NCHW input, OIHW weight. */
    record Conv2d(ConvSpec spec) implements Op {
        @Override
        public String name() {
            return "conv2d";
        }

        @Override
        public boolean independentInputs() {
            return true;
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return i == 0 ? c.conv2dBackwardInput(c.g, c.x(1), spec, c.shape(0))
                    : c.conv2dBackwardFilter(c.x(0), c.g, spec, c.shape(1));
        }
    }

    /**
     * {@code y} the transposed convolution of x by w {@code (I x O x kH x kW)}: the input
     * gradient of the convolution that maps y's shape to x's. Its gradients are that
     * convolution and its weight gradient, with the roles of x and g exchanged.
     */
    record ConvTranspose2d(ConvSpec spec) implements Op {
        @Override
        public String name() {
            return "convTranspose2d";
        }

        @Override
        public boolean independentInputs() {
            return true;
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return i == 0 ? c.conv2d(c.g, c.x(1), spec)
                    : c.conv2dBackwardFilter(c.g, c.x(0), spec, c.shape(1));
        }
    }

    /** The maximum of each window; g goes to the first maximum. */
    record MaxPool2d(PoolSpec spec) implements Op {
        @Override
        public String name() {
            return "maxPool2d";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return c.maxPool2dBackward(c.x(0), c.g, spec);
        }
    }

    /** The mean of each window; g is shared evenly by the window's cells. */
    record AvgPool2d(PoolSpec spec) implements Op {
        @Override
        public String name() {
            return "avgPool2d";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return c.avgPool2dBackward(c.g, spec, c.shape(0));
        }
    }

    // ---------------------------------------------------------------- the VAE's loss terms

    /** {@code y = Σ softplus(l) − t·l};  {@code dl = (sigmoid(l) − t)·g}, {@code dt = −l·g}. */
    record BceWithLogitsSum() implements Op {
        @Override
        public String name() {
            return "bceWithLogitsSum";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return i == 0 ? c.bceWithLogitsBackward(c.x(0), c.x(1), c.g)
                    : c.neg(c.mul(c.x(0), c.g));
        }
    }

    /** {@code y = −½ Σ (1 + lv − μ² − e^lv)};  {@code dμ = μ·g}, {@code dlv = ½(e^lv − 1)·g}. */
    record GaussianKl() implements Op {
        @Override
        public String name() {
            return "gaussianKl";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return i == 0 ? c.mul(c.x(0), c.g)
                    : c.mul(c.sub(c.un(UnaryOp.EXP, c.x(1)), c.scalar(1)),
                            c.mul(c.g, c.scalar(0.5f)));
        }
    }

    // ---------------------------------------------------------------- movement: g moves back

    /** The same values in another shape. */
    record Reshape() implements Op {
        @Override
        public String name() {
            return "reshape";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return c.be.reshape(c.g, c.shape(0));
        }
    }

    /** Result axis {@code k} is input axis {@code perm[k]}. */
    record Transpose(int[] perm) implements Op {
        @Override
        public String name() {
            return "transpose";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            int[] inverse = new int[perm.length];
            for (int k = 0; k < perm.length; k++) {
                inverse[perm[k]] = k;
            }
            return c.be.transpose(c.g, inverse);
        }
    }

    /** Elements {@code start} to {@code end} along {@code axis}; g goes back between zeros. */
    record Slice(int axis, int start, int end) implements Op {
        @Override
        public String name() {
            return "slice";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            Shape in = c.shape(0);
            return c.be.concat(axis, c.be.zeros(in.withDim(axis, start)), c.g,
                    c.be.zeros(in.withDim(axis, in.dim(axis) - end)));
        }
    }

    /** Every {@code step[k]}-th element from {@code start[k]} on each axis k. */
    record StridedSlice(int[] start, int[] step) implements Op {
        @Override
        public String name() {
            return "stridedSlice";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            // the adjoint of the slice: g back at its places, zeros between
            return ConvComposites.unslice(c.be, c.g, start, step, c.shape(0));
        }
    }

    /** Constant padding, {@code before[k]} elements ahead of axis k; its dual is a slice. */
    record Pad(int[] before) implements Op {
        @Override
        public String name() {
            return "pad";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            int[] end = new int[before.length];
            int[] step = new int[before.length];
            for (int k = 0; k < end.length; k++) {
                end[k] = before[k] + c.shape(0).dim(k);
                step[k] = 1;
            }
            return c.be.slice(c.g, before, end, step);
        }
    }

    /** Repeated to a larger shape by broadcasting; g sums back. */
    record BroadcastTo() implements Op {
        @Override
        public String name() {
            return "broadcastTo";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return Gradients.sumToShape(c.be, c.g, c.shape(0));
        }
    }

    /** Inputs joined along {@code axis}; each gets its part of g back. */
    record Concat(int axis) implements Op {
        @Override
        public String name() {
            return "concat";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            int from = 0;
            for (int k = 0; k < i; k++) {
                from += c.shape(k).dim(axis);
            }
            return c.be.slice(c.g, axis, from, from + c.shape(i).dim(axis));
        }
    }

    /** Rows {@code rows[k]} along axis 0; repeated rows add up their gradients. */
    record GatherRows(int[] rows) implements Op {
        @Override
        public String name() {
            return "gatherRows";
        }

        @Override
        public Tensor gradient(RuleContext c, int i) {
            return c.be.scatterAddRows(c.g, rows, c.shape(0).dim(0));
        }
    }

    // ---------------------------------------------------------------- shared pieces

    /** One input's gradient, for the rules that share a form. */
    @FunctionalInterface
    interface Rule {
        Tensor input(RuleContext c, int i);
    }

    /** The gradients of {@code y = x·w + b} given {@code gz}, the gradient of the product. */
    private static Tensor linearInput(RuleContext c, Tensor gz, int i) {
        Backend be = c.be;
        return switch (i) {
            case 0 -> be.matmul(gz, false, c.x(1), true);
            case 1 -> be.matmul(c.x(0), true, gz, false);
            default -> be.sum(gz, false, 0);
        };
    }

    /** {@code LOG_SIGMOID} is {@code logSigmoid}. */
    private static String camel(Enum<?> op) {
        String[] words = op.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return sb.toString();
    }
}
