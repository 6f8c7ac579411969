package org.vae4j.backend.tensorflow;

import static org.vae4j.backend.tensorflow.TfEager.FLOAT;
import static org.vae4j.backend.tensorflow.TfEager.INT32;

import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;

/**
 * Convolution and pooling on TensorFlow's own kernels: {@code Conv2D},
 * {@code Conv2DBackpropInput}, {@code Conv2DBackpropFilter}, {@code MaxPool}/{@code MaxPoolGrad}
 * and {@code AvgPool}/{@code AvgPoolGrad}. TensorFlow's CPU kernels take NHWC activations and
 * HWIO filters, so NCHW activations and OIHW weights are transposed on the way in and out.
 * Padding is explicit for the convolutions; pooling pads first (with {@code −∞} for max, zeros
 * for average, which the mean then counts) and pools the padded input with {@code VALID}
 * windows. Intermediate handles are deleted before a kernel returns.
 */
final class TfConv {

    private static final int[] TO_NHWC = {0, 2, 3, 1};
    private static final int[] TO_NCHW = {0, 3, 1, 2};
    private static final int[] OIHW_TO_HWIO = {2, 3, 1, 0};
    private static final int[] HWIO_TO_OIHW = {3, 2, 0, 1};

    private final TfEager eager;

    TfConv(TfEager eager) {
        this.eager = eager;
    }

    TFE_TensorHandle conv2d(TFE_TensorHandle x, TFE_TensorHandle w, ConvSpec s) {
        TFE_TensorHandle xh = transpose(x, TO_NHWC);
        TFE_TensorHandle wh = transpose(w, OIHW_TO_HWIO);
        try {
            TFE_TensorHandle y = convAttrs(eager.call("Conv2D").input(xh).input(wh), s).run();
            return transposeConsuming(y, TO_NCHW);
        } finally {
            TfEager.delete(xh);
            TfEager.delete(wh);
        }
    }

    /**
     * TensorFlow's CPU gradient kernels refuse dilation above 1; a dilated kernel is the
     * undilated one of its span with zeros between the taps, so that one is used instead.
     */
    TFE_TensorHandle conv2dBackwardInput(TFE_TensorHandle g, TFE_TensorHandle w, Shape wShape,
            ConvSpec s, Shape xShape) {
        if (dilated(s)) {
            TFE_TensorHandle spread = spreadKernel(w, wShape, s);
            try {
                return conv2dBackwardInput(g, spread, null, undilated(s), xShape);
            } finally {
                TfEager.delete(spread);
            }
        }
        TFE_TensorHandle gh = transpose(g, TO_NHWC);
        TFE_TensorHandle wh = transpose(w, OIHW_TO_HWIO);
        try {
            TFE_TensorHandle dx = convAttrs(eager.call("Conv2DBackpropInput")
                    .ints(nhwc(xShape)).input(wh).input(gh), s).run();
            return transposeConsuming(dx, TO_NCHW);
        } finally {
            TfEager.delete(gh);
            TfEager.delete(wh);
        }
    }

    TFE_TensorHandle conv2dBackwardFilter(TFE_TensorHandle x, TFE_TensorHandle g, ConvSpec s,
            Shape wShape) {
        if (dilated(s)) {
            Shape spreadShape = Shape.of(wShape.dim(0), wShape.dim(1),
                    span(wShape.dim(2), s.dilationH()), span(wShape.dim(3), s.dilationW()));
            TFE_TensorHandle full = conv2dBackwardFilter(x, g, undilated(s), spreadShape);
            try {
                // the taps are every dilation-th element of the span
                return eager.call("StridedSlice").input(full).ints(0, 0, 0, 0)
                        .ints(spreadShape.dims()).ints(1, 1, s.dilationH(), s.dilationW())
                        .type("T", FLOAT).type("Index", INT32).run();
            } finally {
                TfEager.delete(full);
            }
        }
        TFE_TensorHandle xh = transpose(x, TO_NHWC);
        TFE_TensorHandle gh = transpose(g, TO_NHWC);
        try {
            int[] hwio = {wShape.dim(2), wShape.dim(3), wShape.dim(1), wShape.dim(0)};
            TFE_TensorHandle dw = convAttrs(eager.call("Conv2DBackpropFilter").input(xh)
                    .ints(hwio).input(gh), s).run();
            return transposeConsuming(dw, HWIO_TO_OIHW);
        } finally {
            TfEager.delete(xh);
            TfEager.delete(gh);
        }
    }

