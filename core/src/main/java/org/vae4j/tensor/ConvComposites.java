package org.vae4j.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Convolution and pooling written with the core primitives (pad, strided slice, concat,
 * transpose, reshape, matmul, reductions): what a backend without its own convolution kernels
 * runs, and the definitions the conformance kit holds the native kernels to.
 *
 * <p>Every form gathers the input's taps the same way: each kernel tap {@code (kh, kw)} is one
 * strided slice of the padded input, {@code (N x C x OH x OW)}; the taps stacked give
 * {@code (N x C x kH·kW x OH·OW)}, im2col's columns. A convolution is then one matrix product
 * with the weight seen as {@code (O x C·kH·kW)}; the gradients are the products' transposes,
 * with each tap's block of the input gradient put back in place by {@link #unslice}.
 */
public final class ConvComposites {

    private ConvComposites() {
    }

    /** {@code conv2d(x, w)} for x {@code (N x C x H x W)} and w {@code (O x C x kH x kW)}. */
    public static Tensor conv2d(Backend be, Tensor x, Tensor w, ConvSpec s) {
        Shape out = s.outputShape(x.shape(), w.shape());
        Tensor cols = columns(be, x, w.shape(), s, out, 0f);
        Tensor y = be.matmul(cols, false, flatWeight(be, w), true);
        return fromRows(be, y, out);
    }

    /** The gradient of {@link #conv2d} with respect to x, of shape {@code xShape}. */
    public static Tensor conv2dBackwardInput(Backend be, Tensor g, Tensor w, ConvSpec s,
            Shape xShape) {
        Shape ws = w.shape();
        Tensor dcols = be.matmul(toRows(be, g), flatWeight(be, w));
        int n = xShape.dim(0);
        int c = xShape.dim(1);
        int taps = ws.dim(2) * ws.dim(3);
        int plane = g.shape().dim(2) * g.shape().dim(3);
        // (N·P x C·K) -> (N x C x K x P), the layout of the taps
        Tensor blocks = be.transpose(be.reshape(dcols, Shape.of(n, plane, c, taps)), 0, 2, 3, 1);
        return scatterTaps(be, blocks, ws.dim(2), ws.dim(3), s.strideH(), s.strideW(),
                s.padH(), s.padW(), s.dilationH(), s.dilationW(), g.shape(), xShape);
    }

    /** The gradient of {@link #conv2d} with respect to w, of shape {@code wShape}. */
    public static Tensor conv2dBackwardFilter(Backend be, Tensor x, Tensor g, ConvSpec s,
            Shape wShape) {
        Tensor cols = columns(be, x, wShape, s, g.shape(), 0f);
        Tensor dw = be.matmul(toRows(be, g), true, cols, false);
        return be.reshape(dw, wShape);
    }

    /** The maximum of each window; the padding is {@code −∞}. */
    public static Tensor maxPool2d(Backend be, Tensor x, PoolSpec p) {
        Shape out = p.outputShape("maxPool2d", x.shape());
        Tensor taps = poolTaps(be, x, p, out, Float.NEGATIVE_INFINITY);
        return be.reshape(be.reduce(ReduceOp.MAX, taps, false, 2), out);
    }

    /** The gradient of {@link #maxPool2d}: g goes to the first maximum of each window. */
    public static Tensor maxPool2dBackward(Backend be, Tensor x, Tensor g, PoolSpec p) {
        Shape out = g.shape();
        Tensor taps = poolTaps(be, x, p, out, Float.NEGATIVE_INFINITY);
        int k = p.kernelH() * p.kernelW();
        Shape ts = taps.shape();
        // argmax ties go to the lowest tap: the first maximum in the window's row-major order
        Tensor first = be.reshape(be.argReduce(ArgOp.ARGMAX, taps, 2),
                Shape.of(ts.dim(0), ts.dim(1), 1, ts.dim(3)));
        float[] index = new float[k];
        for (int i = 0; i < k; i++) {
            index[i] = i;
        }
        Tensor mask = be.binary(BinaryOp.EQUAL, first, be.fromArray(index, 1, 1, k, 1));
        Tensor routed = be.mul(mask, be.reshape(g, Shape.of(ts.dim(0), ts.dim(1), 1,
                ts.dim(3))));
        return scatterTaps(be, routed, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(),
                p.padH(), p.padW(), 1, 1, out, x.shape());
    }

