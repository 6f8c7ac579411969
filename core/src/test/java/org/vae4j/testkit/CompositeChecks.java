package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackwardKernels;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.Composites;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * Conformance of the composites: each backend's (possibly fused) {@code linear}, {@code logSumExp},
 * {@code softmax}, {@code squaredDistances} and the fused training ops ({@code linearRelu},
 * {@code reluBackward}, {@code bceWithLogitsSum} and its backward, {@code gaussianKl},
 * {@code adamUpdate} in and outside a scope) against the definition in {@link Composites} run on
 * the same backend, and against the reference.
 */
public abstract class CompositeChecks extends BackendChecks {

    /**
     * Checks {@code fused} against {@code definition} on the backend under test and against
     * {@code definition} on the reference, with the per-element tolerance {@code tolerance}
     * computes from the reference result.
     */
    private void checkComposite(String op, Function<Backend, Tensor> fused,
            Function<Backend, Tensor> definition, Function<float[], double[]> tolerance) {
        Result e = expected(definition);
        Result viaDefinition = actual(definition);
        Result viaBackend = actual(fused);
        double[] tol = tolerance.apply(e.values());
        assertSameShape(op, e.shape(), viaBackend.shape());
        assertSameShape(op + " (definition)", e.shape(), viaDefinition.shape());
        assertClose(op + " against the reference", e.shape(), e.values(), viaBackend.values(), tol);
        assertClose(op + " against its definition on " + backend().name(), e.shape(),
                viaDefinition.values(), viaBackend.values(), tol);
    }

    // ------------------------------------------------------------------ linear

    static Stream<Arguments> linearSizes() {
        return Stream.of(Arguments.of(1, 1, 1), Arguments.of(3, 5, 2), Arguments.of(32, 64, 40),
                Arguments.of(128, 784, 40), Arguments.of(1, 20, 400));
    }

    @ParameterizedTest
    @MethodSource("linearSizes")
    void linearMatchesItsDefinition(int n, int in, int out) {
        checkLayer("linear", n, in, out, (be, x, w, b) -> be.linear(x, w, b),
                Composites::linear);
    }

    /** A layer op {@code f(x, w, b)} against its definition, x ~ N(0, 1), w ~ N(0, 0.01). */
    private void checkLayer(String op, int n, int in, int out, LayerOp fused,
            LayerOp definition) {
        Shape sx = Shape.of(n, in);
        Shape sw = Shape.of(in, out);
        Shape sb = Shape.of(out);
        float[] x = normal(sx, 1);
        float[] w = normal(sw, 0.1);
        float[] b = normal(sb, 1);
        float[] scale = expected(be -> be.add(be.matmul(abs(be, be.fromArray(x, sx)),
                abs(be, be.fromArray(w, sw))), abs(be, be.fromArray(b, sb)))).values();
        checkComposite(op + " " + sx + "·" + sw + "+" + sb,
                be -> fused.apply(be, be.fromArray(x, sx), be.fromArray(w, sw),
                        be.fromArray(b, sb)),
                be -> definition.apply(be, be.fromArray(x, sx), be.fromArray(w, sw),
                        be.fromArray(b, sb)),
                e -> accumulatedTolerance(e, scale, in + 1));
    }

    /** A layer op on (x, w, b). */
    @FunctionalInterface
    private interface LayerOp {
        Tensor apply(Backend be, Tensor x, Tensor w, Tensor b);
    }