    TFE_TensorHandle maxPool2d(TFE_TensorHandle x, PoolSpec p) {
        TFE_TensorHandle xp = paddedNhwc(x, p, Float.NEGATIVE_INFINITY);
        try {
            return transposeConsuming(poolAttrs(eager.call("MaxPool").input(xp), p).run(),
                    TO_NCHW);
        } finally {
            TfEager.delete(xp);
        }
    }

    TFE_TensorHandle maxPool2dBackward(TFE_TensorHandle x, TFE_TensorHandle g, PoolSpec p,
            Shape xShape) {
        TFE_TensorHandle xp = paddedNhwc(x, p, Float.NEGATIVE_INFINITY);
        TFE_TensorHandle gh = transpose(g, TO_NHWC);
        TFE_TensorHandle y = null;
        try {
            y = poolAttrs(eager.call("MaxPool").input(xp), p).run();
            TFE_TensorHandle dxp = poolAttrs(eager.call("MaxPoolGrad").input(xp).input(y)
                    .input(gh), p).run();
            return cropConsuming(dxp, p, xShape);
        } finally {
            TfEager.delete(xp);
            TfEager.delete(gh);
            if (y != null) {
                TfEager.delete(y);
            }
        }
    }

    TFE_TensorHandle avgPool2d(TFE_TensorHandle x, PoolSpec p) {
        TFE_TensorHandle xp = paddedNhwc(x, p, 0f);
        try {
            return transposeConsuming(poolAttrs(eager.call("AvgPool").input(xp), p).run(),
                    TO_NCHW);
        } finally {
            TfEager.delete(xp);
        }
    }

    TFE_TensorHandle avgPool2dBackward(TFE_TensorHandle g, PoolSpec p, Shape xShape) {
        TFE_TensorHandle gh = transpose(g, TO_NHWC);
        try {
            int[] padded = {xShape.dim(0), xShape.dim(2) + 2 * p.padH(),
                xShape.dim(3) + 2 * p.padW(), xShape.dim(1)};
            TFE_TensorHandle dxp = poolAttrs(eager.call("AvgPoolGrad").ints(padded).input(gh), p)
                    .run();
            return cropConsuming(dxp, p, xShape);
        } finally {
            TfEager.delete(gh);
        }
    }

    // ---------------------------------------------------------------- dilation

    private static boolean dilated(ConvSpec s) {
        return s.dilationH() > 1 || s.dilationW() > 1;
    }

    private static ConvSpec undilated(ConvSpec s) {
        return new ConvSpec(s.strideH(), s.strideW(), s.padH(), s.padW(), 1, 1);
    }

    private static int span(int kernel, int dilation) {
        return dilation * (kernel - 1) + 1;
    }

    /**
     * The OIHW kernel with {@code dilation − 1} zeros between its taps on each axis: each axis
     * is reshaped to {@code (…, k, 1, …)}, padded to {@code (…, k, d, …)}, flattened and cut to
     * the span {@code d·(k − 1) + 1}.
     */
    private TFE_TensorHandle spreadKernel(TFE_TensorHandle w, Shape wShape, ConvSpec s) {
        int[] dims = wShape.dims();
        TFE_TensorHandle t = eager.call("Identity").input(w).type("T", FLOAT).run();
        int[] dilation = {s.dilationH(), s.dilationW()};
        for (int a = 0; a < 2; a++) {
            int d = dilation[a];
            if (d == 1) {
                continue;
            }
            int k = dims[2 + a];
            int outer = dims[0] * dims[1] * (a == 0 ? 1 : dims[2]);
            int inner = a == 0 ? dims[3] : 1;
            TFE_TensorHandle column = reshapeConsuming(t, outer, k, 1, inner);
            TFE_TensorHandle padded;
            try {
                padded = eager.call("PadV2").input(column)
                        .intMatrix(new int[] {0, 0, 0, 0, 0, d - 1, 0, 0}, 4, 2).floatInput(0f)
                        .type("T", FLOAT).type("Tpaddings", INT32).run();
            } finally {
                TfEager.delete(column);
            }
            TFE_TensorHandle flat = reshapeConsuming(padded, outer, k * d, inner);
            try {
                t = eager.call("Slice").input(flat).ints(0, 0, 0).ints(outer, span(k, d), inner)
                        .type("T", FLOAT).type("Index", INT32).run();
            } finally {
                TfEager.delete(flat);
            }
            dims[2 + a] = span(k, d);
            t = reshapeConsuming(t, dims);
        }
        return t;
    }