    /** The mean of each window, padded zeros counted. */
    public static Tensor avgPool2d(Backend be, Tensor x, PoolSpec p) {
        Shape out = p.outputShape("avgPool2d", x.shape());
        Tensor taps = poolTaps(be, x, p, out, 0f);
        Tensor mean = be.div(be.sum(taps, false, 2),
                be.scalar((float) p.kernelH() * p.kernelW()));
        return be.reshape(mean, out);
    }

    /** The gradient of {@link #avgPool2d}: each window's g shared evenly by its cells. */
    public static Tensor avgPool2dBackward(Backend be, Tensor g, PoolSpec p, Shape xShape) {
        Shape gs = g.shape();
        int k = p.kernelH() * p.kernelW();
        Tensor share = be.div(be.reshape(g, Shape.of(gs.dim(0), gs.dim(1), 1,
                gs.dim(2) * gs.dim(3))), be.scalar(k));
        Tensor blocks = be.broadcastTo(share, Shape.of(gs.dim(0), gs.dim(1), k,
                gs.dim(2) * gs.dim(3)));
        return scatterTaps(be, blocks, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(),
                p.padH(), p.padW(), 1, 1, gs, xShape);
    }

    /**
     * {@code g}'s values back at their places in a zero tensor of shape {@code in}: the adjoint of
     * the strided slice from {@code start} by {@code step} (each axis spread with zeros by a
     * reshape to {@code (before, m, 1, after)} and a pad of the new axis to the step, so the rank
     * stays within {@link Shape#MAX_RANK}; one pad then places the block at the starts).
     */
    public static Tensor unslice(Backend be, Tensor g, int[] start, int[] steps, Shape in) {
        int rank = in.rank();
        Tensor t = g;
        int[] dims = g.shape().dims();
        for (int k = 0; k < rank; k++) {
            int step = steps[k];
            if (step == 1 || dims[k] == 0) {
                continue;
            }
            int outer = 1;
            for (int j = 0; j < k; j++) {
                outer *= dims[j];
            }
            int inner = 1;
            for (int j = k + 1; j < rank; j++) {
                inner *= dims[j];
            }
            int m = dims[k];
            Tensor column = be.reshape(t, Shape.of(outer, m, 1, inner));
            Tensor spread = be.pad(column, new int[] {0, 0, 0, 0}, new int[] {0, 0, step - 1, 0},
                    0f);
            // the last step's trailing zeros may run past the input's end: keep what fits
            int kept = Math.min(m * step, in.dim(k) - start[k]);
            Tensor flat = be.reshape(spread, Shape.of(outer, m * step, inner));
            Tensor cut = be.slice(flat, 1, 0, kept);
            dims[k] = kept;
            t = be.reshape(cut, Shape.of(dims));
        }
        int[] after = new int[rank];
        for (int k = 0; k < rank; k++) {
            after[k] = in.dim(k) - start[k] - dims[k];
        }
        return be.pad(t, start, after, 0f);
    }

    // ---------------------------------------------------------------- the taps

    /** im2col's columns as rows: {@code (N·OH·OW x C·kH·kW)}. */
    private static Tensor columns(Backend be, Tensor x, Shape ws, ConvSpec s, Shape out,
            float padValue) {
        Tensor taps = taps(be, x, ws.dim(2), ws.dim(3), s.strideH(), s.strideW(), s.padH(),
                s.padW(), s.dilationH(), s.dilationW(), out, padValue);
        Shape ts = taps.shape();
        // (N x C x K x P) -> (N x P x C x K) -> (N·P x C·K)
        Tensor rows = be.transpose(taps, 0, 3, 1, 2);
        return be.reshape(rows, Shape.of(ts.dim(0) * ts.dim(3), ts.dim(1) * ts.dim(2)));
    }

    private static Tensor poolTaps(Backend be, Tensor x, PoolSpec p, Shape out,
            float padValue) {
        return taps(be, x, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(),
                p.padW(), 1, 1, out, padValue);
    }

