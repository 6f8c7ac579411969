package org.vae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vae4j.testkit.ConvCases;

/** The reference convolution and pooling loops, their adjoints, and the shape rules. */
class RowMajorConvTest {

    private final SplittableRandom rng = new SplittableRandom(11);

    private float[] random(Shape s) {
        return ConvCases.random(rng, s);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void aTwoByTwoKernelOfOnesSumsEachWindow() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Shape xs = Shape.of(1, 1, 3, 3);
        Shape ws = Shape.of(1, 1, 2, 2);
        ConvSpec s = ConvSpec.of(1, 0);
        Shape out = s.outputShape(xs, ws);
        assertEquals(Shape.of(1, 1, 2, 2), out);
        assertArrayEquals(new float[] {12, 16, 24, 28},
                RowMajorConv.conv2d(x, xs, new float[] {1, 1, 1, 1}, ws, s, out));
    }

    @Test
    void strideTwoPaddingOneHalvesTheSizeAsInTheReferenceModel() {
        assertEquals(Shape.of(8, 32, 14, 14),
                ConvSpec.of(2, 1).outputShape(Shape.of(8, 1, 28, 28), Shape.of(32, 1, 4, 4)));
        assertEquals(Shape.of(8, 64, 7, 7),
                ConvSpec.of(2, 1).outputShape(Shape.of(8, 32, 14, 14), Shape.of(64, 32, 4, 4)));
        // dilation 2 makes a 3x3 kernel span 5x5
        assertEquals(Shape.of(1, 1, 3, 6), new ConvSpec(1, 1, 0, 1, 2, 2)
                .outputShape(Shape.of(1, 1, 7, 8), Shape.of(1, 1, 3, 3)));
    }

    /**
     * The gradient kernels are the adjoints of the forward one: {@code <conv(x, w), g> =
     * <x, dx(g, w)> = <w, dw(x, g)>}, which pins down every index of both.
     */
    @Test
    void theGradientKernelsAreAdjointsOfTheConvolution() {
        for (ConvCases.Conv c : ConvCases.convolutions()) {
            Shape xs = c.x();
            Shape ws = c.w();
            ConvSpec s = c.spec();
            Shape ys = s.outputShape(xs, ws);
            float[] x = random(xs);
            float[] w = random(ws);
            float[] g = random(ys);
            double forward = dot(RowMajorConv.conv2d(x, xs, w, ws, s, ys), g);
            double viaInput = dot(x, RowMajorConv.conv2dBackwardInput(g, ys, w, ws, s, xs));
            double viaWeight = dot(w, RowMajorConv.conv2dBackwardFilter(x, xs, g, ys, s, ws));
            assertEquals(forward, viaInput, 1e-4, "input adjoint, " + xs + " " + ws + " " + s);
            assertEquals(forward, viaWeight, 1e-4, "weight adjoint, " + xs + " " + ws + " " + s);
        }
    }

    /** One product per sample over im2col's columns gives the direct convolution. */
    @Test
    void im2colTimesTheWeightIsTheConvolutionAndCol2imIsItsAdjoint() {
        for (ConvCases.Conv c : ConvCases.convolutions()) {
            Shape xs = c.x();
            Shape ws = c.w();
            ConvSpec s = c.spec();
            Shape ys = s.outputShape(xs, ws);
            int o = ws.dim(0);
            int k = ws.dim(1) * ws.dim(2) * ws.dim(3);
            int plane = ys.dim(2) * ys.dim(3);
            float[] x = random(xs);
            float[] w = random(ws);
            float[] direct = RowMajorConv.conv2d(x, xs, w, ws, s, ys);
            float[] cols = new float[k * plane];
            for (int n = 0; n < xs.dim(0); n++) {
                RowMajorConv.im2col(x, xs, n, ws.dim(2), ws.dim(3), s, ys.dim(2), ys.dim(3),
                        cols);
                for (int oc = 0; oc < o; oc++) {
                    for (int j = 0; j < plane; j++) {
                        double sum = 0;
                        for (int r = 0; r < k; r++) {
                            sum += (double) w[oc * k + r] * cols[r * plane + j];
                        }
                        assertEquals(direct[(n * o + oc) * plane + j], sum, 1e-5,
                                xs + " " + ws + " " + s + " at " + n + "," + oc + "," + j);
                    }
                }
                float[] back = random(Shape.of(k, plane));
                float[] dx = new float[xs.size()];
                RowMajorConv.col2im(back, xs, n, ws.dim(2), ws.dim(3), s, ys.dim(2), ys.dim(3),
                        dx);
                assertEquals(dot(cols, back), dot(x, dx), 1e-4, "col2im adjoint " + s);
            }
        }
    }

