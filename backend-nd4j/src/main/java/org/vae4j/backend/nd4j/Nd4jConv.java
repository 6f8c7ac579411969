package org.vae4j.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.ConvolutionKernels;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * Convolution and pooling on ND4J's native layer ops: {@code conv2d} and {@code conv2d_bp} in
 * NCHW with OIHW weights (weight format 1), and {@code maxpool2d}/{@code avgpool2d} with their
 * {@code _bp} ops. Pooling pads first (with {@code −∞} for max, zeros for average, which the
 * mean then counts, as PyTorch does) and pools the padded input without padding, so ND4J's own
 * padding conventions never matter. Each kernel returns a new array; temporaries are freed.
 */
final class Nd4jConv implements ConvolutionKernels {

    private static final int NCHW = 0;
    private static final int OIHW = 1;

    private final Nd4jCoreKernels core;

    /** Kernels whose tensors {@code core} wraps. */
    Nd4jConv(Nd4jCoreKernels core) {
        this.core = core;
    }

    private static INDArray in(Tensor t) {
        return ((Nd4jTensor) t).array();
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor w, ConvSpec spec) {
        Shape out = spec.outputShape(x.shape(), w.shape());
        return core.wrap(conv2d(in(x), in(w), spec, Nd4jCoreKernels.dims(out)), out);
    }

    /**
     * {@code conv2d_bp} takes the input for its shape (its values only reach the weight
     * gradient, which is dropped), so an uninitialised array of that shape stands in.
     */
    @Override
    public Tensor conv2dBackwardInput(Tensor g, Tensor w, ConvSpec spec, Shape xShape) {
        INDArray shapeOnly = Nd4jKernels.alloc(Nd4jCoreKernels.dims(xShape));
        try {
            return core.wrap(conv2dBackwardInput(shapeOnly, in(w), in(g), spec), xShape);
        } finally {
            Nd4jKernels.free(shapeOnly);
        }
    }

    /** As {@link #conv2dBackwardInput}, with a stand-in for the weight. */
    @Override
    public Tensor conv2dBackwardFilter(Tensor x, Tensor g, ConvSpec spec, Shape wShape) {
        INDArray shapeOnly = Nd4jKernels.alloc(Nd4jCoreKernels.dims(wShape));
        try {
            return core.wrap(conv2dBackwardFilter(in(x), shapeOnly, in(g), spec), wShape);
        } finally {
            Nd4jKernels.free(shapeOnly);
        }
    }

    @Override
    public Tensor maxPool2d(Tensor x, PoolSpec spec) {
        Shape out = spec.outputShape("maxPool2d", x.shape());
        return core.wrap(maxPool2d(in(x), spec, Nd4jCoreKernels.dims(out)), out);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor x, Tensor g, PoolSpec spec) {
        return core.wrap(maxPool2dBackward(in(x), in(g), spec), x.shape());
    }

    @Override
    public Tensor avgPool2d(Tensor x, PoolSpec spec) {
        Shape out = spec.outputShape("avgPool2d", x.shape());
        return core.wrap(avgPool2d(in(x), spec, Nd4jCoreKernels.dims(out)), out);
    }

    /** {@code avgpool2d_bp} also takes the input for its shape only. */
    @Override
    public Tensor avgPool2dBackward(Tensor g, PoolSpec spec, Shape xShape) {
        INDArray shapeOnly = Nd4jKernels.alloc(Nd4jCoreKernels.dims(xShape));
        try {
            return core.wrap(avgPool2dBackward(shapeOnly, in(g), spec), xShape);
        } finally {
            Nd4jKernels.free(shapeOnly);
        }
    }

    static INDArray conv2d(INDArray x, INDArray w, ConvSpec s, long[] out) {
        INDArray z = Nd4jKernels.alloc(out);
        Nd4jKernels.run(op("conv2d", convArgs(w, s)), new INDArray[] {x, w}, z);
        return z;
    }

    static INDArray conv2dBackwardInput(INDArray x, INDArray w, INDArray g, ConvSpec s) {
        return conv2dBackward(x, w, g, s, true);
    }

