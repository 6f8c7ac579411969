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
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int wd = xs.dim(3);
        int o = ws.dim(0);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        float[] y = new float[out.size()];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = 0;
                        for (int ic = 0; ic < c; ic++) {
                            for (int p = 0; p < kh; p++) {
                                int r = i * s.strideH() - s.padH() + p * s.dilationH();
                                if (r < 0 || r >= h) {
                                    continue;
                                }
                                for (int q = 0; q < kw; q++) {
                                    int col = j * s.strideW() - s.padW() + q * s.dilationW();
                                    if (col < 0 || col >= wd) {
                                        continue;
                                    }
                                    sum += (double) x[((b * c + ic) * h + r) * wd + col]
                                            * w[((oc * c + ic) * kh + p) * kw + q];
                                }
                            }
                        }
                        y[((b * o + oc) * oh + i) * ow + j] = (float) sum;
                    }
                }
            }
        }
        return y;
    }

    /**
     * The gradient with respect to the input, {@code dx[n,c,ih,iw] = Σ g[n,o,oh,ow] ·
     * w[o,c,kh,kw]} over the taps that read {@code (ih, iw)}: the transposed convolution of
     * {@code g}.
     */
    public static float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws,
            ConvSpec s, Shape xs) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int wd = xs.dim(3);
        int o = ws.dim(0);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        int oh = gs.dim(2);
        int ow = gs.dim(3);
        double[] dx = new double[xs.size()];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double gv = g[((b * o + oc) * oh + i) * ow + j];
                        for (int ic = 0; ic < c; ic++) {
                            for (int p = 0; p < kh; p++) {
                                int r = i * s.strideH() - s.padH() + p * s.dilationH();
                                if (r < 0 || r >= h) {
                                    continue;
                                }
                                for (int q = 0; q < kw; q++) {
                                    int col = j * s.strideW() - s.padW() + q * s.dilationW();
                                    if (col < 0 || col >= wd) {
                                        continue;
                                    }
                                    dx[((b * c + ic) * h + r) * wd + col] +=
                                            gv * w[((oc * c + ic) * kh + p) * kw + q];
                                }
                            }
                        }
                    }
                }
            }
        }
        return toFloats(dx);
    }

    /** The gradient with respect to the weight, {@code dw[o,c,kh,kw] = Σ g[n,o,oh,ow] · x[n,c,ih,iw]}. */
    public static float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs,
            ConvSpec s, Shape ws) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int wd = xs.dim(3);
        int o = ws.dim(0);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        int oh = gs.dim(2);
        int ow = gs.dim(3);
        float[] dw = new float[ws.size()];
        for (int oc = 0; oc < o; oc++) {
            for (int ic = 0; ic < c; ic++) {
                for (int p = 0; p < kh; p++) {
                    for (int q = 0; q < kw; q++) {
                        double sum = 0;
                        for (int b = 0; b < n; b++) {
                            for (int i = 0; i < oh; i++) {
                                int r = i * s.strideH() - s.padH() + p * s.dilationH();
                                if (r < 0 || r >= h) {
                                    continue;
                                }
                                for (int j = 0; j < ow; j++) {
                                    int col = j * s.strideW() - s.padW() + q * s.dilationW();
                                    if (col < 0 || col >= wd) {
                                        continue;
                                    }
                                    sum += (double) g[((b * o + oc) * oh + i) * ow + j]
                                            * x[((b * c + ic) * h + r) * wd + col];
                                }
                            }
                        }
                        dw[((oc * c + ic) * kh + p) * kw + q] = (float) sum;
                    }
                }
            }
        }
        return dw;
    }

    /** The maximum of each window; padding never wins (it is {@code −∞}). */
    public static float[] maxPool2d(float[] x, Shape xs, PoolSpec p, Shape out) {
        float[] y = new float[out.size()];
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int at = argmax(x, pl * h * w, h, w, p, i, j);
                    y[(pl * oh + i) * ow + j] = x[at];
                }
            }
        }
        return y;
    }

    /** {@code g} routed to the first maximum of each window (row-major order within it). */
    public static float[] maxPool2dBackward(float[] x, Shape xs, float[] g, Shape gs,
            PoolSpec p) {
        double[] dx = new double[xs.size()];
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int oh = gs.dim(2);
        int ow = gs.dim(3);
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    dx[argmax(x, pl * h * w, h, w, p, i, j)] += g[(pl * oh + i) * ow + j];
                }
            }
        }
        return toFloats(dx);
    }

    /** The flat index of the first largest value in window {@code (i, j)} of one plane. */
    private static int argmax(float[] x, int base, int h, int w, PoolSpec p, int i, int j) {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int a = 0; a < p.kernelH(); a++) {
            int r = i * p.strideH() - p.padH() + a;
            if (r < 0 || r >= h) {
                continue;
            }
            for (int b = 0; b < p.kernelW(); b++) {
                int c = j * p.strideW() - p.padW() + b;
                if (c < 0 || c >= w) {
                    continue;
                }
                float v = x[base + r * w + c];
                // NaN wins, as in PyTorch; among equals the first stays
                if (best < 0 || v > max || (Float.isNaN(v) && !Float.isNaN(max))) {
                    best = base + r * w + c;
                    max = v;
                }
            }
        }
        return best;
    }

    /** The mean of each window, padding counted as zeros. */
    public static float[] avgPool2d(float[] x, Shape xs, PoolSpec p, Shape out) {
        float[] y = new float[out.size()];
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        double area = (double) p.kernelH() * p.kernelW();
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    for (int a = 0; a < p.kernelH(); a++) {
                        int r = i * p.strideH() - p.padH() + a;
                        if (r < 0 || r >= h) {
                            continue;
                        }
                        for (int b = 0; b < p.kernelW(); b++) {
                            int c = j * p.strideW() - p.padW() + b;
                            if (c >= 0 && c < w) {
                                sum += x[(pl * h + r) * w + c];
                            }
                        }
                    }
                    y[(pl * oh + i) * ow + j] = (float) (sum / area);
                }
            }
        }
        return y;
    }

    /** Each window's gradient spread evenly over the window (its padded cells drop it). */
    public static float[] avgPool2dBackward(float[] g, Shape gs, PoolSpec p, Shape xs) {
        double[] dx = new double[xs.size()];
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int oh = gs.dim(2);
        int ow = gs.dim(3);
        double area = (double) p.kernelH() * p.kernelW();
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double share = g[(pl * oh + i) * ow + j] / area;
                    for (int a = 0; a < p.kernelH(); a++) {
                        int r = i * p.strideH() - p.padH() + a;
                        if (r < 0 || r >= h) {
                            continue;
                        }
                        for (int b = 0; b < p.kernelW(); b++) {
                            int c = j * p.strideW() - p.padW() + b;
                            if (c >= 0 && c < w) {
                                dx[(pl * h + r) * w + c] += share;
                            }
                        }
                    }
                }
            }
        }
        return toFloats(dx);
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
