package org.vae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/** Conv2d, ConvTranspose2d and pooling layers: shapes, initialisation, errors, learning. */
class ConvLayersTest {

    private final Backend be = new ReferenceBackend();

    @Test
    void theReferenceConvVaeShapesHalveAndDoubleTheImage() {
        Rng rng = new Rng(1);
        try (TensorScope s = be.newScope();
                Conv2d c1 = new Conv2d(be, 1, 32, 4, ConvSpec.of(2, 1), rng);
                Conv2d c2 = new Conv2d(be, 32, 64, 4, ConvSpec.of(2, 1), rng);
                ConvTranspose2d t1 = new ConvTranspose2d(be, 64, 32, 4, ConvSpec.of(2, 1), rng);
                ConvTranspose2d t2 = new ConvTranspose2d(be, 32, 1, 4, ConvSpec.of(2, 1), rng)) {
            Variable x = Variable.constant(rng.uniform(be, Shape.of(2, 1, 28, 28), 0, 1));
            Variable h = c2.forward(c1.forward(x).relu());
            assertEquals(Shape.of(2, 64, 7, 7), h.shape());
            Variable y = t2.forward(t1.forward(h).relu());
            assertEquals(Shape.of(2, 1, 28, 28), y.shape());
            assertEquals(List.of("weight", "bias"), List.copyOf(c1.parameters().keySet()));
            assertEquals(Shape.of(32, 1, 4, 4), c1.weight().shape());
            assertEquals(Shape.of(64, 32, 4, 4), t1.weight().shape(), "PyTorch's (in x out x k x k)");
            // PyTorch's bounds: 1/sqrt(fan_in), fan_in = in·k·k for Conv2d, out·k·k for ConvT
            assertWithin(c2.weight().toArray(), 1 / Math.sqrt(32 * 16));
            assertWithin(t1.weight().toArray(), 1 / Math.sqrt(32 * 16));
            assertWithin(t2.bias().toArray(), 1 / Math.sqrt(16));
        }
    }

    private static void assertWithin(float[] values, double bound) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound && max > 0.8 * bound, "max |w| " + max + ", bound " + bound);
    }

    @Test
    void theBiasIsAddedPerChannel() {
        try (TensorScope s = be.newScope();
                Conv2d conv = new Conv2d(be, 2, 3, 3, ConvSpec.of(1, 1), new Rng(2))) {
            conv.weight().assign(new float[conv.weight().size()]);
            conv.bias().assign(new float[] {1, 2, 3});
            float[] y = conv.forward(Variable.constant(new Rng(3).uniform(be,
                    Shape.of(1, 2, 2, 2), 0, 1))).toArray();
            assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, y);
        }
    }

    @Test
    void poolingLayersTakeTheMaximumOrTheMean() {
        try (TensorScope s = be.newScope()) {
            Variable x = Variable.constant(be, new float[] {1, 2, 5, 6, 3, 4, 7, 8,
                -1, -2, 0, 0, -3, -4, 0, 4}, 1, 1, 4, 4);
            assertArrayEquals(new float[] {4, 8, -1, 4}, Pool2d.max(2).forward(x).toArray());
            assertArrayEquals(new float[] {2.5f, 6.5f, -2.5f, 1}, Pool2d.average(2).forward(x)
                    .toArray());
        }
    }

    @Test
    void flatRowsAndWrongChannelsAreNamed() {
        try (TensorScope s = be.newScope();
                Conv2d conv = new Conv2d(be, 1, 32, 4, ConvSpec.of(2, 1), new Rng(4))) {
            IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                    () -> conv.forward(Variable.constant(be.zeros(Shape.of(2, 784)))));
            assertEquals("Conv2d(1 -> 32, k4, stride 2x2, padding 1x1, dilation 1x1): expects"
                    + " images (N x 1 x H x W), got (2x784)", flat.getMessage());
            IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                    () -> conv.forward(Variable.constant(be.zeros(Shape.of(2, 3, 28, 28)))));
            assertTrue(channels.getMessage().endsWith("got (2x3x28x28)"), channels.getMessage());
        }
    }

    /** A two-layer conv autoencoder learns to reproduce small images. */
    @Test
    void aSmallConvAutoencoderLearns() {
        Rng rng = new Rng(5);
        try (TensorScope outer = be.newScope();
                Conv2d enc = new Conv2d(be, 1, 4, 4, ConvSpec.of(2, 1), rng);
                ConvTranspose2d dec = new ConvTranspose2d(be, 4, 1, 4, ConvSpec.of(2, 1), rng)) {
            Variable x = Variable.constant(TensorScope.untrack(
                    rng.uniform(be, Shape.of(4, 1, 8, 8), 0, 1)));
            java.util.Map<String, Parameter> params = new java.util.LinkedHashMap<>();
            enc.parameters().forEach((k, v) -> params.put("enc." + k, v));
            dec.parameters().forEach((k, v) -> params.put("dec." + k, v));
            double first = 0;
            double last = 0;
            try (Adam adam = new Adam(params, 0.02)) {
                for (int step = 0; step < 60; step++) {
                    try (TensorScope s = be.newScope()) {
                        Variable loss = dec.forward(enc.forward(x).relu()).sub(x).square().mean();
                        adam.backwardAndStep(loss);
                        if (step == 0) {
                            first = loss.item();
                        }
                        last = loss.item();
                    }
                }
            }
            assertTrue(last < 0.25 * first, "loss " + first + " -> " + last);
            x.value().close();
        }
    }
}