    /** The batch layout holds each sample's im2col columns side by side, and inverts alike. */
    @Test
    void theBatchColumnsAreEachSamplesColumnsSideBySide() {
        Shape xs = Shape.of(3, 2, 5, 4);
        ConvSpec s = new ConvSpec(2, 1, 1, 0, 1, 2);
        Shape ws = Shape.of(1, 2, 3, 2);
        Shape ys = s.outputShape(xs, ws);
        int oh = ys.dim(2);
        int ow = ys.dim(3);
        int rows = 2 * 3 * 2;
        int plane = oh * ow;
        float[] x = random(xs);
        float[] batch = new float[rows * 3 * plane];
        RowMajorConv.im2colBatch(x, xs, 3, 2, s, oh, ow, batch);
        float[] one = new float[rows * plane];
        for (int n = 0; n < 3; n++) {
            RowMajorConv.im2col(x, xs, n, 3, 2, s, oh, ow, one);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < plane; j++) {
                    assertEquals(one[r * plane + j], batch[(r * 3 + n) * plane + j]);
                }
            }
        }
        float[] back = random(Shape.of(rows, 3 * plane));
        float[] dx = new float[xs.size()];
        RowMajorConv.col2imBatch(back, xs, 3, 2, s, oh, ow, dx);
        assertEquals(dot(batch, back), dot(x, dx), 1e-4);
        float[] swapped = RowMajorConv.swapLeadingAxes(new float[] {1, 2, 3, 4, 5, 6}, 3, 1, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, swapped);
        assertArrayEquals(new float[] {1, 2, 5, 6, 3, 4, 7, 8},
                RowMajorConv.swapLeadingAxes(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2));
    }

    @Test
    void maxPoolingTakesTheMaximumAndRoutesTiesToTheFirst() {
        float[] x = {1, 3, 2, 2,
                     3, 0, 2, 1,
                     -1, -2, 5, 5,
                     -3, -4, 5, 0};
        Shape xs = Shape.of(1, 1, 4, 4);
        PoolSpec p = PoolSpec.of(2, 2);
        Shape ys = p.outputShape("maxPool2d", xs);
        assertArrayEquals(new float[] {3, 2, -1, 5}, RowMajorConv.maxPool2d(x, xs, p, ys));
        float[] dx = RowMajorConv.maxPool2dBackward(x, xs, new float[] {10, 20, 30, 40}, ys, p);
        assertArrayEquals(new float[] {0, 10, 20, 0,
                                       0, 0, 0, 0,
                                       30, 0, 40, 0,
                                       0, 0, 0, 0}, dx);
    }

    @Test
    void maxPoolingPadsWithMinusInfinityAndAveragePoolingCountsPaddedZeros() {
        float[] x = {-1, -2, -3, -4};
        Shape xs = Shape.of(1, 1, 2, 2);
        PoolSpec p = new PoolSpec(2, 2, 1, 1, 1, 1);
        Shape ys = p.outputShape("maxPool2d", xs);
        assertEquals(Shape.of(1, 1, 3, 3), ys);
        assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -3, -3, -4},
                RowMajorConv.maxPool2d(x, xs, p, ys));
        assertArrayEquals(new float[] {-0.25f, -0.75f, -0.5f, -1f, -2.5f, -1.5f, -0.75f, -1.75f,
            -1f}, RowMajorConv.avgPool2d(x, xs, p, ys));
        // each input cell is in four windows, each passing a quarter of its gradient
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertArrayEquals(new float[] {1, 1, 1, 1}, RowMajorConv.avgPool2dBackward(ones, ys, p,
                xs));
    }

    @Test
    void poolingGradientsAreAdjointsWhereThereAreNoTies() {
        Shape xs = Shape.of(2, 3, 7, 5);
        for (PoolSpec p : List.of(PoolSpec.of(2, 2), new PoolSpec(3, 2, 2, 1, 1, 1),
                PoolSpec.of(1, 1))) {
            Shape ys = p.outputShape("avgPool2d", xs);
            float[] x = random(xs);
            float[] g = random(ys);
            assertEquals(dot(RowMajorConv.avgPool2d(x, xs, p, ys), g),
                    dot(x, RowMajorConv.avgPool2dBackward(g, ys, p, xs)), 1e-4, "avg " + p);
            // max pooling is linear in x near x (random values: no ties)
            float[] dx = RowMajorConv.maxPool2dBackward(x, xs, g, ys, p);
            assertEquals(dot(RowMajorConv.maxPool2d(x, xs, p, ys), g), dot(x, dx), 1e-4,
                    "max " + p);
        }
    }

    @Test
    void badShapesAndSettingsAreNamed() {
        ConvSpec s = ConvSpec.of(2, 1);
        ShapeException channels = assertThrows(ShapeException.class,
                () -> s.outputShape(Shape.of(8, 3, 28, 28), Shape.of(32, 1, 4, 4)));
        assertEquals("conv2d: input (8x3x28x28) has 3 channels but the weight (32x1x4x4)"
                + " expects 1 (weight is O x I x kH x kW)", channels.getMessage());
        ShapeException flat = assertThrows(ShapeException.class,
                () -> s.outputShape(Shape.of(8, 784), Shape.of(32, 1, 4, 4)));
        assertEquals("conv2d: the input must be rank 4 (N x C x H x W), got (8x784)",
                flat.getMessage());
        ShapeException big = assertThrows(ShapeException.class,
                () -> ConvSpec.of(1, 0).outputShape(Shape.of(1, 1, 3, 3), Shape.of(1, 1, 4, 4)));
        assertTrue(big.getMessage().startsWith("conv2d: the kernel 4x4 with dilation 1x1 spans"
                + " 4x4, more than the padded input 3x3"), big.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> ConvSpec.of(0, 1));
        assertEquals("conv2d: stride 0x0 must be at least 1 on each axis", stride.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.of(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new PoolSpec(2, 2, 2, 2, 2, 0));
        ShapeException grad = assertThrows(ShapeException.class, () -> s.checkGradient(
                "conv2dBackwardInput", Shape.of(8, 1, 28, 28), Shape.of(32, 1, 4, 4),
                Shape.of(8, 32, 28, 28)));
        assertTrue(grad.getMessage().contains("(8x32x14x14)"), grad.getMessage());
        ShapeException window = assertThrows(ShapeException.class,
                () -> PoolSpec.of(3, 1).outputShape("maxPool2d", Shape.of(1, 1, 2, 2)));
        assertTrue(window.getMessage().startsWith("maxPool2d: the window 3x3 is larger"),
                window.getMessage());
    }
}
