package org.vae4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

class GradientsTableTest {

    @Test
    void onlyMasksAndSignsAreNonDifferentiable() {
        Set<UnaryOp> unary = EnumSet.noneOf(UnaryOp.class);
        for (UnaryOp u : UnaryOp.values()) {
            if (!new Op.Unary(u).isDifferentiable()) {
                unary.add(u);
            }
        }
        Set<BinaryOp> binary = EnumSet.noneOf(BinaryOp.class);
        for (BinaryOp b : BinaryOp.values()) {
            if (!new Op.Binary(b).isDifferentiable()) {
                binary.add(b);
            }
        }
        assertEquals(EnumSet.of(UnaryOp.STEP, UnaryOp.SIGN), unary);
        assertEquals(EnumSet.of(BinaryOp.GREATER, BinaryOp.EQUAL), binary);
        for (ReduceOp r : ReduceOp.values()) {
            assertTrue(new Op.Reduce(r, new int[] {0}, false).isDifferentiable(), r.name());
        }
    }

    @Test
    void namesFollowTheTensorOpsAndTheRecordNames() throws Exception {
        assertEquals("logSigmoid", new Op.Unary(UnaryOp.LOG_SIGMOID).name());
        assertEquals("add", new Op.Binary(BinaryOp.ADD).name());
        assertEquals("amax", new Op.Reduce(ReduceOp.MAX, new int[] {0}, false).name());
        assertEquals("mean", new Op.Reduce(ReduceOp.MEAN, new int[] {0}, false).name());
        // every other kind is named after its record, so tests can list them by reflection
        for (Class<?> kind : Op.class.getPermittedSubclasses()) {
            if (kind == Op.Elementwise.class || kind == Op.Reduce.class) {
                continue;
            }
            String simple = kind.getSimpleName();
            String expected = Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
            assertEquals(expected, instance(kind).name(), kind.getName());
        }
    }

    @Test
    void aMissingRuleIsNamedInTheError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Op.Unary(UnaryOp.STEP).gradient(null, 0));
        assertEquals("no gradient rule for step", e.getMessage());
    }

    @Test
    void nonDifferentiableOpsRecordConstants() {
        ReferenceBackend be = new ReferenceBackend();
        try (TensorScope scope = be.newScope()) {
            Variable x = Variable.leaf(be.fromArray(new float[] {-1, 2}, 2));
            Variable mask = x.step();
            assertFalse(mask.requiresGrad());
            assertEquals(null, mask.op());
            Variable y = x.square();
            assertEquals("square", y.op().name());
            assertEquals(java.util.List.of(x), y.inputs());
        }
    }

    /** A record of the given kind with zero, false and empty settings. */
    private static Op instance(Class<?> kind) throws Exception {
        RecordComponent[] parts = kind.getRecordComponents();
        Class<?>[] types = new Class<?>[parts.length];
        Object[] values = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
            values[i] = types[i] == int.class ? 0 : types[i] == boolean.class ? false
                    : types[i] == int[].class ? new int[0] : null;
        }
        Constructor<?> c = kind.getDeclaredConstructor(types);
        c.setAccessible(true);
        return (Op) c.newInstance(values);
    }
}