    static INDArray conv2dBackwardFilter(INDArray x, INDArray w, INDArray g, ConvSpec s) {
        return conv2dBackward(x, w, g, s, false);
    }

    /** {@code conv2d_bp} gives both gradients; the one not asked for is freed. */
    private static INDArray conv2dBackward(INDArray x, INDArray w, INDArray g, ConvSpec s,
            boolean input) {
        INDArray dx = Nd4jKernels.alloc(x.shape());
        INDArray dw = Nd4jKernels.alloc(w.shape());
        Nd4jKernels.run(op("conv2d_bp", convArgs(w, s)), new INDArray[] {x, w, g}, dx, dw);
        Nd4jKernels.free(input ? dw : dx);
        return input ? dx : dw;
    }

    static INDArray maxPool2d(INDArray x, PoolSpec p, long[] out) {
        return pool("maxpool2d", x, p, Float.NEGATIVE_INFINITY, out);
    }

    static INDArray avgPool2d(INDArray x, PoolSpec p, long[] out) {
        return pool("avgpool2d", x, p, 0f, out);
    }

    static INDArray maxPool2dBackward(INDArray x, INDArray g, PoolSpec p) {
        return poolBackward("maxpool2d_bp", x, g, p, Float.NEGATIVE_INFINITY);
    }

    static INDArray avgPool2dBackward(INDArray x, INDArray g, PoolSpec p) {
        return poolBackward("avgpool2d_bp", x, g, p, 0f);
    }

    private static INDArray pool(String name, INDArray x, PoolSpec p, float padValue,
            long[] out) {
        INDArray padded = padded(x, p, padValue);
        try {
            INDArray z = Nd4jKernels.alloc(out);
            Nd4jKernels.run(op(name, poolArgs(p)), new INDArray[] {padded}, z);
            return z;
        } finally {
            if (padded != x) {
                Nd4jKernels.free(padded);
            }
        }
    }

    private static INDArray poolBackward(String name, INDArray x, INDArray g, PoolSpec p,
            float padValue) {
        INDArray padded = padded(x, p, padValue);
        INDArray dPadded = Nd4jKernels.alloc(padded.shape());
        try {
            Nd4jKernels.run(op(name, poolArgs(p)), new INDArray[] {padded, g}, dPadded);
        } finally {
            if (padded != x) {
                Nd4jKernels.free(padded);
            }
        }
        if (p.padH() == 0 && p.padW() == 0) {
            return dPadded;
        }
        try {
            long[] xs = x.shape();
            return Nd4jKernels.stridedSlice(dPadded, new int[] {0, 0, p.padH(), p.padW()},
                    new int[] {1, 1, 1, 1}, xs);
        } finally {
            Nd4jKernels.free(dPadded);
        }
    }

    private static INDArray padded(INDArray x, PoolSpec p, float value) {
        if (p.padH() == 0 && p.padW() == 0) {
            return x;
        }
        long[] xs = x.shape();
        int[] widths = {0, 0, p.padH(), p.padW()};
        long[] out = {xs[0], xs[1], xs[2] + 2L * p.padH(), xs[3] + 2L * p.padW()};
        return Nd4jKernels.pad(x, widths, widths, value, out);
    }

    private static long[] convArgs(INDArray w, ConvSpec s) {
        long[] ws = w.shape();
        return new long[] {ws[2], ws[3], s.strideH(), s.strideW(), s.padH(), s.padW(),
            s.dilationH(), s.dilationW(), 0, NCHW, OIHW};
    }

    /** Window, stride, no padding, dilation 1, explicit mode, divisor flag, NCHW. */
    private static long[] poolArgs(PoolSpec p) {
        return new long[] {p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), 0, 0, 1, 1, 0, 0,
            NCHW};
    }

    private static DynamicCustomOp op(String name, long[] iArgs) {
        java.util.List<Integer> args = new java.util.ArrayList<>(iArgs.length);
        for (long a : iArgs) {
            args.add((int) a);
        }
        return DynamicCustomOp.builder(name).addIntegerArguments(args).build();
    }
}