    private TFE_TensorHandle reshapeConsuming(TFE_TensorHandle x, int... dims) {
        try {
            return eager.call("Reshape").input(x).ints(dims).type("T", FLOAT)
                    .type("Tshape", INT32).run();
        } finally {
            TfEager.delete(x);
        }
    }

    // ---------------------------------------------------------------- attributes and layout

    private static TfEager.Call convAttrs(TfEager.Call call, ConvSpec s) {
        return call.type("T", FLOAT)
                .attrInts("strides", 1, s.strideH(), s.strideW(), 1)
                .attr("padding", "EXPLICIT")
                .attrInts("explicit_paddings", 0, 0, s.padH(), s.padH(), s.padW(), s.padW(), 0, 0)
                .attrInts("dilations", 1, s.dilationH(), s.dilationW(), 1)
                .attr("data_format", "NHWC")
                .attr("use_cudnn_on_gpu", false);
    }

    private static TfEager.Call poolAttrs(TfEager.Call call, PoolSpec p) {
        return call.type("T", FLOAT)
                .attrInts("ksize", 1, p.kernelH(), p.kernelW(), 1)
                .attrInts("strides", 1, p.strideH(), p.strideW(), 1)
                .attr("padding", "VALID")
                .attr("data_format", "NHWC");
    }

    /** x in NHWC, padded on H and W with {@code value}. */
    private TFE_TensorHandle paddedNhwc(TFE_TensorHandle x, PoolSpec p, float value) {
        TFE_TensorHandle xh = transpose(x, TO_NHWC);
        if (p.padH() == 0 && p.padW() == 0) {
            return xh;
        }
        try {
            int[] widths = {0, 0, p.padH(), p.padH(), p.padW(), p.padW(), 0, 0};
            return eager.call("PadV2").input(xh).intMatrix(widths, 4, 2).floatInput(value)
                    .type("T", FLOAT).type("Tpaddings", INT32).run();
        } finally {
            TfEager.delete(xh);
        }
    }

    /** The padded NHWC gradient cut to x's NCHW shape; deletes the padded one. */
    private TFE_TensorHandle cropConsuming(TFE_TensorHandle dxp, PoolSpec p, Shape xShape) {
        TFE_TensorHandle cropped = dxp;
        if (p.padH() != 0 || p.padW() != 0) {
            try {
                cropped = eager.call("Slice").input(dxp).ints(0, p.padH(), p.padW(), 0)
                        .ints(nhwc(xShape)).type("T", FLOAT).type("Index", INT32).run();
            } finally {
                TfEager.delete(dxp);
            }
        }
        return transposeConsuming(cropped, TO_NCHW);
    }

    private static int[] nhwc(Shape nchw) {
        return new int[] {nchw.dim(0), nchw.dim(2), nchw.dim(3), nchw.dim(1)};
    }

    private TFE_TensorHandle transpose(TFE_TensorHandle x, int[] perm) {
        return eager.call("Transpose").input(x).ints(perm).type("T", FLOAT).type("Tperm", INT32)
                .run();
    }

    private TFE_TensorHandle transposeConsuming(TFE_TensorHandle x, int[] perm) {
        try {
            return transpose(x, perm);
        } finally {
            TfEager.delete(x);
        }
    }
}
