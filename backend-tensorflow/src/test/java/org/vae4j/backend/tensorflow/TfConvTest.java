package org.vae4j.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.RowMajorConv;
import org.vae4j.tensor.Shape;

/** TensorFlow's convolution and pooling kernels, through TfConv, against the reference loops. */
class TfConvTest {

    private final TfEager eager = TfEager.shared(2);
    private final TfConv conv = new TfConv(eager);
    private final SplittableRandom rng = new SplittableRandom(9);

    private float[] random(Shape s) {
        float[] a = new float[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private TFE_TensorHandle up(float[] data, Shape s) {
        return eager.upload(data, s.dims());
    }

    private float[] down(TFE_TensorHandle h, Shape s) {
        try {
            return eager.download(h, s.size());
        } finally {
            TfEager.delete(h);
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
            TFE_TensorHandle hx = up(x, xs);
            TFE_TensorHandle hw = up(w, ws);
            TFE_TensorHandle hg = up(g, ys);
            try {
                assertArrayEquals(RowMajorConv.conv2d(x, xs, w, ws, s, ys),
                        down(conv.conv2d(hx, hw, s), ys), 1e-5f, "conv2d " + what);
                assertArrayEquals(RowMajorConv.conv2dBackwardInput(g, ys, w, ws, s, xs),
                        down(conv.conv2dBackwardInput(hg, hw, ws, s, xs), xs), 1e-5f,
                        "input gradient " + what);
                assertArrayEquals(RowMajorConv.conv2dBackwardFilter(x, xs, g, ys, s, ws),
                        down(conv.conv2dBackwardFilter(hx, hg, s, ws), ws), 1e-4f,
                        "weight gradient " + what);
            } finally {
                TfEager.delete(hx);
                TfEager.delete(hw);
                TfEager.delete(hg);
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
            TFE_TensorHandle hx = up(x, xs);
            TFE_TensorHandle hg = up(g, ys);
            try {
                assertArrayEquals(RowMajorConv.maxPool2d(x, xs, p, ys),
                        down(conv.maxPool2d(hx, p), ys), "max " + p);
                assertArrayEquals(RowMajorConv.maxPool2dBackward(x, xs, g, ys, p),
                        down(conv.maxPool2dBackward(hx, hg, p, xs), xs), 1e-6f,
                        "max gradient " + p);
                assertArrayEquals(RowMajorConv.avgPool2d(x, xs, p, ys),
                        down(conv.avgPool2d(hx, p), ys), 1e-6f, "avg " + p);
                assertArrayEquals(RowMajorConv.avgPool2dBackward(g, ys, p, xs),
                        down(conv.avgPool2dBackward(hg, p, xs), xs), 1e-6f,
                        "avg gradient " + p);
            } finally {
                TfEager.delete(hx);
                TfEager.delete(hg);
            }
        }
    }
}
