package org.vae4j.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;

class InputShapeTest {

    private final Backend backend = new ReferenceBackend();

    /** A model with no parameters that reads examples of a given shape. */
    private final class ShapedModel extends Model {
        private final Shape shape;

        ShapedModel(Shape shape) {
            super("shaped", ModelConfig.empty(), backend);
            this.shape = shape;
        }

        @Override
        public Shape inputShape() {
            return shape;
        }

        @Override
        public Loss loss(Batch batch, StepContext context) {
            return Loss.of(Variable.constant(batch.x()).mean());
        }
    }

    private static Dataset mnistLike() {
        return Dataset.unlabelled("mnist", new float[3 * 784], 784).withImageShape(28, 28);
    }

    @Test
    void inputSizeIsTheFlatSizeOfTheInputShape() {
        assertEquals(784, new ShapedModel(Shape.of(1, 28, 28)).inputSize());
        assertEquals(20, new ShapedModel(Shape.of(20)).inputSize());
    }

    @Test
    void checkDataNamesBothShapesAndHowToReshapeWhenTheSizesAgree() {
        Model images = new ShapedModel(Shape.of(1, 28, 28));
        var e = assertThrows(IllegalArgumentException.class, () -> images.checkData(mnistLike()));
        assertEquals("shaped expects examples of shape (1x28x28) (setting 'input'), but the data"
                + " set 'mnist' has rows of 784 values as examples of shape (784); the sizes"
                + " agree, so data.withExampleShape((1x28x28)) presents the same rows in the"
                + " expected shape", e.getMessage());
        assertDoesNotThrow(() -> images.checkData(mnistLike().asImages()));
        Model flat = new ShapedModel(Shape.of(784));
        assertDoesNotThrow(() -> flat.checkData(mnistLike()));
        e = assertThrows(IllegalArgumentException.class,
                () -> new ShapedModel(Shape.of(1, 32, 32)).checkData(mnistLike()));
        assertEquals("shaped expects examples of shape (1x32x32) (setting 'input'), but the data"
                + " set 'mnist' has rows of 784 values as examples of shape (784)", e.getMessage());
    }

    @Test
    void shapedPresentsTheRowsInTheModelsShapeWhenTheSizesAgree() {
        Dataset d = mnistLike();
        Model images = new ShapedModel(Shape.of(1, 28, 28));
        assertEquals(Shape.of(1, 28, 28), images.shaped(d).exampleShape());
        assertEquals(Shape.of(784), new ShapedModel(Shape.of(784)).shaped(d.asImages())
                .exampleShape());
        assertSame(d, new ShapedModel(Shape.of(784)).shaped(d));
        assertSame(d, new ShapedModel(Shape.of(10)).shaped(d), "left for checkData to report");
    }
}