    /** The input's taps stacked: {@code (N x C x kH·kW x OH·OW)}, tap {@code kh·kW + kw}. */
    private static Tensor taps(Backend be, Tensor x, int kh, int kw, int sh, int sw, int ph,
            int pw, int dh, int dw, Shape out, float padValue) {
        Shape xs = x.shape();
        Tensor padded = ph == 0 && pw == 0 ? x
                : be.pad(x, new int[] {0, 0, ph, pw}, new int[] {0, 0, ph, pw}, padValue);
        int n = xs.dim(0);
        int c = xs.dim(1);
        int oh = out.dim(2);
        int ow = out.dim(3);
        Shape tapShape = Shape.of(n, c, 1, oh * ow);
        List<Tensor> taps = new ArrayList<>(kh * kw);
        for (int p = 0; p < kh; p++) {
            for (int q = 0; q < kw; q++) {
                int r = p * dh;
                int col = q * dw;
                Tensor tap = be.slice(padded, new int[] {0, 0, r, col},
                        new int[] {n, c, r + sh * (oh - 1) + 1, col + sw * (ow - 1) + 1},
                        new int[] {1, 1, sh, sw});
                taps.add(be.reshape(tap, tapShape));
            }
        }
        return taps.size() == 1 ? taps.get(0) : be.concat(2, taps);
    }

    /**
     * The adjoint of {@link #taps}: block {@code (N x C x kH·kW x OH·OW)} tap by tap back into
     * the padded input, summed, then the padding cut off.
     */
    private static Tensor scatterTaps(Backend be, Tensor blocks, int kh, int kw, int sh, int sw,
            int ph, int pw, int dh, int dw, Shape out, Shape xShape) {
        int n = xShape.dim(0);
        int c = xShape.dim(1);
        Shape padded = Shape.of(n, c, xShape.dim(2) + 2 * ph, xShape.dim(3) + 2 * pw);
        Shape tapShape = Shape.of(n, c, out.dim(2), out.dim(3));
        Tensor sum = null;
        for (int p = 0; p < kh; p++) {
            for (int q = 0; q < kw; q++) {
                int t = p * kw + q;
                Tensor block = be.reshape(be.slice(blocks, 2, t, t + 1), tapShape);
                Tensor placed = unslice(be, block, new int[] {0, 0, p * dh, q * dw},
                        new int[] {1, 1, sh, sw}, padded);
                sum = sum == null ? placed : be.add(sum, placed);
            }
        }
        if (ph == 0 && pw == 0) {
            return sum;
        }
        return be.slice(sum, new int[] {0, 0, ph, pw},
                new int[] {n, c, ph + xShape.dim(2), pw + xShape.dim(3)}, new int[] {1, 1, 1, 1});
    }

    /** {@code (N x O x OH x OW)} as rows {@code (N·OH·OW x O)}. */
    private static Tensor toRows(Backend be, Tensor g) {
        Shape gs = g.shape();
        int plane = gs.dim(2) * gs.dim(3);
        Tensor nop = be.transpose(be.reshape(g, Shape.of(gs.dim(0), gs.dim(1), plane)), 0, 2, 1);
        return be.reshape(nop, Shape.of(gs.dim(0) * plane, gs.dim(1)));
    }

    /** Rows {@code (N·OH·OW x O)} back to {@code (N x O x OH x OW)}. */
    private static Tensor fromRows(Backend be, Tensor rows, Shape out) {
        int n = out.dim(0);
        int o = out.dim(1);
        int plane = out.dim(2) * out.dim(3);
        Tensor nop = be.reshape(rows, Shape.of(n, plane, o));
        return be.reshape(be.transpose(nop, 0, 2, 1), out);
    }

    /** The weight {@code (O x C x kH x kW)} as {@code (O x C·kH·kW)}. */
    private static Tensor flatWeight(Backend be, Tensor w) {
        Shape ws = w.shape();
        return be.reshape(w, Shape.of(ws.dim(0), ws.dim(1) * ws.dim(2) * ws.dim(3)));
    }
}
