package org.vae4j.tensor;

/**
 * Convolution and pooling over row-major NCHW arrays: what {@code conv2d}, its two gradients
 * and pooling mean, written as direct loops that sum in double precision (the reference), plus
 * {@link #im2col}/{@link #col2im}, which turn a convolution into one matrix product per sample
 * for backends whose fast kernel is a product (EJML).
 *
 * <p>Index rule, for output position {@code (oh, ow)} and kernel tap {@code (kh, kw)}: the input
 * row is {@code oh·strideH − padH + kh·dilationH} (columns alike); taps outside the input read
 * zero. Arguments are checked by the callers ({@link ConvSpec}, {@link PoolSpec}).
 */
public final class RowMajorConv {

    private RowMajorConv() {
    }

    /** {@code y[n,o,oh,ow] = Σ_{c,kh,kw} x[n,c,ih,iw] · w[o,c,kh,kw]}. */
    public static float[] conv2d(float[] x, Shape xs, float[] w, Shape ws, ConvSpec s,
            Shape out) {
        double[] y = new double[out.size()];
        forEachTap(xs, ws, s, out, (xi, wi, yi) -> y[yi] += (double) x[xi] * w[wi]);
        return toFloats(y);
    }

    /**
     * The gradient with respect to the input, {@code dx[n,c,ih,iw] = Σ g[n,o,oh,ow] ·
     * w[o,c,kh,kw]} over the taps that read {@code (ih, iw)}: the transposed convolution of
     * {@code g}.
     */
    public static float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws,
            ConvSpec s, Shape xs) {
        double[] dx = new double[xs.size()];
        forEachTap(xs, ws, s, gs, (xi, wi, yi) -> dx[xi] += (double) g[yi] * w[wi]);
        return toFloats(dx);
    }

    /** The gradient with respect to the weight, {@code dw[o,c,kh,kw] = Σ g[n,o,oh,ow] · x[n,c,ih,iw]}. */
    public static float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs,
            ConvSpec s, Shape ws) {
        double[] dw = new double[ws.size()];
        forEachTap(xs, ws, s, gs, (xi, wi, yi) -> dw[wi] += (double) g[yi] * x[xi]);
        return toFloats(dw);
    }

    /** What a convolution does at one tap: input, weight and output element indices. */
    @FunctionalInterface
    private interface Tap {
        void at(int xi, int wi, int yi);
    }

    /**
     * Visits every tap of the convolution that reads the input (taps in the padding read zero
     * and are skipped), in the order batch, output channel, output row, output column, input
     * channel, kernel row, kernel column: each output's terms come together, in one order.
     */
    private static void forEachTap(Shape xs, Shape ws, ConvSpec s, Shape out, Tap tap) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int wd = xs.dim(3);
        int o = ws.dim(0);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int yi = ((b * o + oc) * oh + i) * ow + j;
                        for (int ic = 0; ic < c; ic++) {
                            for (int p = 0; p < kh; p++) {
                                int r = i * s.strideH() - s.padH() + p * s.dilationH();
                                if (r < 0 || r >= h) {
                                    continue;
                                }
                                for (int q = 0; q < kw; q++) {
                                    int col = j * s.strideW() - s.padW() + q * s.dilationW();
                                    if (col >= 0 && col < wd) {
                                        tap.at(((b * c + ic) * h + r) * wd + col,
                                                ((oc * c + ic) * kh + p) * kw + q, yi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The maximum of each window; padding never wins (it is {@code −∞}). */
    public static float[] maxPool2d(float[] x, Shape xs, PoolSpec p, Shape out) {
        float[] y = new float[out.size()];
        int[] first = firstMaxima(x, xs, p, out);
        for (int k = 0; k < y.length; k++) {
            y[k] = x[first[k]];
        }
        return y;
    }

    /** {@code g} routed to the first maximum of each window (row-major order within it). */
    public static float[] maxPool2dBackward(float[] x, Shape xs, float[] g, Shape gs,
            PoolSpec p) {
        double[] dx = new double[xs.size()];
        int[] first = firstMaxima(x, xs, p, gs);
        for (int k = 0; k < first.length; k++) {
            dx[first[k]] += g[k];
        }
        return toFloats(dx);
    }

    /** For each output, the input index of the first largest value in its window. */
    private static int[] firstMaxima(float[] x, Shape xs, PoolSpec p, Shape out) {
        int[] first = new int[out.size()];
        java.util.Arrays.fill(first, -1);
        forEachCell(xs, p, out, (xi, yi) -> {
            float v = x[xi];
            int best = first[yi];
            // NaN wins, as in PyTorch; among equals the first stays
            if (best < 0 || v > x[best] || (Float.isNaN(v) && !Float.isNaN(x[best]))) {
                first[yi] = xi;
            }
        });
        return first;
    }

    /** The mean of each window, padding counted as zeros. */
    public static float[] avgPool2d(float[] x, Shape xs, PoolSpec p, Shape out) {
        double[] sum = new double[out.size()];
        forEachCell(xs, p, out, (xi, yi) -> sum[yi] += x[xi]);
        double area = (double) p.kernelH() * p.kernelW();
        float[] y = new float[sum.length];
        for (int k = 0; k < y.length; k++) {
            y[k] = (float) (sum[k] / area);
        }
        return y;
    }

    /** Each window's gradient spread evenly over the window (its padded cells drop it). */
    public static float[] avgPool2dBackward(float[] g, Shape gs, PoolSpec p, Shape xs) {
        double[] dx = new double[xs.size()];
        double area = (double) p.kernelH() * p.kernelW();
        forEachCell(xs, p, gs, (xi, yi) -> dx[xi] += g[yi] / area);
        return toFloats(dx);
    }

    /** What pooling does with one input cell of one window. */
    @FunctionalInterface
    private interface Cell {
        void at(int xi, int yi);
    }

    /** Visits the input cells of every window in row-major order (padding skipped). */
    private static void forEachCell(Shape xs, PoolSpec p, Shape out, Cell cell) {
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int yi = (pl * oh + i) * ow + j;
                    for (int a = 0; a < p.kernelH(); a++) {
                        int r = i * p.strideH() - p.padH() + a;
                        if (r < 0 || r >= h) {
                            continue;
                        }
                        for (int b = 0; b < p.kernelW(); b++) {
                            int c = j * p.strideW() - p.padW() + b;
                            if (c >= 0 && c < w) {
                                cell.at((pl * h + r) * w + c, yi);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Sample {@code n}'s input patches as the columns of a {@code (C·kH·kW) x (OH·OW)} row-major
     * matrix written to {@code cols}: row {@code (c, kh, kw)}, column {@code (oh, ow)} holds the
     * input value that tap reads at that output position (zero in the padding). Then the
     * convolution of the sample is {@code W (O x C·kH·kW) · cols}.
     */
    public static void im2col(float[] x, Shape xs, int n, int kh, int kw, ConvSpec s, int oh,
            int ow, float[] cols) {
        int c = xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int plane = oh * ow;
        for (int ic = 0; ic < c; ic++) {
            int base = (n * c + ic) * h * w;
            for (int p = 0; p < kh; p++) {
                for (int q = 0; q < kw; q++) {
                    int row = ((ic * kh + p) * kw + q) * plane;
                    for (int i = 0; i < oh; i++) {
                        int r = i * s.strideH() - s.padH() + p * s.dilationH();
                        int at = row + i * ow;
                        if (r < 0 || r >= h) {
                            java.util.Arrays.fill(cols, at, at + ow, 0f);
                            continue;
                        }
                        for (int j = 0; j < ow; j++) {
                            int col = j * s.strideW() - s.padW() + q * s.dilationW();
                            cols[at + j] = col < 0 || col >= w ? 0f : x[base + r * w + col];
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: adds each column entry back to the input position it was
     * read from, into sample {@code n} of {@code dx} (shape {@code xs}).
     */
    public static void col2im(float[] cols, Shape xs, int n, int kh, int kw, ConvSpec s, int oh,
            int ow, float[] dx) {
        int c = xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int plane = oh * ow;
        for (int ic = 0; ic < c; ic++) {
            int base = (n * c + ic) * h * w;
            for (int p = 0; p < kh; p++) {
                for (int q = 0; q < kw; q++) {
                    int row = ((ic * kh + p) * kw + q) * plane;
                    for (int i = 0; i < oh; i++) {
                        int r = i * s.strideH() - s.padH() + p * s.dilationH();
                        if (r < 0 || r >= h) {
                            continue;
                        }
                        int at = row + i * ow;
                        for (int j = 0; j < ow; j++) {
                            int col = j * s.strideW() - s.padW() + q * s.dilationW();
                            if (col >= 0 && col < w) {
                                dx[base + r * w + col] += cols[at + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The whole batch's patches as one {@code (C·kH·kW) x (N·OH·OW)} row-major matrix: sample n's
     * columns are {@code n·OH·OW} to {@code (n + 1)·OH·OW − 1}, each as in {@link #im2col}. Then
     * one product {@code W (O x C·kH·kW) · cols} convolves every sample, its result laid out
     * {@code (O x N·OH·OW)}.
     */
    public static void im2colBatch(float[] x, Shape xs, int kh, int kw, ConvSpec s, int oh,
            int ow, float[] cols) {
        int n = xs.dim(0);
        int plane = oh * ow;
        int rows = xs.dim(1) * kh * kw;
        float[] one = new float[rows * plane];
        for (int b = 0; b < n; b++) {
            im2col(x, xs, b, kh, kw, s, oh, ow, one);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(one, r * plane, cols, (r * n + b) * plane, plane);
            }
        }
    }

    /** The adjoint of {@link #im2colBatch}: adds the columns back into {@code dx} (shape xs). */
    public static void col2imBatch(float[] cols, Shape xs, int kh, int kw, ConvSpec s, int oh,
            int ow, float[] dx) {
        int n = xs.dim(0);
        int plane = oh * ow;
        int rows = xs.dim(1) * kh * kw;
        float[] one = new float[rows * plane];
        for (int b = 0; b < n; b++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(cols, (r * n + b) * plane, one, r * plane, plane);
            }
            col2im(one, xs, b, kh, kw, s, oh, ow, dx);
        }
    }

    /** {@code (A x B x P)} to {@code (B x A x P)}: swaps the two leading axes of a row-major block. */
    public static float[] swapLeadingAxes(float[] in, int a, int b, int p) {
        float[] out = new float[in.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(in, (i * b + j) * p, out, (j * a + i) * p, p);
            }
        }
        return out;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
