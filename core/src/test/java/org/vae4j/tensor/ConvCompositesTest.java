package org.vae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The convolution and pooling composites agree with the reference loops. */
class ConvCompositesTest {

    private final Backend be = new ReferenceBackend();
    private final SplittableRandom rng = new SplittableRandom(5);

    private float[] random(Shape s) {
        float[] a = new float[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static final List<Object[]> CONVS = List.of(
            new Object[] {Shape.of(2, 3, 7, 6), Shape.of(5, 3, 3, 3), ConvSpec.of(1, 1)},
            new Object[] {Shape.of(1, 1, 8, 8), Shape.of(4, 1, 4, 4), ConvSpec.of(2, 1)},
            new Object[] {Shape.of(3, 2, 9, 7), Shape.of(3, 2, 3, 2),
                new ConvSpec(2, 3, 1, 0, 2, 1)},
            new Object[] {Shape.of(2, 5, 4, 4), Shape.of(7, 5, 1, 1), ConvSpec.of(1, 0)},
            new Object[] {Shape.of(1, 3, 5, 5), Shape.of(2, 3, 5, 5), ConvSpec.of(1, 2)});

    @Test
    void convolutionAndItsGradientsMatchTheReferenceLoops() {
        for (Object[] c : CONVS) {
            Shape xs = (Shape) c[0];
            Shape ws = (Shape) c[1];
            ConvSpec s = (ConvSpec) c[2];
            Shape ys = s.outputShape(xs, ws);
            float[] x = random(xs);
            float[] w = random(ws);
            float[] g = random(ys);
            String what = xs + " " + ws + " " + s;
            try (TensorScope scope = be.newScope()) {
                Tensor tx = be.fromArray(x, xs);
                Tensor tw = be.fromArray(w, ws);
                Tensor tg = be.fromArray(g, ys);
                Tensor y = ConvComposites.conv2d(be, tx, tw, s);
                assertEquals(ys, y.shape(), what);
                assertArrayEquals(RowMajorConv.conv2d(x, xs, w, ws, s, ys), y.toArray(), 1e-5f,
                        "conv2d " + what);
                assertArrayEquals(RowMajorConv.conv2dBackwardInput(g, ys, w, ws, s, xs),
                        ConvComposites.conv2dBackwardInput(be, tg, tw, s, xs).toArray(), 1e-5f,
                        "input gradient " + what);
                assertArrayEquals(RowMajorConv.conv2dBackwardFilter(x, xs, g, ys, s, ws),
                        ConvComposites.conv2dBackwardFilter(be, tx, tg, s, ws).toArray(), 1e-4f,
                        "weight gradient " + what);
            }
        }
    }

    @Test
    void poolingAndItsGradientsMatchTheReferenceLoops() {
        Shape xs = Shape.of(2, 3, 7, 5);
        for (PoolSpec p : List.of(PoolSpec.of(2, 2), new PoolSpec(3, 2, 2, 1, 1, 1),
                PoolSpec.of(1, 1), new PoolSpec(3, 3, 1, 1, 1, 1))) {
            Shape ys = p.outputShape("maxPool2d", xs);
            float[] x = random(xs);
            // ties: every value rounded to a few levels, so windows hold equal maxima
            for (int i = 0; i < x.length; i += 2) {
                x[i] = Math.round(x[i] * 2) / 2f;
            }
            float[] g = random(ys);
            try (TensorScope scope = be.newScope()) {
                Tensor tx = be.fromArray(x, xs);
                Tensor tg = be.fromArray(g, ys);
                assertArrayEquals(RowMajorConv.maxPool2d(x, xs, p, ys),
                        ConvComposites.maxPool2d(be, tx, p).toArray(), "max " + p);
                assertArrayEquals(RowMajorConv.maxPool2dBackward(x, xs, g, ys, p),
                        ConvComposites.maxPool2dBackward(be, tx, tg, p).toArray(), 1e-6f,
                        "max gradient " + p);
                assertArrayEquals(RowMajorConv.avgPool2d(x, xs, p, ys),
                        ConvComposites.avgPool2d(be, tx, p).toArray(), 1e-6f, "avg " + p);
                assertArrayEquals(RowMajorConv.avgPool2dBackward(g, ys, p, xs),
                        ConvComposites.avgPool2dBackward(be, tg, p, xs).toArray(), 1e-6f,
                        "avg gradient " + p);
            }
        }
    }
}
