package org.vae4j.tensor;

/**
 * The settings of a 2-D convolution over NCHW activations with OIHW weights: stride, symmetric
 * zero padding and dilation per axis (groups = 1), and the shape rules that follow from them.
 * Each rule checks its shapes once and names both shapes and the settings when they do not fit,
 * so a backend's kernels may assume valid arguments.
 *
 * <p>Output size per axis, as in PyTorch: {@code (in + 2·pad − dilation·(kernel − 1) − 1) /
 * stride + 1}, rounded down. The gradient with respect to the input is also the transposed
 * convolution; since several input sizes give the same output size when the stride is above 1,
 * its rule takes the input shape.
 */
public record ConvSpec(int strideH, int strideW, int padH, int padW, int dilationH,
        int dilationW) {

    public ConvSpec {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("conv2d: stride " + strideH + "x" + strideW
                    + " must be at least 1 on each axis");
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: padding " + padH + "x" + padW
                    + " must not be negative");
        }
        if (dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("conv2d: dilation " + dilationH + "x" + dilationW
                    + " must be at least 1 on each axis");
        }
    }

    /** The same stride and padding on both axes, no dilation. */
    public static ConvSpec of(int stride, int padding) {
        return new ConvSpec(stride, stride, padding, padding, 1, 1);
    }

    /** Stride, padding and dilation per axis, each {@code {h, w}}. */
    public static ConvSpec of(int[] stride, int[] padding, int[] dilation) {
        return new ConvSpec(stride[0], stride[1], padding[0], padding[1], dilation[0],
                dilation[1]);
    }

    /** The output shape {@code (N x O x OH x OW)} of input {@code x} and weight {@code w}. */
    public Shape outputShape(Shape x, Shape w) {
        checkRank4("input", x, "N x C x H x W");
        checkRank4("weight", w, "O x I x kH x kW");
        if (x.dim(1) != w.dim(1)) {
            throw new ShapeException("conv2d: input " + x + " has " + x.dim(1) + " channels but"
                    + " the weight " + w + " expects " + w.dim(1) + " (weight is O x I x kH x kW)");
        }
        if (w.dim(2) == 0 || w.dim(3) == 0) {
            throw new ShapeException("conv2d: weight " + w + " has an empty kernel");
        }
        int oh = outputSize(x.dim(2), w.dim(2), padH, dilationH, strideH);
        int ow = outputSize(x.dim(3), w.dim(3), padW, dilationW, strideW);
        if (oh < 1 || ow < 1) {
            throw new ShapeException("conv2d: the kernel " + w.dim(2) + "x" + w.dim(3)
                    + " with dilation " + dilationH + "x" + dilationW + " spans "
                    + span(w.dim(2), dilationH) + "x" + span(w.dim(3), dilationW)
                    + ", more than the padded input " + (x.dim(2) + 2 * padH) + "x"
                    + (x.dim(3) + 2 * padW) + " (input " + x + ", padding " + padH + "x" + padW
                    + ")");
        }
        return Shape.of(x.dim(0), w.dim(0), oh, ow);
    }

    /**
     * The output shape {@code (N x O x OH x OW)} of the transposed convolution of {@code x}
     * {@code (N x I x H x W)} with {@code w} {@code (I x O x kH x kW)} (PyTorch's
     * {@code ConvTranspose2d} layout): the input shape whose convolution by this spec has x's
     * shape, {@code (H − 1)·stride − 2·pad + dilation·(kH − 1) + 1 + outputPadding}, the extra
     * rows and columns ({@code outputPadding < max(stride, dilation)}) choosing among the sizes
     * that give the same convolution output.
     */
    public Shape transposedOutputShape(Shape x, Shape w, int outputPadH, int outputPadW) {
        if (x.rank() != 4) {
            throw new ShapeException("convTranspose2d: the input must be rank 4 (N x C x H x W),"
                    + " got " + x);
        }
        if (w.rank() != 4) {
            throw new ShapeException("convTranspose2d: the weight must be rank 4"
                    + " (I x O x kH x kW), got " + w);
        }
        if (x.dim(1) != w.dim(0)) {
            throw new ShapeException("convTranspose2d: input " + x + " has " + x.dim(1)
                    + " channels but the weight " + w + " expects " + w.dim(0)
                    + " (weight is I x O x kH x kW)");
        }
        if (outputPadH < 0 || outputPadW < 0 || outputPadH >= Math.max(strideH, dilationH)
                || outputPadW >= Math.max(strideW, dilationW)) {
            throw new IllegalArgumentException("convTranspose2d: output padding " + outputPadH
                    + "x" + outputPadW + " must be non-negative and below the larger of stride"
                    + " and dilation on each axis (" + this + ")");
        }
        long oh = (long) (x.dim(2) - 1) * strideH - 2L * padH + span(w.dim(2), dilationH)
                + outputPadH;
        long ow = (long) (x.dim(3) - 1) * strideW - 2L * padW + span(w.dim(3), dilationW)
                + outputPadW;
        if (oh < 1 || ow < 1 || oh > Integer.MAX_VALUE || ow > Integer.MAX_VALUE) {
            throw new ShapeException("convTranspose2d: input " + x + " and weight " + w + " with "
                    + this + " give an output of " + oh + "x" + ow + " pixels");
        }
        Shape out = Shape.of(x.dim(0), w.dim(1), (int) oh, (int) ow);
        // the convolution this transposes maps out back to x
        outputShape(out, Shape.of(w.dim(0), w.dim(1), w.dim(2), w.dim(3)));
        return out;
    }

    /**
     * Checks that {@code g} is the output gradient of a convolution of an input of shape
     * {@code x} with a weight of shape {@code w} (for the two gradient kernels).
     */
    public void checkGradient(String op, Shape x, Shape w, Shape g) {
        Shape expected = outputShape(x, w);
        if (!expected.equals(g)) {
            throw new ShapeException(op + ": the output gradient " + g + " does not match the"
                    + " output " + expected + " of input " + x + " and weight " + w + " with "
                    + this);
        }
    }

    /** The spatial size of the output along one axis; below 1 when the kernel does not fit. */
    static int outputSize(int in, int kernel, int pad, int dilation, int stride) {
        long room = (long) in + 2L * pad - (long) dilation * (kernel - 1) - 1;
        return room < 0 ? 0 : (int) (room / stride + 1);
    }

    private static long span(int kernel, int dilation) {
        return (long) dilation * (kernel - 1) + 1;
    }

    private static void checkRank4(String what, Shape s, String layout) {
        if (s.rank() != 4) {
            throw new ShapeException("conv2d: the " + what + " must be rank 4 (" + layout
                    + "), got " + s);
        }
    }

    @Override
    public String toString() {
        return "stride " + strideH + "x" + strideW + ", padding " + padH + "x" + padW
                + ", dilation " + dilationH + "x" + dilationW;
    }
}
