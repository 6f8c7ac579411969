package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/** Conformance of the 2-D product with all four transpose flags, from 1x1 to MNIST sizes. */
public abstract class MatmulChecks extends BackendChecks {

    /** (m, k, n): the product of an (m x k) and a (k x n) matrix. */
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(1, 1, 1),
                Arguments.of(3, 5, 2),
                Arguments.of(1, 7, 1),
                Arguments.of(7, 1, 5),
                Arguments.of(1, 9, 6),
                Arguments.of(6, 9, 1),
                Arguments.of(33, 17, 65),
                Arguments.of(64, 64, 64),
                Arguments.of(128, 784, 40),
                Arguments.of(128, 40, 784),
                Arguments.of(200, 300, 250));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void matchesReferenceWithEveryTransposeFlag(int m, int k, int n) {
        float[] a = normal(Shape.of(m, k), 1);
        float[] b = normal(Shape.of(k, n), 1);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                // op(a) is (m x k) and op(b) is (k x n) whatever the flags
                Shape sa = transA ? Shape.of(k, m) : Shape.of(m, k);
                Shape sb = transB ? Shape.of(n, k) : Shape.of(k, n);
                boolean ta = transA;
                boolean tb = transB;
                checkAccumulated("matmul " + sa + (ta ? "T" : "") + "·" + sb + (tb ? "T" : ""),
                        be -> be.matmul(be.fromArray(a, sa), ta, be.fromArray(b, sb), tb),
                        be -> be.matmul(abs(be, be.fromArray(a, sa)), ta,
                                abs(be, be.fromArray(b, sb)), tb),
                        k);
            }
        }
    }

    @Test
    void twoArgumentFormIsThePlainProduct() {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] r = actual(be -> be.matmul(be.fromArray(a, 2, 3), be.fromArray(b, 3, 2))).values();
        assertArrayEquals(new float[] {58, 64, 139, 154}, r, 0f);
    }

    @Test
    void productWithEmptyInnerSizeIsZeros() {
        checkExact("matmul (3x0)·(0x4)",
                be -> be.matmul(be.zeros(Shape.of(3, 0)), be.zeros(Shape.of(0, 4))));
        checkExact("matmul (0x5)·(5x4)",
                be -> be.matmul(be.zeros(Shape.of(0, 5)), be.ones(Shape.of(5, 4))));
    }

    @Test
    void specialValuesPropagate() {
        float[] a = {Float.NaN, 1f, 1f, 1f, Float.POSITIVE_INFINITY, 1f};
        float[] b = {1f, 2f, 3f, 4f};
        checkElementwise("matmul with NaN and inf",
                be -> be.matmul(be.fromArray(a, 3, 2), be.fromArray(b, 2, 2)));
    }

    @Test
    void leavesItsInputsUnchanged() {
        float[] a = normal(Shape.of(4, 3), 1);
        float[] b = normal(Shape.of(4, 5), 1);
        try (TensorScope scope = backend().newScope()) {
            Tensor ta = backend().fromArray(a, 4, 3);
            Tensor tb = backend().fromArray(b, 4, 5);
            backend().matmul(ta, true, tb, false);
            backend().matmul(tb, true, ta, false);
            assertArrayEquals(a, ta.toArray());
            assertArrayEquals(b, tb.toArray());
        }
    }

    @Test
    void innerSizeMismatchNamesBothShapes() {
        try (TensorScope scope = backend().newScope()) {
            Tensor a = backend().zeros(Shape.of(128, 784));
            Tensor b = backend().zeros(Shape.of(400, 20));
            assertMentions(assertThrows(ShapeException.class, () -> backend().matmul(a, b))
                    .getMessage(), "matmul", "(128x784)", "(400x20)", "784", "400");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().matmul(a, false, b, true)).getMessage(), "matmul", "784", "20");
            assertMentions(assertThrows(ShapeException.class,
                    () -> backend().matmul(backend().zeros(Shape.of(2, 3, 4)), b)).getMessage(),
                    "matmul", "2-D", "(2x3x4)");
        }
    }
}
