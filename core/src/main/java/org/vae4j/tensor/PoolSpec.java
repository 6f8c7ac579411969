package org.vae4j.tensor;

/**
 * The settings of 2-D max or average pooling over NCHW activations: window, stride and
 * symmetric padding per axis, and the output shape rule. As in PyTorch, padding is at most half
 * the window, so every window covers the input; max pooling pads with {@code −∞}, average
 * pooling with zeros that count in the mean ({@code count_include_pad}). In max pooling's
 * gradient, ties go to the first maximum in the window's row-major order.
 */
public record PoolSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {

    public PoolSpec {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("pool2d: window " + kernelH + "x" + kernelW
                    + " must be at least 1x1");
        }
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("pool2d: stride " + strideH + "x" + strideW
                    + " must be at least 1 on each axis");
        }
        if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException("pool2d: padding " + padH + "x" + padW
                    + " must be between 0 and half the window " + kernelH + "x" + kernelW);
        }
    }

    /** A square window with the same stride, no padding (the usual {@code k = s = 2}). */
    public static PoolSpec of(int kernel, int stride) {
        return new PoolSpec(kernel, kernel, stride, stride, 0, 0);
    }

    /** Window, stride and padding per axis, each {@code {h, w}}. */
    public static PoolSpec of(int[] kernel, int[] stride, int[] padding) {
        return new PoolSpec(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
    }

    /** The output shape {@code (N x C x OH x OW)} of pooling {@code x}. */
    public Shape outputShape(String op, Shape x) {
        if (x.rank() != 4) {
            throw new ShapeException(op + ": the input must be rank 4 (N x C x H x W), got " + x);
        }
        int oh = ConvSpec.outputSize(x.dim(2), kernelH, padH, 1, strideH);
        int ow = ConvSpec.outputSize(x.dim(3), kernelW, padW, 1, strideW);
        if (oh < 1 || ow < 1) {
            throw new ShapeException(op + ": the window " + kernelH + "x" + kernelW
                    + " is larger than the padded input " + (x.dim(2) + 2 * padH) + "x"
                    + (x.dim(3) + 2 * padW) + " (input " + x + ", padding " + padH + "x" + padW
                    + ")");
        }
        return Shape.of(x.dim(0), x.dim(1), oh, ow);
    }

    /** Checks that {@code g} is the output gradient of pooling an input of shape {@code x}. */
    public void checkGradient(String op, Shape x, Shape g) {
        Shape expected = outputShape(op, x);
        if (!expected.equals(g)) {
            throw new ShapeException(op + ": the output gradient " + g + " does not match the"
                    + " output " + expected + " of pooling input " + x + " with " + this);
        }
    }

    @Override
    public String toString() {
        return "window " + kernelH + "x" + kernelW + ", stride " + strideH + "x" + strideW
                + ", padding " + padH + "x" + padW;
    }
}
