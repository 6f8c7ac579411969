package org.vae4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.RowMajorConv;
import org.vae4j.tensor.Shape;

/** ND4J's convolution and pooling ops, through Nd4jConv, against the reference loops. */
class Nd4jConvTest {

    private final SplittableRandom rng = new SplittableRandom(13);

    @BeforeAll
    static void loadNd4j() {
        Backends.get("nd4j");
    }

    private float[] random(Shape s) {
        float[] a = new float[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static long[] dims(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.dim(i);
        }
        return d;
    }

    private static INDArray up(float[] data, Shape s) {
        return Nd4jKernels.upload(data, dims(s));
    }

    private static float[] down(INDArray x) {
        try {
            return Nd4jKernels.download(x);
        } finally {
            Nd4jKernels.free(x);
        }
    }

    @Test
    void convolutionAndItsGradientsMatchTheReference() {
        List<Object[]> cases = List.of(
                new Object[] {Shape.of(2, 3, 7, 6), Shape.of(5, 3, 3, 3), ConvSpec.of(1, 1)},
                new Object[] {Shape.of(1, 1, 8, 8), Shape.of(4, 1, 4, 4), ConvSpec.of(2, 1)},
                new Object[] {Shape.of(3, 2, 9, 7), Shape.of(3, 2, 3, 2),
                    new ConvSpec(2, 3, 1, 0, 2, 1)},
                new Object[] {Shape.of(2, 5, 4, 4), Shape.of(7, 5, 1, 1), ConvSpec.of(1, 0)});
        for (Object[] c : cases) {
            Shape xs = (Shape) c[0];
            Shape ws = (Shape) c[1];
            ConvSpec s = (ConvSpec) c[2];
            Shape ys = s.outputShape(xs, ws);
            float[] x = random(xs);
            float[] w = random(ws);
            float[] g = random(ys);
            String what = xs + " " + ws + " " + s;
            INDArray ax = up(x, xs);
            INDArray aw = up(w, ws);
            INDArray ag = up(g, ys);
            try {
                assertArrayEquals(RowMajorConv.conv2d(x, xs, w, ws, s, ys),
                        down(Nd4jConv.conv2d(ax, aw, s, dims(ys))), 1e-5f, "conv2d " + what);
                assertArrayEquals(RowMajorConv.conv2dBackwardInput(g, ys, w, ws, s, xs),
                        down(Nd4jConv.conv2dBackwardInput(ax, aw, ag, s)), 1e-5f,
                        "input gradient " + what);
                assertArrayEquals(RowMajorConv.conv2dBackwardFilter(x, xs, g, ys, s, ws),
                        down(Nd4jConv.conv2dBackwardFilter(ax, aw, ag, s)), 1e-4f,
                        "weight gradient " + what);
            } finally {
                Nd4jKernels.free(ax, aw, ag);
            }
        }
    }

    @Test
    void poolingAndItsGradientsMatchTheReferenceWithTies() {
        Shape xs = Shape.of(2, 3, 7, 5);
        for (PoolSpec p : List.of(PoolSpec.of(2, 2), new PoolSpec(3, 2, 2, 1, 1, 1),
                PoolSpec.of(1, 1), new PoolSpec(3, 3, 1, 1, 1, 1))) {
            Shape ys = p.outputShape("maxPool2d", xs);
            float[] x = random(xs);
            for (int i = 0; i < x.length; i += 2) {
                x[i] = Math.round(x[i] * 2) / 2f;
            }
            float[] g = random(ys);
            INDArray ax = up(x, xs);
            INDArray ag = up(g, ys);
            try {
                assertArrayEquals(RowMajorConv.maxPool2d(x, xs, p, ys),
                        down(Nd4jConv.maxPool2d(ax, p, dims(ys))), "max " + p);
                assertArrayEquals(RowMajorConv.maxPool2dBackward(x, xs, g, ys, p),
                        down(Nd4jConv.maxPool2dBackward(ax, ag, p)), 1e-6f, "max gradient " + p);
                assertArrayEquals(RowMajorConv.avgPool2d(x, xs, p, ys),
                        down(Nd4jConv.avgPool2d(ax, p, dims(ys))), 1e-6f, "avg " + p);
                assertArrayEquals(RowMajorConv.avgPool2dBackward(g, ys, p, xs),
                        down(Nd4jConv.avgPool2dBackward(ax, ag, p)), 1e-6f, "avg gradient " + p);
            } finally {
                Nd4jKernels.free(ax, ag);
            }
        }
    }
}
