package org.vae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shapes: construction limits, strides, axes, and the broadcast rule with its message. */
class ShapeTest {

    @Test
    void printsAsInErrorMessages() {
        assertEquals("(128x784)", Shape.of(128, 784).toString());
        assertEquals("()", Shape.scalar().toString());
        assertEquals("(0)", Shape.of(0).toString());
    }

    @Test
    void sizeAndStridesAreRowMajor() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(24, s.size());
        assertArrayEquals(new int[] {12, 4, 1}, s.strides());
        assertEquals(1, Shape.scalar().size());
        assertEquals(0, Shape.of(3, 0, 2).size());
        assertEquals(0, Shape.scalar().rank());
    }

    @Test
    void rejectsRankAboveFourAndNegativeDimensions() {
        ShapeException e = assertThrows(ShapeException.class, () -> Shape.of(1, 2, 3, 4, 5));
        assertTrue(e.getMessage().contains("(1x2x3x4x5)") && e.getMessage().contains("rank 5"),
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> Shape.of(2, -1));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Shape.of(65536, 65536));
        assertTrue(e.getMessage().contains("4294967296"), e.getMessage());
    }

    @Test
    void dimsIsACopy() {
        Shape s = Shape.of(2, 3);
        s.dims()[0] = 9;
        assertEquals(Shape.of(2, 3), s);
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(4, s.dim(-1));
        assertEquals(0, s.normalizeAxis(-3));
        ShapeException e = assertThrows(ShapeException.class, () -> s.normalizeAxis(3));
        assertTrue(e.getMessage().contains("axis 3") && e.getMessage().contains("(2x3x4)"),
                e.getMessage());
        assertEquals(Shape.of(2, 7, 4), s.withDim(-2, 7));
    }

    @Test
    void equalityIsByDimensions() {
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
        assertNotEquals(Shape.of(3, 2), Shape.of(2, 3));
        assertNotEquals(Shape.of(1), Shape.scalar());
        assertEquals(Shape.scalar(), Shape.of());
    }

    @Test
    void broadcastAlignsTrailingDimensions() {
        assertEquals(Shape.of(3, 4), Shape.broadcast("add", Shape.of(3, 1), Shape.of(1, 4)));
        assertEquals(Shape.of(2, 3, 4), Shape.broadcast("add", Shape.of(2, 3, 4), Shape.of(4)));
        assertEquals(Shape.of(2, 3, 4, 5),
                Shape.broadcast("add", Shape.of(2, 1, 4, 5), Shape.of(3, 1, 5)));
        assertEquals(Shape.of(3, 4), Shape.broadcast("add", Shape.scalar(), Shape.of(3, 4)));
        assertEquals(Shape.of(5), Shape.broadcast("add", Shape.of(1), Shape.of(5)));
        assertEquals(Shape.of(0, 3), Shape.broadcast("add", Shape.of(0, 1), Shape.of(3)));
    }

    @Test
    void broadcastFailureNamesOpShapesAndTheRule() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shape.broadcast("mul", Shape.of(2, 3), Shape.of(4, 3)));
        String m = e.getMessage();
        assertTrue(m.startsWith("mul: "), m);
        assertTrue(m.contains("(2x3)") && m.contains("(4x3)"), m);
        assertTrue(m.contains("equal or one of them 1"), m);
        assertTrue(m.contains("2 and 4 differ"), m);
        assertThrows(ShapeException.class,
                () -> Shape.broadcast("add", Shape.of(0), Shape.of(3)));
    }
}
