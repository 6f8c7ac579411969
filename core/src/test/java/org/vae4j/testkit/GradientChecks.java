package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Op;
import org.vae4j.autodiff.Variable;
import org.vae4j.loss.Losses;
import org.vae4j.loss.Mmd;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * Finite-difference checks of every backward rule in the gradient table, run on any backend:
 * a backend module adds a subclass that returns its backend.
 *
 * <p>Each case computes {@code L = Σ w ⊙ f(x...)} with fixed random weights {@code w} (so that
 * rules like softmax's, whose plain sum is constant, are tested), differentiates it, and compares
 * every input element's gradient with the central difference {@code (L(x+h) − L(x−h)) / 2h},
 * {@code h =} {@value #STEP}. Values are float32, so the check allows
 * {@code |analytic − numeric| <= ABSOLUTE + RELATIVE · max(|analytic|, |numeric|)} with the
 * tolerances below. Inputs keep away from kinks (relu and abs at 0, ties of max) by more than h.
 */
public abstract class GradientChecks {

    /** The central-difference step. */
    protected static final double STEP = 1e-2;
    /** Allowed relative difference between the analytic and the numeric gradient. */
    protected static final double RELATIVE = 1e-2;
    /** Allowed absolute difference, for gradients near zero. */
    protected static final double ABSOLUTE = 1e-3;

    protected abstract Backend backend();

    private TensorScope scope;
    private long liveBefore;

    @BeforeEach
    void openScope() {
        liveBefore = backend().liveTensors();
        scope = backend().newScope();
    }

    @AfterEach
    void closeScopeAndCheckForLeaks() {
        scope.close();
        assertEquals(liveBefore, backend().liveTensors(), "tensors leaked by the test");
    }

    // ---------------------------------------------------------------- the cases

    /** One function of some inputs to check, and the ops it exercises. */
    protected record Case(String name, Set<String> ops, Function<Variable[], Variable> f,
            Input... inputs) {
    }

    /** An input's shape and values. */
    protected record Input(Shape shape, float[] data) {
    }

    private static final Rng RNG = new Rng(20240611L);

    private static Input uniform(double low, double high, int... dims) {
        Shape s = Shape.of(dims);
        return new Input(s, RNG.uniform(s.size(), low, high));
    }

    private static Input normal(int... dims) {
        return uniform(-1, 1, dims);
    }

    private static Input positive(int... dims) {
        return uniform(0.5, 2, dims);
    }

    /** Values of either sign at least 0.3 away from 0. */
    private static Input awayFromZero(int... dims) {
        Input in = uniform(0.3, 1, dims);
        float[] signs = RNG.bernoulli(in.data().length, 0.5);
        for (int i = 0; i < signs.length; i++) {
            in.data()[i] *= signs[i] == 1 ? 1 : -1;
        }
        return in;
    }

    /** Distinct values 0.1 apart in random order, so maxima have no near ties. */
    private static Input distinct(int... dims) {
        Shape s = Shape.of(dims);
        int[] perm = RNG.permutation(s.size());
        float[] data = new float[s.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = perm[i] * 0.1f - 0.5f;
        }
        return new Input(s, data);
    }

    /** {@code base} plus an offset of either sign at least 0.2 in size: no ties with base. */
    private static Input apartFrom(Input base) {
        Input off = awayFromZero(base.shape().dims());
        float[] d = new float[base.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = base.data()[i] + off.data()[i] * 0.6f;
        }
        return new Input(base.shape(), d);
    }

    private static Case c(String name, Set<String> ops, Function<Variable[], Variable> f,
            Input... inputs) {
        return new Case(name, ops, f, inputs);
    }

    private static Case c(String name, String op, Function<Variable[], Variable> f,
            Input... inputs) {
        return c(name, Set.of(op), f, inputs);
    }

    /**
     * A case of a composite outside core (a model's own math, e.g. a flow's log-determinant),
     * for a subclass to {@link #check} with the same steps and tolerances as the table's rules.
     */
    protected static Case composite(String name, Set<String> ops,
            Function<Variable[], Variable> f, Input... inputs) {
        return c(name, ops, f, inputs);
    }

    /** An input of shape {@code dims}, uniform in [low, high) from the checks' own generator. */
    protected static Input uniformInput(double low, double high, int... dims) {
        return uniform(low, high, dims);
    }

    /** Every case; together they exercise every differentiable op. */
    protected static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        // unary
        cs.add(c("neg", "neg", v -> v[0].neg(), normal(3, 4)));
        cs.add(c("exp", "exp", v -> v[0].exp(), normal(3, 4)));
        cs.add(c("log", "log", v -> v[0].log(), positive(3, 4)));
        cs.add(c("sqrt", "sqrt", v -> v[0].sqrt(), positive(3, 4)));
        cs.add(c("abs", "abs", v -> v[0].abs(), awayFromZero(3, 4)));
        cs.add(c("square", "square", v -> v[0].square(), normal(3, 4)));
        cs.add(c("reciprocal", "reciprocal", v -> v[0].reciprocal(), positive(3, 4)));
        cs.add(c("tanh", "tanh", v -> v[0].tanh(), normal(3, 4)));
        cs.add(c("sigmoid", "sigmoid", v -> v[0].sigmoid(), uniform(-3, 3, 3, 4)));
        cs.add(c("relu", "relu", v -> v[0].relu(), awayFromZero(3, 4)));
        cs.add(c("softplus", "softplus", v -> v[0].softplus(), uniform(-3, 3, 3, 4)));
        cs.add(c("logSigmoid", "logSigmoid", v -> v[0].logSigmoid(), uniform(-3, 3, 3, 4)));
        cs.add(c("erf", "erf", v -> v[0].unary(UnaryOp.ERF), uniform(-2.5, 2.5, 3, 4)));
        // binary, with broadcasting
        cs.add(c("add", "add", v -> v[0].add(v[1]), normal(3, 4), normal(3, 4)));
        cs.add(c("add bias (3x4)+(4)", "add", v -> v[0].add(v[1]), normal(3, 4), normal(4)));
        cs.add(c("add column (3x1)+(3x4)", "add", v -> v[0].add(v[1]), normal(3, 1),
                normal(3, 4)));
        cs.add(c("add scalar", "add", v -> v[0].add(v[1]), normal(), normal(2, 3)));
        cs.add(c("sub (3x1)-(1x4)", "sub", v -> v[0].sub(v[1]), normal(3, 1), normal(1, 4)));
        cs.add(c("sub rank 3 (2x3x4)-(3x1)", "sub", v -> v[0].sub(v[1]), normal(2, 3, 4),
                normal(3, 1)));
        cs.add(c("mul (3x4)*(3x1)", "mul", v -> v[0].mul(v[1]), normal(3, 4), normal(3, 1)));
        cs.add(c("div (3x4)/(4)", "div", v -> v[0].div(v[1]), normal(3, 4), positive(4)));
        cs.add(c("div (3x1)/(3x4)", "div", v -> v[0].div(v[1]), normal(3, 1), positive(3, 4)));
        Input a = normal(3, 4);
        cs.add(c("max", "max", v -> v[0].max(v[1]), a, apartFrom(a)));
        Input row = normal(4);
        cs.add(c("min (3x4) vs (4)", "min", v -> v[0].min(v[1]),
                apartFrom(new Input(Shape.of(3, 4), tile(row.data(), 3))), row));
        // reductions
        cs.add(c("sum all", "sum", v -> v[0].sum(), normal(3, 4)));
        cs.add(c("sum axis 1 keepDims", "sum", v -> v[0].sum(true, 1), normal(3, 4)));
        cs.add(c("sum axes 0,2 of rank 3", "sum", v -> v[0].sum(false, 0, 2),
                normal(2, 3, 4)));
        cs.add(c("mean axis 0", "mean", v -> v[0].mean(false, 0), normal(3, 4)));
        cs.add(c("mean all keepDims", "mean", v -> v[0].mean(true), normal(3, 4)));
        cs.add(c("mean axis -1 of rank 3", "mean", v -> v[0].mean(false, -1), normal(2, 3, 4)));
        cs.add(c("amax axis 1", "amax", v -> v[0].amax(false, 1), distinct(3, 4)));
        cs.add(c("amax all keepDims", "amax", v -> v[0].amax(true), distinct(3, 4)));
        cs.add(c("amax axes 0,1 of rank 3", "amax", v -> v[0].amax(true, 0, 1),
                distinct(2, 3, 4)));
        // matmul, every transpose combination
        cs.add(c("matmul a·b", "matmul", v -> v[0].matmul(v[1]), normal(3, 4), normal(4, 2)));
        cs.add(c("matmul aᵀ·b", "matmul", v -> v[0].matmul(v[1], true, false), normal(4, 3),
                normal(4, 2)));
        cs.add(c("matmul a·bᵀ", "matmul", v -> v[0].matmul(v[1], false, true), normal(3, 4),
                normal(2, 4)));
        cs.add(c("matmul aᵀ·bᵀ", "matmul", v -> v[0].matmul(v[1], true, true), normal(4, 3),
                normal(2, 4)));
        // movement
        cs.add(c("reshape", "reshape", v -> v[0].reshape(2, 6), normal(3, 4)));
        cs.add(c("transpose 2-D", "transpose", v -> v[0].transpose(), normal(3, 4)));
        cs.add(c("transpose rank 3", "transpose", v -> v[0].transpose(2, 0, 1),
                normal(2, 3, 4)));
        cs.add(c("slice axis 1", "slice", v -> v[0].slice(1, 1, 3), normal(3, 4)));
        cs.add(c("slice axis 0 from start", "slice", v -> v[0].slice(0, 0, 1), normal(3, 4)));
        cs.add(c("slice axis -1 to end", "slice", v -> v[0].slice(-1, 2, 4), normal(2, 3, 4)));
        cs.add(c("strided slice", "stridedSlice", v -> v[0].slice(new int[] {1, 0},
                new int[] {5, 4}, new int[] {2, 3}), normal(5, 4)));
        cs.add(c("strided slice, last step past the end", "stridedSlice",
                v -> v[0].slice(new int[] {0, 1, 0}, new int[] {2, 3, 5},
                        new int[] {1, 1, 3}), normal(2, 3, 5)));
        cs.add(c("pad", "pad", v -> v[0].pad(new int[] {1, 0}, new int[] {2, 1}, 0.5f),
                normal(3, 4)));
        cs.add(c("broadcastTo", "broadcastTo", v -> v[0].broadcastTo(Shape.of(2, 3, 4)),
                normal(3, 1)));
        cs.add(c("concat axis 0 of three", "concat", v -> Variable.concat(0, v), normal(1, 3),
                normal(2, 3), normal(3, 3)));
        cs.add(c("concat axis 1", "concat", v -> Variable.concat(1, v), normal(2, 3),
                normal(2, 1)));
        cs.add(c("gather repeated rows", "gatherRows",
                v -> v[0].gatherRows(new int[] {2, 0, 2, 2}), normal(3, 4)));
        // composites
        cs.add(c("linear", "linear", v -> Variable.linear(v[0], v[1], v[2]), normal(3, 4),
                normal(4, 2), normal(2)));
        cs.add(c("logSumExp axis 1", "logSumExp", v -> v[0].logSumExp(1, false),
                uniform(-2, 2, 3, 4)));
        cs.add(c("logSumExp axis 0 keepDims", "logSumExp", v -> v[0].logSumExp(0, true),
                uniform(-2, 2, 3, 4)));
        cs.add(c("softmax axis 1", "softmax", v -> v[0].softmax(1), uniform(-2, 2, 3, 4)));
        cs.add(c("softmax axis 0", "softmax", v -> v[0].softmax(0), uniform(-2, 2, 3, 4)));
        cs.add(c("squaredDistances", "squaredDistances",
                v -> Variable.squaredDistances(v[0], v[1]), normal(3, 4), normal(5, 4)));
        // convolution and pooling: strides, padding, dilation, 1x1 and odd kernels
        cs.add(c("conv2d k3 s1 p1", "conv2d", v -> v[0].conv2d(v[1], ConvSpec.of(1, 1)),
                normal(2, 3, 5, 4), normal(2, 3, 3, 3)));
        cs.add(c("conv2d k4 s2 p1", "conv2d", v -> v[0].conv2d(v[1], ConvSpec.of(2, 1)),
                normal(1, 2, 6, 6), normal(3, 2, 4, 4)));
        cs.add(c("conv2d dilated, strides per axis", "conv2d",
                v -> v[0].conv2d(v[1], new ConvSpec(2, 1, 1, 0, 2, 1)), normal(2, 1, 7, 5),
                normal(2, 1, 3, 2)));
        cs.add(c("conv2d 1x1", "conv2d", v -> v[0].conv2d(v[1], ConvSpec.of(1, 0)),
                normal(2, 3, 2, 3), normal(4, 3, 1, 1)));
        cs.add(c("convTranspose2d k4 s2 p1", "convTranspose2d",
                v -> v[0].convTranspose2d(v[1], ConvSpec.of(2, 1), 0, 0), normal(2, 3, 3, 3),
                normal(3, 2, 4, 4)));
        cs.add(c("convTranspose2d output padding", "convTranspose2d",
                v -> v[0].convTranspose2d(v[1], new ConvSpec(2, 3, 0, 1, 1, 1), 1, 2),
                normal(1, 2, 3, 2), normal(2, 3, 3, 3)));
        cs.add(c("maxPool2d 2x2", "maxPool2d", v -> v[0].maxPool2d(PoolSpec.of(2, 2)),
                distinct(2, 2, 4, 6)));
        cs.add(c("maxPool2d overlapping, padded", "maxPool2d",
                v -> v[0].maxPool2d(new PoolSpec(3, 3, 2, 1, 1, 1)), distinct(1, 2, 5, 4)));
        cs.add(c("avgPool2d padded", "avgPool2d",
                v -> v[0].avgPool2d(new PoolSpec(3, 2, 2, 1, 1, 1)), normal(2, 2, 5, 4)));
        // graphs: a variable used several times, a diamond, losses
        cs.add(c("x used three times", Set.of("mul", "add", "exp"),
                v -> v[0].mul(v[0]).add(v[0].exp()), normal(3, 4)));
        cs.add(c("diamond", Set.of("tanh", "sigmoid", "mul"),
                v -> { Variable y = v[0].tanh(); return y.mul(y.sigmoid()); }, normal(3, 4)));
        cs.add(c("two-layer net", Set.of("linear", "tanh"),
                v -> Variable.linear(Variable.linear(v[0], v[1], v[2]).tanh(), v[3], v[4]),
                normal(3, 4), normal(4, 5), normal(5), normal(5, 2), normal(2)));
        cs.add(c("bceWithLogitsSum", Set.of("bceWithLogitsSum", "div"),
                v -> Losses.bceWithLogitsSum(v[0], v[1]), uniform(-3, 3, 3, 4),
                uniform(0, 1, 3, 4)));
        cs.add(c("klToStandardNormal", Set.of("gaussianKl", "div"),
                v -> Losses.klToStandardNormal(v[0], v[1]), normal(3, 2), normal(3, 2)));
        // fused layer: x·w stays within ±0.2 and |b| >= 0.3, so no output is near relu's kink
        cs.add(c("linearRelu", "linearRelu", v -> Variable.linearRelu(v[0], v[1], v[2]),
                normal(3, 4), uniform(-0.05, 0.05, 4, 5), awayFromZero(5)));
        cs.add(c("linearRelu into linear", Set.of("linearRelu", "linear"),
                v -> Variable.linear(Variable.linearRelu(v[0], v[1], v[2]), v[3], v[4]),
                normal(3, 4), uniform(-0.05, 0.05, 4, 5), awayFromZero(5), normal(5, 2),
                normal(2)));
        cs.add(c("gaussianNllSum", Set.of("exp", "div"),
                v -> Losses.gaussianNllSum(v[0], v[1], v[2]), normal(3, 4), normal(4),
                normal(3, 4)));
        cs.add(c("mmd imq", Set.of("squaredDistances", "reciprocal", "mul"),
                v -> Mmd.unbiased(v[0], v[1], Mmd.Kernel.IMQ, 1), normal(4, 3), normal(3, 3)));
        cs.add(c("mmd rbf", Set.of("squaredDistances", "exp", "mul"),
                v -> Mmd.unbiased(v[0], v[1], Mmd.Kernel.RBF, 1), normal(4, 3), normal(3, 3)));
        return cs;
    }

    private static float[] tile(float[] row, int times) {
        float[] out = new float[row.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(row, 0, out, i * row.length, row.length);
        }
        return out;
    }

    // ---------------------------------------------------------------- the checks

    @TestFactory
    Stream<DynamicTest> everyRuleMatchesFiniteDifferences() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @Test
    void theCasesCoverEveryDifferentiableOp() {
        Set<String> covered = new TreeSet<>();
        cases().forEach(c -> covered.addAll(c.ops()));
        Set<String> missing = new TreeSet<>(everyDifferentiableOp());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "no gradient check covers " + missing);
    }

    /**
     * The name of every differentiable op: each elementwise op and reduction the backend has,
     * and every other kind of {@link Op} (the sealed interface lists them all).
     */
    static Set<String> everyDifferentiableOp() {
        Set<String> names = new TreeSet<>();
        for (UnaryOp u : UnaryOp.values()) {
            addIfDifferentiable(names, new Op.Unary(u));
        }
        for (BinaryOp b : BinaryOp.values()) {
            addIfDifferentiable(names, new Op.Binary(b));
        }
        for (ReduceOp r : ReduceOp.values()) {
            addIfDifferentiable(names, new Op.Reduce(r, new int[0], false));
        }
        for (Class<?> kind : Op.class.getPermittedSubclasses()) {
            if (kind != Op.Elementwise.class && kind != Op.Reduce.class) {
                String simple = kind.getSimpleName();
                names.add(Character.toLowerCase(simple.charAt(0)) + simple.substring(1));
            }
        }
        return names;
    }

    private static void addIfDifferentiable(Set<String> names, Op op) {
        if (op.isDifferentiable()) {
            names.add(op.name());
        }
    }

    /** The names of the ops recorded in {@code out}'s graph. */
    private static Set<String> recordedOps(Variable out) {
        Set<String> names = new TreeSet<>();
        Deque<Variable> todo = new ArrayDeque<>(List.of(out));
        Set<Variable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Variable v = todo.pop();
            if (seen.add(v) && v.op() != null) {
                names.add(v.op().name());
                todo.addAll(v.inputs());
            }
        }
        return names;
    }

    /** Checks every input element of one case against central differences. */
    protected void check(Case c) {
        Backend be = backend();
        try (TensorScope caseScope = be.newScope()) {
            int n = c.inputs().length;
            Variable[] leaves = new Variable[n];
            for (int i = 0; i < n; i++) {
                leaves[i] = Variable.leaf(be.fromArray(c.inputs()[i].data(),
                        c.inputs()[i].shape()));
            }
            Variable out = c.f().apply(leaves);
            Set<String> recorded = recordedOps(out);
            assertTrue(recorded.containsAll(c.ops()), c.name() + ": declares the ops " + c.ops()
                    + " but its graph records " + recorded);
            Rng weightsRng = new Rng(7);
            Variable weights = Variable.constant(weightsRng.uniform(be, out.shape(), 0.5, 1.5));
            out.mul(weights).sum().backward();

            for (int i = 0; i < n; i++) {
                assertTrue(leaves[i].grad() != null, c.name() + ": input " + i + " got no gradient");
                assertEquals(c.inputs()[i].shape(), leaves[i].grad().shape(),
                        c.name() + ": gradient shape of input " + i);
                float[] analytic = leaves[i].grad().toArray();
                float[] data = c.inputs()[i].data();
                for (int j = 0; j < data.length; j++) {
                    double numeric = numericGradient(c, weights, i, j);
                    double diff = Math.abs(analytic[j] - numeric);
                    double allowed = ABSOLUTE + RELATIVE * Math.max(Math.abs(analytic[j]),
                            Math.abs(numeric));
                    assertTrue(diff <= allowed, c.name() + ": d/d input " + i + "[" + j
                            + "] analytic " + analytic[j] + ", numeric " + numeric
                            + " (difference " + diff + " > " + allowed + ")");
                }
            }
        }
    }

    private double numericGradient(Case c, Variable weights, int input, int element) {
        float[] data = c.inputs()[input].data();
        float original = data[element];
        float plus = (float) (original + STEP);
        float minus = (float) (original - STEP);
        try {
            data[element] = plus;
            double lPlus = lossAt(c, weights);
            data[element] = minus;
            double lMinus = lossAt(c, weights);
            return (lPlus - lMinus) / ((double) plus - (double) minus);
        } finally {
            data[element] = original;
        }
    }

    private double lossAt(Case c, Variable weights) {
        Backend be = backend();
        try (TensorScope s = be.newScope(); NoGrad ignored = NoGrad.enter()) {
            Variable[] xs = new Variable[c.inputs().length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Variable.constant(be.fromArray(c.inputs()[i].data(),
                        c.inputs()[i].shape()));
            }
            // Weighted sum accumulated in double, so the loss adds no rounding of its own.
            float[] out = c.f().apply(xs).toArray();
            float[] w = weights.toArray();
            double sum = 0;
            for (int k = 0; k < out.length; k++) {
                sum += (double) out[k] * w[k];
            }
            return sum;
        }
    }

    // ---------------------------------------------------------------- graph behaviour

    private Variable leaf(float[] data, int... dims) {
        return Variable.leaf(backend().fromArray(data, dims));
    }

    @Test
    void detachStopsTheGradient() {
        Variable x = leaf(new float[] {1, 2, 3}, 3);
        x.mul(x.detach()).sum().backward();
        assertArrayEquals(new float[] {1, 2, 3}, x.grad().toArray(), 1e-6f,
                "d/dx Σ x·stop(x) = stop(x), not 2x");
    }

    @Test
    void straightThroughPassesTheGradientToTheInputOnly() {
        Variable x = leaf(new float[] {0.2f, -0.7f}, 2);
        Variable q = leaf(new float[] {0f, -1f}, 2);
        Variable st = x.add(q.sub(x).detach());
        assertArrayEquals(q.toArray(), st.toArray(), 1e-6f, "forward value is q");
        st.mul(Variable.constant(backend().fromArray(new float[] {3, 5}, 2))).sum().backward();
        assertArrayEquals(new float[] {3, 5}, x.grad().toArray(), 1e-6f);
        assertNull(q.grad(), "no gradient reaches q through the detached branch");
    }

    @Test
    void gradientsOfAVariableUsedTwiceAddUp() {
        Variable x = leaf(new float[] {1.5f, -2f}, 2);
        x.add(x).sum().backward();
        assertArrayEquals(new float[] {2, 2}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void repeatedBackwardAccumulatesUntilZeroGrad() {
        Variable x = leaf(new float[] {1, 2}, 2);
        x.square().sum().backward();
        x.square().sum().backward();
        assertArrayEquals(new float[] {4, 8}, x.grad().toArray(), 1e-6f);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void broadcastBiasGradientIsSummedOverTheBatch() {
        Variable x = Variable.constant(backend().fromArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        Variable b = leaf(new float[] {0, 0}, 2);
        x.add(b).sum().backward();
        assertArrayEquals(new float[] {3, 3}, b.grad().toArray(), 1e-6f);
    }

    @Test
    void gatherWithRepeatedRowsAccumulatesTheirGradients() {
        Variable x = leaf(new float[] {1, 2, 3, 4}, 2, 2);
        x.gatherRows(new int[] {1, 1, 0}).sum().backward();
        assertArrayEquals(new float[] {1, 1, 2, 2}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void noGradModeRecordsNoGraphAndNests() {
        Variable x = leaf(new float[] {1, 2}, 2);
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(x.exp().requiresGrad());
            }
            Variable y = x.exp().sum();
            assertFalse(y.requiresGrad(), "still off after the inner block closes");
            assertTrue(y.isLeaf());
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().contains("NoGrad"), e.getMessage());
        }
        assertFalse(NoGrad.isActive());
        assertTrue(x.exp().requiresGrad(), "recording resumes after the block");
    }

    @Test
    void nonDifferentiableOpsGiveConstants() {
        Variable x = leaf(new float[] {-1, 2}, 2);
        assertFalse(x.step().requiresGrad());
        assertFalse(x.sign().requiresGrad());
        assertFalse(x.greater(x.neg()).requiresGrad());
        assertFalse(x.argmax(0).requiresGrad());
        Variable y = x.mul(x.step()).sum();
        y.backward();
        assertArrayEquals(new float[] {0, 1}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void constantsGetNoGradient() {
        Variable c = Variable.constant(backend().fromArray(new float[] {1, 2}, 2));
        Variable x = leaf(new float[] {3, 4}, 2);
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertFalse(c.requiresGrad());
    }

    @Test
    void nearestCodeIndicesSelectCodebookRows() {
        Variable z = Variable.constant(backend().fromArray(new float[] {0.9f, 0, 0, -1.1f}, 2, 2));
        Variable codes = leaf(new float[] {0, -1, 1, 0, 5, 5}, 3, 2);
        int[] nearest = Variable.squaredDistances(z, codes).argmin(1).toIndices();
        assertArrayEquals(new int[] {1, 0}, nearest);
        codes.gatherRows(nearest).sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0}, codes.grad().toArray(), 1e-6f);
    }

    @Test
    void backwardNeedsAScalar() {
        Variable x = leaf(new float[] {1, 2}, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> x.exp().backward());
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("(2)"),
                e.getMessage());
    }

    @Test
    void backwardFreesItsTemporariesWithTheScope() {
        Backend be = backend();
        long before = be.liveTensors();
        Variable x;
        try (TensorScope s = be.newScope()) {
            x = leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Variable.linear(x, x.transpose(), leaf(new float[] {1, 1}, 2)).softmax(1).amax(false)
                    .backward();
            assertTrue(be.liveTensors() > before);
        }
        assertEquals(before, be.liveTensors());
        assertTrue(x.value().isClosed(), "the leaf's tensor was the scope's too");
    }
}
