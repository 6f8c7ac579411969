package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/** Conformance of every {@link UnaryOp}: ordinary, extreme and special inputs, every rank. */
public abstract class UnaryChecks extends BackendChecks {

    static Stream<Shape> shapes() {
        return Stream.of(Shape.scalar(), Shape.of(1), Shape.of(5), Shape.of(2, 3),
                Shape.of(2, 3, 4), Shape.of(2, 1, 3, 2), Shape.of(0), Shape.of(3, 0));
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void matchesReferenceOnOrdinaryInputs(UnaryOp op) {
        Shape shape = Shape.of(17, 31);
        float[] x = normal(shape, 3);
        checkElementwise(op.name(), be -> be.unary(op, be.fromArray(x, shape)));
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void matchesReferenceOnPositiveInputs(UnaryOp op) {
        // LOG, SQRT and RECIPROCAL are most interesting on (0, inf); a wide range of scales.
        Shape shape = Shape.of(8, 25);
        float[] x = new float[shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.pow(10, -8 + 16 * rng.nextDouble());
        }
        checkElementwise(op.name(), be -> be.unary(op, be.fromArray(x, shape)));
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void matchesReferenceOnExtremeMagnitudes(UnaryOp op) {
        float[] x = extremeValues();
        Shape shape = Shape.of(x.length);
        checkElementwise(op.name(), be -> be.unary(op, be.fromArray(x, shape)));
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void isDefinedAtInfinity(UnaryOp op) {
        float[] x = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        checkElementwise(op.name(), be -> be.unary(op, be.fromArray(x, 2)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void everyOpWorksOnEveryRankAndEmptyShapes(Shape shape) {
        float[] x = normal(shape, 2);
        for (UnaryOp op : UnaryOp.values()) {
            checkElementwise(op.name() + " on " + shape,
                    be -> be.unary(op, be.fromArray(x, shape)));
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void leavesItsInputUnchanged(UnaryOp op) {
        float[] x = normal(Shape.of(4, 6), 2);
        try (TensorScope scope = backend().newScope()) {
            Tensor t = backend().fromArray(x, 4, 6);
            backend().unary(op, t);
            assertArrayEquals(x, t.toArray(), op + " changed its input");
        }
    }

    @Test
    void logOfZeroIsNegativeInfinityAndOfNegativeIsNaN() {
        float[] r = actual(be -> be.unary(UnaryOp.LOG, be.fromArray(new float[] {0f, -0f, -1f}, 3)))
                .values();
        assertEquals(Float.NEGATIVE_INFINITY, r[0], "log(0)");
        assertEquals(Float.NEGATIVE_INFINITY, r[1], "log(-0)");
        assertEquals(Float.NaN, r[2], "log(-1)");
    }

    @Test
    void sqrtOfNegativeIsNaNAndReciprocalOfZeroIsInfinity() {
        float[] s = actual(be -> be.unary(UnaryOp.SQRT, be.fromArray(new float[] {-4f, 0f, 4f}, 3)))
                .values();
        assertArrayEquals(new float[] {Float.NaN, 0f, 2f}, s, 0f);
        float[] r = actual(be -> be.unary(UnaryOp.RECIPROCAL, be.fromArray(new float[] {0f, 4f}, 2)))
                .values();
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0.25f}, r);
    }

    @Test
    void softplusAndLogSigmoidAreStableForLargeInputs() {
        float[] x = {100f, -100f, 1e30f, -1e30f, 0f};
        float[] sp = actual(be -> be.unary(UnaryOp.SOFTPLUS, be.fromArray(x, 5))).values();
        assertEquals(100f, sp[0], 1e-4f, "softplus(100)");
        assertEquals(0f, sp[1], 1e-30f, "softplus(-100)");
        assertEquals(1e30f, sp[2], 1e24f, "softplus(1e30)");
        assertEquals(0f, sp[3], "softplus(-1e30)");
        assertEquals((float) Math.log(2), sp[4], 1e-6f, "softplus(0)");
        float[] ls = actual(be -> be.unary(UnaryOp.LOG_SIGMOID, be.fromArray(x, 5))).values();
        assertEquals(0f, ls[0], 1e-30f, "logSigmoid(100)");
        assertEquals(-100f, ls[1], 1e-4f, "logSigmoid(-100)");
        assertEquals(0f, ls[2], "logSigmoid(1e30)");
        assertEquals(-1e30f, ls[3], 1e24f, "logSigmoid(-1e30)");
        assertEquals((float) -Math.log(2), ls[4], 1e-6f, "logSigmoid(0)");
    }

    @Test
    void sigmoidTanhAndExpSaturateWithoutNaN() {
        float[] x = {100f, -100f, 1e30f, -1e30f};
        assertArrayEquals(new float[] {1f, 0f, 1f, 0f},
                actual(be -> be.unary(UnaryOp.SIGMOID, be.fromArray(x, 4))).values(), 1e-30f,
                "sigmoid");
        assertArrayEquals(new float[] {1f, -1f, 1f, -1f},
                actual(be -> be.unary(UnaryOp.TANH, be.fromArray(x, 4))).values(), "tanh");
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0f, Float.POSITIVE_INFINITY, 0f},
                actual(be -> be.unary(UnaryOp.EXP, be.fromArray(x, 4))).values(), 1e-30f, "exp");
    }

    @Test
    void stepReluAndSignAtZero() {
        float[] x = {-1f, 0f, 2f};
        assertArrayEquals(new float[] {0f, 0f, 1f},
                actual(be -> be.unary(UnaryOp.STEP, be.fromArray(x, 3))).values(), 0f, "step");
        assertArrayEquals(new float[] {0f, 0f, 2f},
                actual(be -> be.unary(UnaryOp.RELU, be.fromArray(x, 3))).values(), 0f, "relu");
        assertArrayEquals(new float[] {-1f, 0f, 1f},
                actual(be -> be.unary(UnaryOp.SIGN, be.fromArray(x, 3))).values(), 0f, "sign");
    }
}
