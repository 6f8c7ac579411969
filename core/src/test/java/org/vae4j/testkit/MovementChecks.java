package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * Conformance of reshape, transpose, slice, concat, gatherRows, scatterAddRows and oneHot.
 * Movement is exact: every value must arrive bit for bit.
 */
public abstract class MovementChecks extends BackendChecks {

    // ------------------------------------------------------------------ reshape

    static Stream<Arguments> reshapes() {
        return Stream.of(
                Arguments.of(Shape.of(2, 3, 4), Shape.of(4, 6)),
                Arguments.of(Shape.of(2, 3, 4), Shape.of(24)),
                Arguments.of(Shape.of(24), Shape.of(2, 3, 2, 2)),
                Arguments.of(Shape.of(6, 4), Shape.of(4, 6)),
                Arguments.of(Shape.of(1, 1), Shape.scalar()),
                Arguments.of(Shape.scalar(), Shape.of(1, 1, 1, 1)),
                Arguments.of(Shape.of(5), Shape.of(5, 1)),
                Arguments.of(Shape.of(0, 3), Shape.of(3, 0)));
    }

    @ParameterizedTest
    @MethodSource("reshapes")
    void reshapeKeepsRowMajorOrder(Shape from, Shape to) {
        float[] x = normal(from, 1);
        checkExact("reshape " + from + " to " + to, be -> be.reshape(be.fromArray(x, from), to));
        checkExact("reshape back", be -> be.reshape(be.reshape(be.fromArray(x, from), to), from));
    }

