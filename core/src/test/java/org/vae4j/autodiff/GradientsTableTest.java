package org.vae4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.ReduceOp;
import org.vae4j.tensor.UnaryOp;

class GradientsTableTest {

    @Test
    void everyOpHasARuleOrIsMarkedNonDifferentiable() {
        for (Op op : Op.values()) {
            assertNotEquals(Gradients.hasRule(op), Gradients.NON_DIFFERENTIABLE.contains(op),
                    op + " must have exactly one of: a gradient rule, a non-differentiable mark");
        }
    }

    @Test
    void everyTensorOpHasAnAutodiffOp() {
        for (UnaryOp u : UnaryOp.values()) {
            assertEquals(u.name(), Op.of(u).name());
        }
        for (BinaryOp b : BinaryOp.values()) {
            assertEquals(b.name(), Op.of(b).name());
        }
        assertEquals(Op.AMAX, Op.of(ReduceOp.MAX));
        assertEquals(Op.SUM, Op.of(ReduceOp.SUM));
        assertEquals(Op.MEAN, Op.of(ReduceOp.MEAN));
    }

    @Test
    void aMissingRuleIsNamedInTheError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Gradients.rule(Op.STEP));
        assertEquals("no gradient rule for STEP", e.getMessage());
    }
}
