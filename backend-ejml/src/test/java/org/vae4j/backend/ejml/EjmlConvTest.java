package org.vae4j.backend.ejml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.RowMajorConv;
import org.vae4j.tensor.Shape;

/** EJML's im2col convolution and its gradients against the reference loops. */
class EjmlConvTest {

    private final SplittableRandom rng = new SplittableRandom(3);

    private float[] random(Shape s) {
        float[] a = new float[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    @Test
    void matchesTheReferenceOnOneAndTwoThreads() {
        List<Object[]> cases = List.of(
                new Object[] {Shape.of(2, 3, 7, 6), Shape.of(5, 3, 3, 3), ConvSpec.of(1, 1)},
                new Object[] {Shape.of(3, 2, 9, 7), Shape.of(3, 2, 3, 2),
                    new ConvSpec(2, 3, 1, 0, 2, 1)},
                new Object[] {Shape.of(2, 5, 4, 4), Shape.of(7, 5, 1, 1), ConvSpec.of(1, 0)},
                // the reference conv VAE's second layer, large enough for the concurrent product
                new Object[] {Shape.of(16, 32, 14, 14), Shape.of(64, 32, 4, 4), ConvSpec.of(2, 1)});
        for (Object[] c : cases) {
            Shape xs = (Shape) c[0];
            Shape ws = (Shape) c[1];
            ConvSpec s = (ConvSpec) c[2];
            Shape ys = s.outputShape(xs, ws);
            float[] x = random(xs);
            float[] w = random(ws);
            float[] g = random(ys);
            float tol = 1e-4f * (float) Math.sqrt(ws.size() / ws.dim(0));
            for (int threads : new int[] {1, 2}) {
                String what = xs + " " + ws + " " + s + ", " + threads + " thread(s)";
                assertArrayEquals(RowMajorConv.conv2d(x, xs, w, ws, s, ys),
                        EjmlConv.conv2d(x, xs, w, ws, s, ys, threads), tol, "conv2d " + what);
                assertArrayEquals(RowMajorConv.conv2dBackwardInput(g, ys, w, ws, s, xs),
                        EjmlConv.conv2dBackwardInput(g, ys, w, ws, s, xs, threads), tol,
                        "input gradient " + what);
                assertArrayEquals(RowMajorConv.conv2dBackwardFilter(x, xs, g, ys, s, ws),
                        EjmlConv.conv2dBackwardFilter(x, xs, g, ys, s, ws, threads),
                        tol * 10, "weight gradient " + what);
            }
        }
    }
}