    @Test
    void linearWithMismatchedBiasNamesAllThreeShapes() {
        try (TensorScope scope = backend().newScope()) {
            Tensor x = backend().zeros(Shape.of(4, 3));
            Tensor w = backend().zeros(Shape.of(3, 2));
            Tensor b = backend().zeros(Shape.of(3));
            assertEquals(Shape.of(4, 2), backend().linear(x, w, backend().zeros(Shape.of(2)))
                    .shape());
            assertTrue(assertThrows(ShapeException.class, () -> backend().linear(x, w, b))
                    .getMessage().contains("linear"));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().linear(x, w, b)).getMessage(), "(4x3)", "(3x2)", "(3)");
        }
    }

    // ------------------------------------------------------------------ logSumExp and softmax

    static Stream<Arguments> softmaxCases() {
        return Stream.of(
                Arguments.of(Shape.of(5, 7), 1),
                Arguments.of(Shape.of(5, 7), 0),
                Arguments.of(Shape.of(5, 7), -1),
                Arguments.of(Shape.of(1, 1), 1),
                Arguments.of(Shape.of(9), 0),
                Arguments.of(Shape.of(128, 10), 1),
                Arguments.of(Shape.of(2, 3, 4), 0),
                Arguments.of(Shape.of(2, 3, 4), 1),
                Arguments.of(Shape.of(2, 3, 4), 2),
                Arguments.of(Shape.of(2, 3, 4, 5), 2));
    }

    /** logSumExp sums n exponentials and takes the log: a relative error becomes an absolute one. */
    private static double[] logSumExpTolerance(float[] e, int n) {
        double[] tol = elementwiseTolerance(e);
        for (int i = 0; i < tol.length; i++) {
            tol[i] += ACCUMULATION_EPS * Math.sqrt(n);
        }
        return tol;
    }

    /** softmax is exp(x - lse): the error of the shift, scaled by the inputs' size, is relative. */
    private static double softmaxRtol(float[] x, int n) {
        float max = 0f;
        for (float v : x) {
            if (Float.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return ACCUMULATION_EPS * Math.sqrt(n) + SHIFT_ULPS * Math.ulp(max);
    }

    private void checkLogSumExpAndSoftmax(String what, Shape shape, float[] x, int axis) {
        int n = shape.dim(axis);
        for (boolean keepDims : new boolean[] {false, true}) {
            checkComposite("logSumExp " + what + " axis " + axis + (keepDims ? " keepDims" : ""),
                    be -> be.logSumExp(be.fromArray(x, shape), axis, keepDims),
                    be -> Composites.logSumExp(be, be.fromArray(x, shape),
                            shape.normalizeAxis(axis), keepDims),
                    e -> logSumExpTolerance(e, n));
        }
        double rtol = softmaxRtol(x, n);
        checkComposite("softmax " + what + " axis " + axis,
                be -> be.softmax(be.fromArray(x, shape), axis),
                be -> Composites.softmax(be, be.fromArray(x, shape), shape.normalizeAxis(axis)),
                e -> relativeTolerance(e, rtol));
    }

    @ParameterizedTest
    @MethodSource("softmaxCases")
    void logSumExpAndSoftmaxMatchTheirDefinitions(Shape shape, int axis) {
        checkLogSumExpAndSoftmax(shape.toString(), shape, normal(shape, 3), axis);
    }

    @ParameterizedTest
    @MethodSource("softmaxCases")
    void logSumExpAndSoftmaxAreStableForHugeValues(Shape shape, int axis) {
        float[] x = normal(shape, 3);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(x[i]) + (i % 2 == 0 ? 1e4f : -1e4f);
        }
        checkLogSumExpAndSoftmax("of values near ±1e4", shape, x, axis);
        float[] y = normal(shape, 1e4);
        checkLogSumExpAndSoftmax("of values of scale 1e4", shape, y, axis);
    }

    @Test
    void logSumExpAndSoftmaxOfRowsWithNegativeInfinity() {
        float inf = Float.POSITIVE_INFINITY;
        // a row of -inf, a row with some -inf, an ordinary row, a row with one finite value
        float[] x = {-inf, -inf, -inf, -inf,
            -inf, 1f, -inf, 2f,
            0.5f, -1f, 3f, 0f,
            -inf, -inf, 7f, -inf};
        Shape shape = Shape.of(4, 4);
        checkLogSumExpAndSoftmax("with -inf", shape, x, 1);
        checkLogSumExpAndSoftmax("with -inf", shape, x, 0);
        Result lse = actual(be -> be.logSumExp(be.fromArray(x, shape), 1, false));
        assertEquals(Float.NEGATIVE_INFINITY, lse.values()[0], "logSumExp of a row of -inf");
        assertEquals(7f, lse.values()[3], 1e-6f, "logSumExp of a row with one finite value");
        Result soft = actual(be -> be.softmax(be.fromArray(x, shape), 1));
        assertEquals(0f, soft.values()[4], "softmax at -inf");
        assertEquals(1f, soft.values()[14], 1e-6f, "softmax of the only finite value");
    }

    @Test
    void softmaxRowsSumToOne() {
        Shape shape = Shape.of(16, 10);
        float[] x = normal(shape, 5);
        float[] sums = actual(be -> be.sum(be.softmax(be.fromArray(x, shape), 1), false, 1))
                .values();
        for (int i = 0; i < sums.length; i++) {
            assertEquals(1f, sums[i], 1e-5f, "row " + i + " of softmax sums to " + sums[i]);
        }
    }

    // ------------------------------------------------------------------ squaredDistances

    static Stream<Arguments> distanceSizes() {
        return Stream.of(Arguments.of(1, 1, 1), Arguments.of(5, 4, 3), Arguments.of(128, 512, 64),
                Arguments.of(7, 1, 20), Arguments.of(1, 9, 2));
    }

    @ParameterizedTest
    @MethodSource("distanceSizes")
    void squaredDistancesMatchItsDefinition(int n, int k, int d) {
        Shape sx = Shape.of(n, d);
        Shape sc = Shape.of(k, d);
        float[] x = normal(sx, 1);
        float[] c = normal(sc, 1);
        checkSquaredDistances(sx, x, sc, c);
    }

    @Test
    void squaredDistanceOfARowToItselfIsZeroNotNegative() {
        Shape s = Shape.of(6, 16);
        float[] x = normal(s, 30);
        checkSquaredDistances(s, x, s, x);
        float[] d = actual(be -> be.squaredDistances(be.fromArray(x, s), be.fromArray(x, s)))
                .values();
        for (int i = 0; i < d.length; i++) {
            assertTrue(d[i] >= 0f, "squared distance " + d[i] + " at " + i + " is negative");
        }
    }

    private void checkSquaredDistances(Shape sx, float[] x, Shape sc, float[] c) {
        // |x|² - 2x·c + |c|²: the sum of the absolute values of the terms is at most 2(|x|² + |c|²)
        float[] scale = expected(be -> {
            Tensor xx = be.sum(be.unary(UnaryOp.SQUARE, be.fromArray(x, sx)), true, 1);
            Tensor cc = be.reshape(be.sum(be.unary(UnaryOp.SQUARE, be.fromArray(c, sc)), false, 1),
                    Shape.of(1, sc.dim(0)));
            return be.mul(be.add(xx, cc), be.scalar(2f));
        }).values();
        checkComposite("squaredDistances " + sx + " to " + sc,
                be -> be.squaredDistances(be.fromArray(x, sx), be.fromArray(c, sc)),
                be -> Composites.squaredDistances(be, be.fromArray(x, sx), be.fromArray(c, sc)),
                e -> accumulatedTolerance(e, scale, sx.dim(1)));
    }

    @Test
    void squaredDistancesOfMismatchedWidthsIsAnError() {
        try (TensorScope scope = backend().newScope()) {
            Tensor x = backend().zeros(Shape.of(4, 3));
            Tensor c = backend().zeros(Shape.of(5, 2));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().squaredDistances(x, c)).getMessage(),
                    "squaredDistances", "(4x3)", "(5x2)");
        }
    }

    // ------------------------------------------------------------------ fused training ops

    @ParameterizedTest
    @MethodSource("linearSizes")
    void linearReluMatchesItsDefinition(int n, int in, int out) {
        checkLayer("linearRelu", n, in, out, (be, x, w, b) -> be.linearRelu(x, w, b),
                Composites::linearRelu);
    }

    @Test
    void reluBackwardMatchesItsDefinition() {
        Shape s = Shape.of(16, 33);
        float[] g = normal(s, 2);
        float[] y = normal(s, 1);
        for (int i = 0; i < y.length; i += 3) {
            y[i] = 0f;      // a relu's output is exactly 0 wherever its input was not positive
        }
        y[1] = Float.NaN;
        y[4] = -0f;
        y[7] = Float.MIN_NORMAL;
        checkComposite("reluBackward " + s,
                be -> BackwardKernels.reluBackward(be, be.fromArray(g, s), be.fromArray(y, s)),
                be -> Composites.reluBackward(be, be.fromArray(g, s), be.fromArray(y, s)),
                e -> new double[e.length]);
    }

    /** Logits of every size a decoder produces, and beyond; targets in [0, 1]. */
    private float[] logits(Shape s) {
        float[] l = normal(s, 4);
        float[] extremes = {30f, -30f, 100f, -100f, 1e4f, -1e4f, 0f, 1e-7f};
        System.arraycopy(extremes, 0, l, 0, Math.min(extremes.length, l.length));
        return l;
    }

    private float[] targets(Shape s) {
        float[] t = rng.uniform(s.size(), 0, 1);
        for (int i = 0; i < t.length; i += 2) {
            t[i] = t[i] < 0.5f ? 0f : 1f;
        }
        return t;
    }

    @ParameterizedTest
    @MethodSource("elementwiseSizes")
    void bceWithLogitsSumMatchesItsDefinition(Shape s) {
        float[] l = logits(s);
        float[] t = targets(s);
        float[] scale = expected(be -> {
            Tensor lt = be.fromArray(l, s);
            return be.sum(be.add(be.unary(UnaryOp.SOFTPLUS, lt),
                    abs(be, be.mul(be.fromArray(t, s), lt))), false);
        }).values();
        checkComposite("bceWithLogitsSum " + s,
                be -> be.bceWithLogitsSum(be.fromArray(l, s), be.fromArray(t, s)),
                be -> Composites.bceWithLogitsSum(be, be.fromArray(l, s), be.fromArray(t, s)),
                e -> accumulatedTolerance(e, scale, s.size()));
    }

    @ParameterizedTest
    @MethodSource("elementwiseSizes")
    void bceWithLogitsBackwardMatchesItsDefinition(Shape s) {
        float[] l = logits(s);
        float[] t = targets(s);
        float g = 1f / 128;
        checkComposite("bceWithLogitsBackward " + s,
                be -> BackwardKernels.bceWithLogitsBackward(be, be.fromArray(l, s),
                        be.fromArray(t, s), be.scalar(g)),
                be -> Composites.bceWithLogitsBackward(be, be.fromArray(l, s),
                        be.fromArray(t, s), be.scalar(g)),
                e -> relativeTolerance(e, ELEMENTWISE_RTOL));
    }

    @ParameterizedTest
    @MethodSource("elementwiseSizes")
    void gaussianKlMatchesItsDefinition(Shape s) {
        float[] mu = normal(s, 1.5);
        float[] logVar = normal(s, 2);
        float[] scale = expected(be -> {
            Tensor lv = be.fromArray(logVar, s);
            Tensor terms = be.add(be.add(abs(be, lv), be.scalar(1f)), be.add(
                    be.unary(UnaryOp.SQUARE, be.fromArray(mu, s)), be.unary(UnaryOp.EXP, lv)));
            return be.mul(be.sum(terms, false), be.scalar(0.5f));
        }).values();
        checkComposite("gaussianKl " + s,
                be -> be.gaussianKl(be.fromArray(mu, s), be.fromArray(logVar, s)),
                be -> Composites.gaussianKl(be, be.fromArray(mu, s), be.fromArray(logVar, s)),
                e -> accumulatedTolerance(e, scale, s.size()));
    }

    static Stream<Arguments> elementwiseSizes() {
        return Stream.of(Arguments.of(Shape.of(1)), Arguments.of(Shape.of(3, 5)),
                Arguments.of(Shape.of(128, 20)), Arguments.of(Shape.of(128, 784)),
                Arguments.of(Shape.of(2, 3, 7)));
    }

    static Stream<Arguments> adamCases() {
        return Stream.of(Arguments.of(Shape.of(7), 1L), Arguments.of(Shape.of(400, 40), 1L),
                Arguments.of(Shape.of(400, 40), 250L), Arguments.of(Shape.of(3, 4, 5), 12L),
                Arguments.of(Shape.of(784, 400), 3L));
    }

    /** One Adam step's inputs: parameter, gradient, first and second moment. */
    private float[][] adamInputs(Shape s) {
        float[] v = normal(s, 1e-3);
        for (int i = 0; i < v.length; i++) {
            v[i] *= v[i];   // a second moment is a mean of squares
        }
        return new float[][] {normal(s, 0.1), normal(s, 1e-2), normal(s, 1e-3), v};
    }

    private static AdamStep.Result adam(Backend be, boolean fused, float[][] in, Shape s,
            AdamStep step) {
        Tensor p = be.fromArray(in[0], s);
        Tensor g = be.fromArray(in[1], s);
        Tensor m = be.fromArray(in[2], s);
        Tensor v = be.fromArray(in[3], s);
        return fused ? be.adamUpdate(p, g, m, v, step) : Composites.adamUpdate(be, p, g, m, v, step);
    }

    private void checkAdam(String what, Shape s, float[][] in, AdamStep step,
            Function<Backend, AdamStep.Result> fused) {
        String[] names = {"parameter", "first moment", "second moment"};
        for (int k = 0; k < 3; k++) {
            int part = k;
            Function<AdamStep.Result, Tensor> pick = r -> part == 0 ? r.param()
                    : part == 1 ? r.m() : r.v();
            checkComposite("adamUpdate " + what + " " + s + ": " + names[k],
                    be -> pick.apply(fused.apply(be)),
                    be -> pick.apply(adam(be, false, in, s, step)),
                    e -> relativeTolerance(e, ELEMENTWISE_RTOL));
        }
    }

    @ParameterizedTest
    @MethodSource("adamCases")
    void adamUpdateInAScopeMatchesItsDefinitionAndLeavesItsInputs(Shape s, long t) {
        float[][] in = adamInputs(s);
        AdamStep step = AdamStep.of(1e-3, 0.9, 0.999, 1e-8, t);
        checkAdam("in a scope", s, in, step, be -> adam(be, true, in, s, step));
        try (TensorScope scope = backend().newScope()) {
            Tensor[] inputs = new Tensor[4];
            for (int i = 0; i < 4; i++) {
                inputs[i] = backend().fromArray(in[i], s);
            }
            AdamStep.Result r = backend().adamUpdate(inputs[0], inputs[1], inputs[2], inputs[3],
                    step);
            assertTrue(r.param() != inputs[0] && r.m() != inputs[2] && r.v() != inputs[3],
                    "adamUpdate returned an input it may not write");
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(in[i], inputs[i].toArray(), "adamUpdate changed input " + i);
            }
        }
    }

    /**
     * Outside every scope a backend may update the parameter and moments in place: whichever it
     * does, the results agree with the definition, the gradient is untouched, and what it
     * returns is all that is left to close.
     */
    @ParameterizedTest
    @MethodSource("adamCases")
    void adamUpdateOfOwnedTensorsMatchesItsDefinition(Shape s, long t) {
        float[][] in = adamInputs(s);
        AdamStep step = AdamStep.of(1e-3, 0.9, 0.999, 1e-8, t);
        Backend be = backend();
        Tensor p = be.fromArray(in[0], s);
        Tensor g = be.fromArray(in[1], s);
        Tensor m = be.fromArray(in[2], s);
        Tensor v = be.fromArray(in[3], s);
        AdamStep.Result r = be.adamUpdate(p, g, m, v, step);
        float[][] out = {r.param().toArray(), r.m().toArray(), r.v().toArray()};
        assertArrayEquals(in[1], g.toArray(), "adamUpdate changed the gradient");
        Tensor[] inputs = {p, m, v};
        Tensor[] results = {r.param(), r.m(), r.v()};
        for (int k = 0; k < 3; k++) {
            if (results[k] != inputs[k]) {
                assertArrayEquals(in[k == 0 ? 0 : k + 1], inputs[k].toArray(),
                        "adamUpdate changed an input it did not return");
                results[k].close();
            }
            inputs[k].close();
        }
        g.close();
        checkAdam("outside any scope", s, in, step, backend -> {
            float[][] done = out;
            return new AdamStep.Result(backend.fromArray(done[0], s), backend.fromArray(done[1], s),
                    backend.fromArray(done[2], s));
        });
    }

    @Test
    void fusedTrainingOpsOfMismatchedShapesNameBoth() {
        try (TensorScope scope = backend().newScope()) {
            Tensor a = backend().zeros(Shape.of(4, 3));
            Tensor b = backend().zeros(Shape.of(3, 4));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().bceWithLogitsSum(a, b)).getMessage(), "bceWithLogitsSum",
                    "(4x3)", "(3x4)");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().gaussianKl(a, b)).getMessage(), "gaussianKl", "(4x3)", "(3x4)");
            assertMentions(assertThrows(ShapeException.class,
                    () -> BackwardKernels.reluBackward(backend(), a, b)).getMessage(),
                    "reluBackward");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().adamUpdate(a, a, a, b, AdamStep.of(1e-3, 0.9, 0.999, 1e-8, 1)))
                    .getMessage(), "adamUpdate", "second moment");
            assertMentions(assertThrows(ShapeException.class,
                    () -> BackwardKernels.bceWithLogitsBackward(backend(), a, a, a))
                    .getMessage(), "scalar");
        }
    }

    @Test
    void compositesOfEmptyShapes() {
        // core passes empty inputs to the composite kernels as they are
        checkExact("linear with no rows", be -> be.linear(be.zeros(Shape.of(0, 3)),
                be.ones(Shape.of(3, 2)), be.ones(Shape.of(2))));
        checkExact("linear with no inputs", be -> be.linear(be.zeros(Shape.of(4, 0)),
                be.zeros(Shape.of(0, 2)), be.fromArray(new float[] {1, 2}, 2)));
        checkExact("logSumExp over an empty axis",
                be -> be.logSumExp(be.zeros(Shape.of(3, 0)), 1, false));
        checkExact("logSumExp of no lanes", be -> be.logSumExp(be.zeros(Shape.of(0, 3)), 1, true));
        checkExact("softmax of nothing", be -> be.softmax(be.zeros(Shape.of(0, 3)), 1));
        checkExact("softmax over an empty axis", be -> be.softmax(be.zeros(Shape.of(3, 0)), 1));
        checkExact("squaredDistances of empty rows", be -> be.squaredDistances(
                be.zeros(Shape.of(3, 0)), be.zeros(Shape.of(2, 0))));
        checkExact("squaredDistances to no codes", be -> be.squaredDistances(
                be.ones(Shape.of(3, 4)), be.zeros(Shape.of(0, 4))));
        checkExact("linearRelu with no rows", be -> be.linearRelu(be.zeros(Shape.of(0, 3)),
                be.ones(Shape.of(3, 2)), be.ones(Shape.of(2))));
        checkExact("bceWithLogitsSum of nothing", be -> be.bceWithLogitsSum(
                be.zeros(Shape.of(0, 3)), be.zeros(Shape.of(0, 3))));
        checkExact("gaussianKl of nothing", be -> be.gaussianKl(be.zeros(Shape.of(2, 0)),
                be.zeros(Shape.of(2, 0))));
    }

    @Test
    void compositesLeaveNoTemporaryTensorsBehind() {
        // the leak check after each test covers this; here the composites run outside any scope
        Shape s = Shape.of(3, 4);
        float[] x = normal(s, 1);
        Backend be = backend();
        long before = be.liveTensors();
        Tensor t = be.fromArray(x, s);
        Tensor w = be.fromArray(normal(Shape.of(4, 2), 1), 4, 2);
        Tensor b = be.fromArray(new float[] {1, 2}, 2);
        Tensor[] results = {be.linear(t, w, b), be.logSumExp(t, 1, false), be.softmax(t, 0),
            be.squaredDistances(t, t), be.binary(BinaryOp.ADD, t, t)};
        assertEquals(before + 3 + results.length, be.liveTensors(),
                "composites left temporaries open");
        for (Tensor r : results) {
            r.close();
        }
        t.close();
        w.close();
        b.close();
    }
}