    @Test
    void reshapeResultOutlivesItsInput() {
        float[] x = normal(Shape.of(3, 4), 1);
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().fromArray(x, 3, 4);
            Tensor r = backend().reshape(t, Shape.of(12));
            t.close();
            assertArrayEquals(x, r.toArray(), "closing the input of reshape spoiled its result");
            Tensor u = backend().fromArray(x, 3, 4);
            Tensor v = backend().reshape(u, Shape.of(2, 6));
            v.close();
            assertArrayEquals(x, u.toArray(), "closing the result of reshape spoiled its input");
        }
    }

    @Test
    void reshapeToADifferentSizeIsAnError() {
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().zeros(Shape.of(3, 4));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().reshape(t, Shape.of(5, 2))).getMessage(),
                    "reshape", "(3x4)", "(5x2)");
        }
    }

    // ------------------------------------------------------------------ transpose

    static Stream<Shape> transposeShapes() {
        return Stream.of(Shape.scalar(), Shape.of(7), Shape.of(1, 5), Shape.of(3, 5),
                Shape.of(2, 3, 4), Shape.of(2, 3, 4, 5), Shape.of(3, 1, 4, 1), Shape.of(2, 0, 3));
    }

    @ParameterizedTest
    @MethodSource("transposeShapes")
    void transposeByEveryPermutation(Shape shape) {
        float[] x = normal(shape, 1);
        for (int[] perm : permutations(shape.rank())) {
            checkExact("transpose " + shape + " by " + Arrays.toString(perm),
                    be -> be.transpose(be.fromArray(x, shape), perm));
        }
    }

    @Test
    void twoDimensionalTransposeOfLargeMatrices() {
        for (Shape shape : new Shape[] {Shape.of(784, 128), Shape.of(1, 1000), Shape.of(999, 1)}) {
            float[] x = normal(shape, 1);
            checkExact("transpose " + shape, be -> be.transpose(be.fromArray(x, shape)));
        }
    }

    @Test
    void invalidPermutationIsAnError() {
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().zeros(Shape.of(2, 3, 4));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().transpose(t, 0, 0, 1)).getMessage(), "transpose", "[0, 0, 1]");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().transpose(t, 1, 0)).getMessage(), "transpose", "(2x3x4)");
        }
    }

    static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] p, boolean[] used, int k, List<int[]> out) {
        if (k == p.length) {
            out.add(p.clone());
            return;
        }
        for (int i = 0; i < p.length; i++) {
            if (!used[i]) {
                used[i] = true;
                p[k] = i;
                permute(p, used, k + 1, out);
                used[i] = false;
            }
        }
    }

    // ------------------------------------------------------------------ slice

    static Stream<Shape> sliceShapes() {
        return Stream.of(Shape.of(9), Shape.of(4, 5), Shape.of(1, 5), Shape.of(4, 5, 6),
                Shape.of(2, 3, 4, 5));
    }

    @ParameterizedTest
    @MethodSource("sliceShapes")
    void sliceEveryAxis(Shape shape) {
        float[] x = normal(shape, 1);
        for (int axis = 0; axis < shape.rank(); axis++) {
            int n = shape.dim(axis);
            int[][] ranges = {{0, n}, {0, 1}, {n - 1, n}, {n / 2, n}, {1, Math.max(1, n - 1)},
                {n / 2, n / 2}};
            for (int[] r : ranges) {
                int a = axis;
                checkExact("slice " + shape + " axis " + a + " [" + r[0] + ", " + r[1] + ")",
                        be -> be.slice(be.fromArray(x, shape), a, r[0], r[1]));
            }
        }
        checkExact("slice with a negative axis",
                be -> be.slice(be.fromArray(x, shape), -1, 0, 1));
    }

    @Test
    void sliceOutOfRangeIsAnError() {
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().zeros(Shape.of(4, 5));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().slice(t, 1, 2, 6)).getMessage(), "slice", "(4x5)", "[2, 6)");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().slice(t, 0, 3, 2)).getMessage(), "slice");
        }
    }

    // ------------------------------------------------------------------ strided slice, pad, broadcastTo

    @Test
    void stridedSlicePadAndBroadcastToGiveTheDefinedValues() {
        try (TensorScope scope = backend().newScope()) {
            Backend be = backend();
            Tensor line = be.fromArray(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10);
            assertArrayEquals(new float[] {1, 4, 7},
                    be.toArray(be.slice(line, new int[] {1}, new int[] {8}, new int[] {3})));
            assertArrayEquals(new float[] {1, 4, 7},
                    be.toArray(be.slice(line, new int[] {1}, new int[] {10}, new int[] {3})),
                    "an end past the last element taken changes nothing");
            Tensor pair = be.fromArray(new float[] {1, 2}, 2);
            assertArrayEquals(new float[] {7, 1, 2, 7, 7},
                    be.toArray(be.pad(pair, new int[] {1}, new int[] {2}, 7f)));
            Tensor row = be.fromArray(new float[] {1, 2, 3}, 1, 3);
            Tensor wide = be.broadcastTo(row, Shape.of(2, 2, 3));
            assertEquals(Shape.of(2, 2, 3), wide.shape());
            assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}, be.toArray(wide));
            Tensor empty = be.zeros(Shape.of(0, 3));
            Tensor padded = be.pad(empty, new int[] {1, 0}, new int[] {0, 0}, 5f);
            assertArrayEquals(new float[] {5, 5, 5}, be.toArray(padded),
                    "padding an empty tensor fills with the value");
            assertEquals(Shape.of(0, 3), be.slice(be.zeros(Shape.of(4, 3)), new int[] {2, 0},
                    new int[] {2, 3}, new int[] {2, 1}).shape());
        }
    }

    static Stream<Shape> stridedShapes() {
        return Stream.of(Shape.of(7), Shape.of(1, 5), Shape.of(4, 5), Shape.of(3, 1, 4),
                Shape.of(2, 3, 5, 4));
    }

    @ParameterizedTest
    @MethodSource("stridedShapes")
    void stridedSliceAndPadEveryAxis(Shape shape) {
        float[] x = normal(shape, 1);
        int rank = shape.rank();
        int[] start = new int[rank];
        int[] end = new int[rank];
        int[] step = new int[rank];
        int[] before = new int[rank];
        int[] after = new int[rank];
        for (int k = 0; k < rank; k++) {
            int n = shape.dim(k);
            start[k] = n > 2 ? 1 : 0;
            end[k] = n;
            step[k] = 1 + k % 3;
            before[k] = k % 2;
            after[k] = 2 - k % 2;
        }
        checkExact("slice " + shape + " steps " + Arrays.toString(step),
                be -> be.slice(be.fromArray(x, shape), start, end, step));
        checkExact("pad " + shape, be -> be.pad(be.fromArray(x, shape), before, after, -1.5f));
        int[] ones = new int[rank];
        Arrays.fill(ones, 1);
        int[] target = shape.dims();
        target[0] = 3;
        float[] one = normal(Shape.of(ones), 2);
        checkExact("broadcastTo from " + Shape.of(ones) + " to " + Shape.of(target),
                be -> be.broadcastTo(be.fromArray(one, Shape.of(ones)), Shape.of(target)));
        checkExact("broadcastTo " + shape + " with a new leading axis",
                be -> be.broadcastTo(be.fromArray(x, shape), prepend(2, shape)));
    }

    private static Shape prepend(int n, Shape s) {
        if (s.rank() == Shape.MAX_RANK) {
            return s;
        }
        int[] d = new int[s.rank() + 1];
        d[0] = n;
        System.arraycopy(s.dims(), 0, d, 1, s.rank());
        return Shape.of(d);
    }

    @Test
    void badStepsPadsAndBroadcastsAreErrors() {
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().zeros(Shape.of(4, 5));
            assertMentions(assertThrows(ShapeException.class, () -> backend().slice(t,
                    new int[] {0, 0}, new int[] {4, 5}, new int[] {1, 0})).getMessage(),
                    "slice", "step 0", "axis 1", "positive");
            assertMentions(assertThrows(ShapeException.class, () -> backend().slice(t,
                    new int[] {0, 0}, new int[] {4, 5}, new int[] {-1, 1})).getMessage(),
                    "slice", "step -1", "positive");
            assertMentions(assertThrows(ShapeException.class, () -> backend().slice(t,
                    new int[] {0, 2}, new int[] {4, 6}, new int[] {1, 1})).getMessage(),
                    "slice", "[2, 6)", "(4x5)");
            assertMentions(assertThrows(ShapeException.class, () -> backend().slice(t,
                    new int[] {0}, new int[] {4}, new int[] {1})).getMessage(),
                    "slice", "one per axis");
            assertMentions(assertThrows(ShapeException.class, () -> backend().pad(t,
                    new int[] {0, -1}, new int[] {0, 0}, 0f)).getMessage(), "pad", "negative");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().broadcastTo(t, Shape.of(4, 4))).getMessage(),
                    "broadcastTo", "(4x5)", "(4x4)");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().broadcastTo(t, Shape.of(5))).getMessage(),
                    "broadcastTo", "rank");
        }
    }

    // ------------------------------------------------------------------ concat

    static Stream<Arguments> concatCases() {
        return Stream.of(
                Arguments.of(Shape.of(3), 0),
                Arguments.of(Shape.of(3, 4), 0),
                Arguments.of(Shape.of(3, 4), 1),
                Arguments.of(Shape.of(3, 4), -1),
                Arguments.of(Shape.of(2, 3, 4), 0),
                Arguments.of(Shape.of(2, 3, 4), 1),
                Arguments.of(Shape.of(2, 3, 4), 2),
                Arguments.of(Shape.of(2, 3, 4, 5), 1),
                Arguments.of(Shape.of(2, 3, 4, 5), 3));
    }

    @ParameterizedTest
    @MethodSource("concatCases")
    void concatThreeInputsOfDifferentSizesAlongTheAxis(Shape base, int axis) {
        int a = base.normalizeAxis(axis);
        Shape s0 = base.withDim(a, 2);
        Shape s1 = base.withDim(a, 1);
        Shape s2 = base.withDim(a, 3);
        float[] x0 = normal(s0, 1);
        float[] x1 = normal(s1, 1);
        float[] x2 = normal(s2, 1);
        checkExact("concat along " + axis + " of " + s0 + ", " + s1 + ", " + s2,
                be -> be.concat(axis, be.fromArray(x0, s0), be.fromArray(x1, s1),
                        be.fromArray(x2, s2)));
        checkExact("concat of two", be -> be.concat(axis, be.fromArray(x2, s2),
                be.fromArray(x0, s0)));
        Shape empty = base.withDim(a, 0);
        checkExact("concat with an empty input", be -> be.concat(axis, be.fromArray(x0, s0),
                be.zeros(empty), be.fromArray(x1, s1)));
        checkExact("concat of one", be -> be.concat(axis, be.fromArray(x1, s1)));
    }

    @Test
    void concatOfMnistSizedBlocks() {
        Shape x = Shape.of(128, 784);
        Shape y = Shape.of(128, 10);
        float[] vx = normal(x, 1);
        float[] vy = normal(y, 1);
        checkExact("concat inputs and labels", be -> be.concat(1, be.fromArray(vx, x),
                be.fromArray(vy, y)));
        checkExact("concat batches", be -> be.concat(0, be.fromArray(vx, x), be.fromArray(vx, x)));
    }

    @Test
    void concatOfMismatchedShapesIsAnError() {
        try (TensorScope scope = backend().newScope()) {
            Tensor a = backend().zeros(Shape.of(2, 3));
            Tensor b = backend().zeros(Shape.of(2, 4));
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().concat(0, a, b)).getMessage(), "concat", "(2x3)", "(2x4)");
        }
    }

    // ------------------------------------------------------------------ gather and scatter

    static Stream<Shape> rowShapes() {
        return Stream.of(Shape.of(5), Shape.of(5, 3), Shape.of(5, 1), Shape.of(5, 2, 3),
                Shape.of(5, 2, 1, 2));
    }

    @ParameterizedTest
    @MethodSource("rowShapes")
    void gatherRowsWithRepeats(Shape shape) {
        float[] x = normal(shape, 1);
        int[][] picks = {{2, 0, 2, 2, 4, 1}, {3}, {}, {0, 1, 2, 3, 4}, {4, 4, 4, 4, 4, 4, 4, 4}};
        for (int[] rows : picks) {
            checkExact("gatherRows " + Arrays.toString(rows) + " of " + shape,
                    be -> be.gatherRows(be.fromArray(x, shape), rows));
        }
    }

    @ParameterizedTest
    @MethodSource("rowShapes")
    void scatterAddRowsAccumulatesRepeats(Shape shape) {
        int[][] picks = {{2, 0, 2, 2, 4, 1}, {3}, {0, 1, 2, 3, 4}, {6, 6, 6, 6, 6, 6, 6}};
        for (int[] rows : picks) {
            Shape src = shape.withDim(0, rows.length);
            float[] x = normal(src, 1);
            checkAccumulated("scatterAddRows " + Arrays.toString(rows) + " into 7 rows",
                    be -> be.scatterAddRows(be.fromArray(x, src), rows, 7),
                    be -> be.scatterAddRows(abs(be, be.fromArray(x, src)), rows, 7),
                    rows.length);
        }
        checkExact("scatterAddRows of no rows",
                be -> be.scatterAddRows(be.zeros(shape.withDim(0, 0)), new int[0], 4));
    }

    @Test
    void scatterAddRowsOfKnownValues() {
        float[] r = actual(be -> be.scatterAddRows(
                be.fromArray(new float[] {1, 2, 10, 20, 100, 200}, 3, 2), new int[] {1, 1, 0}, 3))
                .values();
        assertArrayEquals(new float[] {100, 200, 11, 22, 0, 0}, r, 0f);
    }

    @Test
    void scatterAddRowsUndoesGatherRowsOnDistinctRows() {
        Shape shape = Shape.of(6, 4);
        float[] x = normal(shape, 1);
        int[] perm = rng.permutation(6);
        checkExact("scatterAddRows(gatherRows(x))", be -> be.scatterAddRows(
                be.gatherRows(be.fromArray(x, shape), perm), perm, 6));
        assertArrayEquals(x, actual(be -> be.scatterAddRows(
                be.gatherRows(be.fromArray(x, shape), perm), perm, 6)).values(), 0f);
    }

    @Test
    void rowIndicesOutOfRangeAreErrors() {
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().zeros(Shape.of(4, 2));
            assertMentions(assertThrows(IndexOutOfBoundsException.class,
                    () -> backend().gatherRows(t, new int[] {0, 4})).getMessage(),
                    "gatherRows", "4", "(4x2)");
            assertMentions(assertThrows(IndexOutOfBoundsException.class,
                    () -> backend().gatherRows(t, new int[] {-1})).getMessage(), "gatherRows", "-1");
            assertMentions(assertThrows(IndexOutOfBoundsException.class,
                    () -> backend().scatterAddRows(t, new int[] {0, 1, 2, 3}, 3)).getMessage(),
                    "scatterAddRows", "3");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().scatterAddRows(t, new int[] {0, 1}, 3)).getMessage(),
                    "scatterAddRows", "(4x2)");
        }
    }

    // ------------------------------------------------------------------ oneHot

    @Test
    void oneHotPutsAOneAtEachLabel() {
        int[] labels = {2, 0, 1, 2, 9, 0};
        checkExact("oneHot", be -> be.oneHot(labels, 10));
        float[] r = actual(be -> be.oneHot(new int[] {1, 0}, 2)).values();
        assertArrayEquals(new float[] {0, 1, 1, 0}, r, 0f);
        checkExact("oneHot with one class", be -> be.oneHot(new int[] {0, 0, 0}, 1));
        Result empty = actual(be -> be.oneHot(new int[0], 3));
        assertEquals(Shape.of(0, 3), empty.shape());
    }

    @Test
    void oneHotOfALabelOutOfRangeIsAnError() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> backend().oneHot(new int[] {0, 3}, 3)).getMessage(), "oneHot", "3", "0..2");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> backend().oneHot(new int[] {0}, 0)).getMessage(), "oneHot", "classes");
    }

    // ------------------------------------------------------------------ purity

    @Test
    void movementLeavesItsInputsUnchanged() {
        Shape shape = Shape.of(4, 3, 2);
        float[] x = normal(shape, 1);
        try (TensorScope scope = backend().newScope()) {
            Backend be = backend();
            Tensor t = be.fromArray(x, shape);
            be.reshape(t, Shape.of(12, 2));
            be.transpose(t, 2, 0, 1);
            be.slice(t, 1, 1, 2);
            be.concat(0, t, t);
            be.gatherRows(t, new int[] {1, 1});
            be.scatterAddRows(t, new int[] {0, 0, 1, 1}, 2);
            assertArrayEquals(x, t.toArray(), "a movement op changed its input");
        }
    }
}
