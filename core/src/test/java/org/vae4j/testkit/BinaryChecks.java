package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/** Conformance of every {@link BinaryOp} with NumPy broadcasting and IEEE special values. */
public abstract class BinaryChecks extends BackendChecks {

    static Stream<Arguments> broadcastCases() {
        return Stream.of(
                Arguments.of(Shape.of(3, 4), Shape.of(3, 4)),
                Arguments.of(Shape.scalar(), Shape.of(3, 4)),
                Arguments.of(Shape.of(3, 4), Shape.scalar()),
                Arguments.of(Shape.scalar(), Shape.scalar()),
                Arguments.of(Shape.of(1, 4), Shape.of(3, 1)),
                Arguments.of(Shape.of(3, 1), Shape.of(1, 4)),
                Arguments.of(Shape.of(3, 4), Shape.of(4)),
                Arguments.of(Shape.of(4), Shape.of(3, 4)),
                Arguments.of(Shape.of(3, 4), Shape.of(3, 1)),
                Arguments.of(Shape.of(1, 4), Shape.of(3, 4)),
                Arguments.of(Shape.of(1), Shape.of(5)),
                Arguments.of(Shape.of(5), Shape.of(1)),
                Arguments.of(Shape.of(1), Shape.of(1)),
                Arguments.of(Shape.of(2, 3, 4), Shape.of(4)),
                Arguments.of(Shape.of(2, 3, 4), Shape.of(3, 1)),
                Arguments.of(Shape.of(2, 3, 4), Shape.of(3, 4)),
                Arguments.of(Shape.of(2, 1, 4), Shape.of(1, 3, 1)),
                Arguments.of(Shape.of(2, 3, 4, 5), Shape.of(5)),
                Arguments.of(Shape.of(2, 3, 4, 5), Shape.of(4, 1)),
                Arguments.of(Shape.of(2, 1, 4, 5), Shape.of(3, 1, 5)),
                Arguments.of(Shape.of(1, 3, 1, 5), Shape.of(2, 1, 4, 1)),
                Arguments.of(Shape.of(2, 3, 4, 5), Shape.scalar()),
                Arguments.of(Shape.of(1, 1, 1, 1), Shape.of(2, 3)),
                Arguments.of(Shape.of(0), Shape.of(1)),
                Arguments.of(Shape.of(0, 3), Shape.of(3)),
                Arguments.of(Shape.of(2, 0), Shape.scalar()));
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void matchesReferenceOnOrdinaryInputs(BinaryOp op) {
        Shape shape = Shape.of(13, 29);
        float[] a = normal(shape, 3);
        float[] b = normal(shape, 3);
        checkElementwise(op.name(), be -> be.binary(op, be.fromArray(a, shape),
                be.fromArray(b, shape)));
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void matchesReferenceOnSmallIntegersWithTiesAndZeros(BinaryOp op) {
        // Ties exercise EQUAL, GREATER and MAX/MIN; zeros exercise division by zero.
        Shape shape = Shape.of(9, 11);
        float[] a = integers(shape, -2, 2);
        float[] b = integers(shape, -2, 2);
        checkElementwise(op.name(), be -> be.binary(op, be.fromArray(a, shape),
                be.fromArray(b, shape)));
    }

    @ParameterizedTest
    @MethodSource("broadcastCases")
    void everyOpBroadcastsLikeNumPy(Shape sa, Shape sb) {
        float[] a = normal(sa, 2);
        float[] b = integers(sb, -3, 3);
        for (BinaryOp op : BinaryOp.values()) {
            checkElementwise(op.name() + " " + sa + " with " + sb,
                    be -> be.binary(op, be.fromArray(a, sa), be.fromArray(b, sb)));
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void matchesReferenceOnExtremeMagnitudes(BinaryOp op) {
        float[] x = extremeValues();
        int n = x.length;
        Shape col = Shape.of(n, 1);
        Shape row = Shape.of(1, n);
        // every pair of extreme values: overflow to infinity, underflow to 0, inf - inf = NaN
        checkElementwise(op.name(), be -> be.binary(op, be.fromArray(x, col),
                be.fromArray(x, row)));
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void specialValuesFollowIeee(BinaryOp op) {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[] a = {nan, 1f, nan, inf, inf, -inf, 0f, 1f, -1f, 0f, 2f};
        float[] b = {1f, nan, nan, inf, -inf, 3f, 0f, 0f, 0f, -inf, inf};
        Shape s = Shape.of(a.length);
        checkElementwise(op.name(), be -> be.binary(op, be.fromArray(a, s), be.fromArray(b, s)));
    }

    @Test
    void maxAndMinPropagateNaN() {
        float[] a = {Float.NaN, 1f, Float.NaN};
        float[] b = {1f, Float.NaN, Float.NaN};
        for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
            float[] r = actual(be -> be.binary(op, be.fromArray(a, 3), be.fromArray(b, 3)))
                    .values();
            assertArrayEquals(new float[] {Float.NaN, Float.NaN, Float.NaN}, r, 0f,
                    op + " must give NaN when either input is NaN");
        }
    }

    @Test
    void divisionByZeroGivesSignedInfinityOrNaN() {
        float[] r = actual(be -> be.div(be.fromArray(new float[] {1f, -1f, 0f}, 3),
                be.scalar(0f))).values();
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN}, r, 0f);
    }

    @Test
    void comparisonsGiveMasksOfOneAndZero() {
        float[] a = {1f, 2f, 3f, Float.NaN};
        float[] b = {2f, 2f, 2f, Float.NaN};
        assertArrayEquals(new float[] {0f, 0f, 1f, 0f}, actual(be -> be.binary(BinaryOp.GREATER,
                be.fromArray(a, 4), be.fromArray(b, 4))).values(), 0f, "greater");
        assertArrayEquals(new float[] {0f, 1f, 0f, 0f}, actual(be -> be.binary(BinaryOp.EQUAL,
                be.fromArray(a, 4), be.fromArray(b, 4))).values(), 0f, "equal");
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void leavesItsInputsUnchanged(BinaryOp op) {
        float[] a = normal(Shape.of(3, 4), 1);
        float[] b = normal(Shape.of(4), 1);
        try (TensorScope scope = backend().newScope()) {
            Tensor ta = backend().fromArray(a, 3, 4);
            Tensor tb = backend().fromArray(b, 4);
            backend().binary(op, ta, tb);
            backend().binary(op, tb, ta);
            assertArrayEquals(a, ta.toArray(), op + " changed its first input");
            assertArrayEquals(b, tb.toArray(), op + " changed its second input");
        }
    }

    @Test
    void shapeMismatchNamesTheOpAndBothShapes() {
        try (TensorScope scope = backend().newScope()) {
            Tensor a = backend().zeros(Shape.of(2, 3));
            Tensor b = backend().zeros(Shape.of(4, 3));
            ShapeException e = assertThrows(ShapeException.class, () -> backend().add(a, b));
            assertMentions(e.getMessage(), "add", "(2x3)", "(4x3)");
            e = assertThrows(ShapeException.class,
                    () -> backend().binary(BinaryOp.MAX, b, backend().zeros(Shape.of(2))));
            assertMentions(e.getMessage(), "max", "(4x3)", "(2)");
        }
    }

    @Test
    void broadcastResultHasTheBroadcastShape() {
        Result r = actual(be -> be.mul(be.zeros(Shape.of(2, 1, 4)), be.zeros(Shape.of(3, 1))));
        assertEquals(Shape.of(2, 3, 4), r.shape());
    }
}
