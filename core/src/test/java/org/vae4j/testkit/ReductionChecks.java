package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/** Conformance of {@link ReduceOp} over every axis subset and of {@link ArgOp} along every axis. */
public abstract class ReductionChecks extends BackendChecks {

    static Stream<Shape> shapes() {
        return Stream.of(Shape.of(1), Shape.of(7), Shape.of(5, 3), Shape.of(1, 6), Shape.of(2, 3, 4),
                Shape.of(3, 1, 5), Shape.of(2, 3, 4, 5), Shape.of(3, 1, 2, 1));
    }

    /** Runs reduce {@code op} over {@code axes} and checks it with the accumulation tolerance. */
    private void checkReduce(ReduceOp op, Shape shape, float[] x, boolean keepDims, int... axes) {
        int n = 1;
        for (int a : axes.length == 0 ? allAxes(shape) : axes) {
            n *= shape.dim(a);
        }
        String name = op + " over " + Arrays.toString(axes) + (keepDims ? " keepDims" : "");
        if (op == ReduceOp.MAX) {
            checkExact(name, be -> be.reduce(op, be.fromArray(x, shape), keepDims, axes));
            return;
        }
        checkAccumulated(name, be -> be.reduce(op, be.fromArray(x, shape), keepDims, axes),
                be -> be.reduce(op, abs(be, be.fromArray(x, shape)), keepDims, axes), n);
    }

