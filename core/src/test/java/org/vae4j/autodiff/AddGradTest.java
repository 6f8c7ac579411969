package org.vae4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;

/** A gradient computed elsewhere, added to a leaf as a backward pass adds its own. */
class AddGradTest {
    private final Backend be = new ReferenceBackend();

    @Test
    void anAddedGradientSumsWithTheBackwardPasses() {
        Variable w = Variable.leaf(be.fromArray(new float[] {1, 2}, Shape.of(2)));
        w.addGrad(be.fromArray(new float[] {0.5f, -1}, Shape.of(2)));
        assertArrayEquals(new float[] {0.5f, -1}, w.grad().toArray());
        w.mul(w).sum().backward(); // d/dw sum(w^2) = 2w
        assertArrayEquals(new float[] {2.5f, 3}, w.grad().toArray());
    }

    @Test
    void aGradientOfAnotherShapeIsRefused() {
        Variable w = Variable.leaf(be.fromArray(new float[] {1, 2}, Shape.of(2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.addGrad(be.fromArray(new float[] {1, 2, 3}, Shape.of(3))));
        assertTrue(e.getMessage().contains("of shape"), e.getMessage());
    }
}
