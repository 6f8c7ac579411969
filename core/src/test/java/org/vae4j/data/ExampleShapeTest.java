package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

class ExampleShapeTest {

    private final Backend backend = new ReferenceBackend();

    /** Five 2x3 images; pixel k of image i is i * 10 + k. */
    private static Dataset images() {
        float[] x = new float[5 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i / 6) * 10 + i % 6;
        }
        return Dataset.of("img", x, 6, new int[] {0, 1, 0, 1, 0}, 2).withImageShape(2, 3);
    }

    @Test
    void rowsAreFlatUntilGivenAnotherShape() {
        Dataset d = images();
        assertEquals(Shape.of(6), d.exampleShape());
        assertEquals(Shape.of(1, 2, 3), d.asImages().exampleShape());
        assertEquals(Shape.of(6), d.asImages().flat().exampleShape());
        assertEquals(Shape.of(3, 2), d.withExampleShape(Shape.of(3, 2)).exampleShape());
        assertEquals(6, d.asImages().features());
        assertEquals("img: 5 x (1x2x3), 2 classes, images 2x3", d.asImages().toString());
    }

    @Test
    void reshapingSharesTheStorageAndKeepsLabelsAndImageShape() {
        Dataset d = images();
        Dataset im = d.asImages();
        assertSame(d.rowMajorView(), im.rowMajorView(), "no copy");
        assertArrayEquals(d.labels(), im.labels());
        assertEquals(2, im.imageHeight());
        assertEquals(3, im.imageWidth());
        Dataset sub = im.subset(1, 4).withName("sub");
        assertEquals(Shape.of(1, 2, 3), sub.exampleShape());
        assertArrayEquals(d.row(1), sub.row(0));
        Dataset bin = Datasets.binarize(Dataset.unlabelled("p", new float[12], 6)
                .withImageShape(3, 2).asImages(), new Rng(1));
        assertEquals(Shape.of(1, 3, 2), bin.exampleShape());
    }

    @Test
    void aShapeOfAnotherSizeOrRankIsRefusedNamingBoth() {
        Dataset d = images();
        var e = assertThrows(IllegalArgumentException.class,
                () -> d.withExampleShape(Shape.of(1, 28, 28)));
        assertEquals("dataset img: example shape (1x28x28) holds 784 values, but rows hold 6",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> d.withExampleShape(Shape.of(1, 1, 2, 3)));
        assertTrue(e.getMessage().contains("rank 1 to 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.unlabelled("flat", new float[4], 2).asImages());
        assertTrue(e.getMessage().contains("no image shape"), e.getMessage());
    }

    @Test
    void aLoaderOfImagesServesBatchesOfShapeBatchByChannelsByHeightByWidth() {
        try (TensorScope s = backend.newScope();
                DataLoader flat = DataLoader.builder(images(), backend).setBatchSize(2).build();
                DataLoader im = DataLoader.builder(images().asImages(), backend)
                        .setBatchSize(2).optShuffle(true).optSeed(3).build()) {
            Batch b = flat.batch(0, 0);
            assertEquals(Shape.of(2, 6), b.x().shape());
            assertEquals(Shape.of(6), b.exampleShape());
            Batch c = im.batch(0, 2);
            assertEquals(Shape.of(1, 1, 2, 3), c.x().shape(), "last batch of one");
            assertEquals(Shape.of(1, 2, 3), c.exampleShape());
            int row = im.order(0)[4];
            assertArrayEquals(images().row(row), c.x().toArray());
            assertEquals(row % 2, c.labels()[0]);
        }
    }

    @Test
    void aBatchNeedsABatchAxis() {
        try (TensorScope s = backend.newScope()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new Batch(backend.zeros(Shape.of(4))));
            assertTrue(e.getMessage().contains("rank 2 or more"), e.getMessage());
            assertEquals(Shape.of(3, 4, 5), new Batch(backend.zeros(Shape.of(2, 3, 4, 5)))
                    .exampleShape());
        }
    }
}