    private static int[] allAxes(Shape shape) {
        int[] all = new int[shape.rank()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void everyReduceOpOverEveryAxisSubsetWithAndWithoutKeepDims(Shape shape) {
        float[] x = normal(shape, 3);
        int rank = shape.rank();
        for (int mask = 1; mask < 1 << rank; mask++) {
            int[] axes = new int[Integer.bitCount(mask)];
            int k = 0;
            for (int a = 0; a < rank; a++) {
                if ((mask & 1 << a) != 0) {
                    axes[k++] = a;
                }
            }
            for (ReduceOp op : ReduceOp.values()) {
                checkReduce(op, shape, x, false, axes);
                checkReduce(op, shape, x, true, axes);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void noAxesMeansEveryAxis(ReduceOp op) {
        Shape shape = Shape.of(3, 4, 5);
        float[] x = normal(shape, 1);
        checkReduce(op, shape, x, false);
        checkReduce(op, shape, x, true);
        assertEquals(Shape.scalar(), actual(be -> be.reduce(op, be.fromArray(x, shape), false))
                .shape());
        assertEquals(Shape.of(1, 1, 1), actual(be -> be.reduce(op, be.fromArray(x, shape), true))
                .shape());
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void negativeAxesCountFromTheEnd(ReduceOp op) {
        Shape shape = Shape.of(2, 3, 4);
        float[] x = normal(shape, 1);
        checkReduce(op, shape, x, false, -1);
        checkReduce(op, shape, x, true, -3, -1);
        assertArrayEquals(actual(be -> be.reduce(op, be.fromArray(x, shape), false, 2)).values(),
                actual(be -> be.reduce(op, be.fromArray(x, shape), false, -1)).values(), 0f);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void longRowsAndColumnsStayAccurate(ReduceOp op) {
        Shape shape = Shape.of(4, 65536);
        float[] x = rng.uniform(shape.size(), 0, 1);
        checkReduce(op, shape, x, false, 1);
        checkReduce(op, shape, x, false, 0);
        checkReduce(op, shape, x, false);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void scalarsAndEmptyAxes(ReduceOp op) {
        checkExact(op + " of a scalar", be -> be.reduce(op, be.scalar(2.5f), false));
        // reducing an empty axis gives the op's identity: 0, NaN, -inf
        checkExact(op + " over an empty axis",
                be -> be.reduce(op, be.zeros(Shape.of(3, 0)), false, 1));
        checkExact(op + " of an empty result", be -> be.reduce(op, be.zeros(Shape.of(0, 4)), true, 1));
    }

    @Test
    void maxPropagatesNaNAndKeepsInfinities() {
        float[] x = {1f, Float.NaN, 3f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 2f,
            Float.POSITIVE_INFINITY, 0f, -1f};
        Shape shape = Shape.of(3, 3);
        float[] r = actual(be -> be.reduce(ReduceOp.MAX, be.fromArray(x, shape), false, 1)).values();
        assertArrayEquals(new float[] {Float.NaN, 2f, Float.POSITIVE_INFINITY}, r, 0f);
        checkExact("MAX over rows", be -> be.reduce(ReduceOp.MAX, be.fromArray(x, shape), false, 0));
        checkElementwise("SUM with NaN", be -> be.sum(be.fromArray(x, shape), false, 1));
    }

    @Test
    void invalidAxesAreRejected() {
        try (TensorScope scope = backend().newScope()) {
            Tensor x = backend().zeros(Shape.of(2, 3));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().sum(x, false, 2)).getMessage(), "axis 2", "(2x3)");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().sum(x, false, 1, -1)).getMessage(), "sum", "twice");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().argReduce(ArgOp.ARGMAX, x, -3)).getMessage(), "axis -3");
        }
    }

    // ------------------------------------------------------------------ arg reductions

    @ParameterizedTest
    @MethodSource("shapes")
    void everyArgOpAlongEveryAxisPicksTheLowestIndexOnTies(Shape shape) {
        // small integers: many ties, so a backend that does not pick the lowest index fails
        float[] ties = integers(shape, 0, 2);
        float[] distinct = normal(shape, 1);
        for (ArgOp op : ArgOp.values()) {
            for (int axis = -shape.rank(); axis < shape.rank(); axis++) {
                int a = axis;
                checkExact(op + " along " + a + " with ties",
                        be -> be.argReduce(op, be.fromArray(ties, shape), a));
                checkExact(op + " along " + a,
                        be -> be.argReduce(op, be.fromArray(distinct, shape), a));
            }
        }
    }

    @Test
    void argOpsOnAKnownRow() {
        float[] x = {1f, 3f, 3f, 0f, 0f, -2f, 5f, -2f};
        Shape shape = Shape.of(2, 4);
        assertArrayEquals(new float[] {1f, 2f},
                actual(be -> be.argReduce(ArgOp.ARGMAX, be.fromArray(x, shape), 1)).values(), 0f);
        assertArrayEquals(new float[] {3f, 1f},
                actual(be -> be.argReduce(ArgOp.ARGMIN, be.fromArray(x, shape), 1)).values(), 0f);
        assertArrayEquals(new float[] {0f, 0f, 1f, 0f},
                actual(be -> be.argReduce(ArgOp.ARGMAX, be.fromArray(x, shape), 0)).values(), 0f);
        assertArrayEquals(new float[] {1f, 1f, 0f, 1f},
                actual(be -> be.argReduce(ArgOp.ARGMIN, be.fromArray(x, shape), 0)).values(), 0f);
    }

    @ParameterizedTest
    @EnumSource(ArgOp.class)
    void argOpsHandleInfinitiesAndLongAxes(ArgOp op) {
        float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 1e30f};
        checkExact(op + " with infinities", be -> be.argReduce(op, be.fromArray(x, 6), 0));
        Shape shape = Shape.of(3, 5000);
        float[] y = integers(shape, -50, 50);
        checkExact(op + " along a long axis", be -> be.argReduce(op, be.fromArray(y, shape), 1));
        checkExact(op + " of a single element", be -> be.argReduce(op, be.fromArray(x, 1, 6), 0));
    }

    @Test
    void argOpOverAnEmptyAxisIsAnError() {
        try (TensorScope scope = backend().newScope()) {
            Tensor x = backend().zeros(Shape.of(3, 0));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().argReduce(ArgOp.ARGMIN, x, 1)).getMessage(),
                    "argmin", "(3x0)", "empty");
        }
    }
}
