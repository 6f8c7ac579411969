package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.tensor.BackendMismatchException;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.Tensors;
import org.vae4j.tensor.UnaryOp;

/** Conformance of {@code fromArray}, {@code toArray}, {@code full} and {@code scalar}. */
public abstract class TransferChecks extends BackendChecks {

    static Stream<Shape> shapes() {
        return Stream.of(Shape.scalar(), Shape.of(1), Shape.of(7), Shape.of(1, 1), Shape.of(3, 5),
                Shape.of(2, 3, 4), Shape.of(2, 1, 3, 5), Shape.of(0), Shape.of(3, 0),
                Shape.of(2, 0, 4));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void fromArrayAndToArrayRoundTripEveryValueExactly(Shape shape) {
        float[] data = normal(shape, 10);
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().fromArray(data, shape);
            assertEquals(shape, t.shape());
            assertSame(backend(), t.backend());
            assertArrayEquals(data, t.toArray(), "fromArray then toArray on " + shape);
            assertArrayEquals(data, backend().toArray(t), "backend().toArray on " + shape);
        }
    }

    @Test
    void roundTripKeepsSpecialValuesBitForBit() {
        float[] data = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
            1e-40f, 1f};
        try (TensorScope scope = backend().newScope()) {
            float[] back = backend().fromArray(data, 3, 4).toArray();
            for (int i = 0; i < data.length; i++) {
                assertEquals(Float.floatToIntBits(data[i]), Float.floatToIntBits(back[i]),
                        "round trip of " + data[i] + " at index " + i + " gave " + back[i]);
            }
        }
    }

    @Test
    void fromArrayCopiesItsInputAndToArrayReturnsACopy() {
        float[] data = {1, 2, 3, 4};
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().fromArray(data, 2, 2);
            data[0] = 99;
            float[] out = t.toArray();
            out[1] = 99;
            assertArrayEquals(new float[] {1, 2, 3, 4}, t.toArray(),
                    "a tensor must not share storage with the arrays it came from or gave out");
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void fullFillsEveryElement(Shape shape) {
        checkExact("full", be -> be.full(shape, -2.5f));
        checkExact("zeros", be -> be.zeros(shape));
        checkExact("ones", be -> be.ones(shape));
    }

    @Test
    void fullHoldsSpecialValues() {
        for (float v : new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 1e30f, -0f}) {
            checkExact("full(" + v + ")", be -> be.full(Shape.of(2, 3), v));
        }
    }

    @Test
    void scalarIsRankZeroWithOneValue() {
        try (TensorScope scope = backend().newScope()) {
            Tensor s = backend().scalar(3.25f);
            assertEquals(Shape.scalar(), s.shape());
            assertEquals(1, s.size());
            assertEquals(3.25f, s.item());
            assertArrayEquals(new float[] {3.25f}, s.toArray());
        }
    }

    @Test
    void itemOfOneElementTensorOfAnyRank() {
        try (TensorScope scope = backend().newScope()) {
            assertEquals(-7f, backend().fromArray(new float[] {-7f}, 1, 1, 1, 1).item());
            ShapeException e = assertThrows(ShapeException.class,
                    () -> backend().fromArray(new float[] {1, 2}, 2).item());
            assertMentions(e.getMessage(), "item", "(2)");
        }
    }

    @Test
    void fromArrayRejectsDataThatDoesNotFillTheShape() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> backend().fromArray(new float[5], Shape.of(2, 3)));
        assertMentions(e.getMessage(), "fromArray", "5", "(2x3)");
    }

    @Test
    void tensorOfAnotherBackendIsRejectedWithBackendMismatch() {
        try (TensorScope scope = backend().newScope()) {
            Tensor mine = backend().fromArray(new float[] {1, 2}, 2);
            Tensor foreign = REFERENCE.fromArray(new float[] {1, 2}, 2);
            assertMentions(assertThrows(BackendMismatchException.class,
                    () -> backend().add(mine, foreign)).getMessage(), "add", "(2)");
            assertMentions(assertThrows(BackendMismatchException.class,
                    () -> backend().unary(UnaryOp.EXP, foreign)).getMessage(), "exp");
            assertMentions(assertThrows(BackendMismatchException.class,
                    () -> backend().toArray(foreign)).getMessage(), "toArray");
            assertMentions(assertThrows(BackendMismatchException.class,
                    () -> backend().matmul(foreign, mine)).getMessage(), "matmul");
        }
    }

    @Test
    void copyMovesValuesBetweenBackends() {
        float[] data = normal(Shape.of(3, 4), 1);
        try (TensorScope scope = backend().newScope()) {
            Tensor mine = backend().fromArray(data, 3, 4);
            Tensor there = Tensors.copy(mine, REFERENCE);
            Tensor back = Tensors.copy(there, backend());
            assertSame(backend(), back.backend());
            assertArrayEquals(data, back.toArray());
        }
    }

    @Test
    void checkFiniteNamesTheBadElement() {
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().binary(BinaryOp.DIV, backend().fromArray(new float[] {1, 0}, 2),
                    backend().fromArray(new float[] {1, 0}, 2));
            assertEquals(false, Tensors.allFinite(t));
            assertMentions(assertThrows(RuntimeException.class,
                    () -> Tensors.checkFinite(t, "loss")).getMessage(), "loss", "NaN", "1");
        }
    }
}
