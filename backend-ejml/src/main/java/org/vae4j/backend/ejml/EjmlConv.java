package org.vae4j.backend.ejml;

import org.ejml.data.FMatrixRMaj;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.ConvolutionKernels;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.RowMajorConv;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * Convolution on EJML: the batch's patches as one matrix ({@link RowMajorConv#im2colBatch}) and
 * one EJML product per kernel, so the work goes through the same (concurrent, for large
 * products) matrix kernels as the dense layers. Activations are NCHW, weights OIHW; the
 * product's {@code (O x N·OH·OW)} result is turned to {@code (N x O x OH x OW)} by one copy.
 */
final class EjmlConv implements ConvolutionKernels {

    private final Backend owner;
    private final int threads;

    /** Kernels whose tensors belong to {@code owner}; large products may use {@code threads}. */
    EjmlConv(Backend owner, int threads) {
        this.owner = owner;
        this.threads = threads;
    }

    private static float[] data(Tensor t) {
        return ((EjmlTensor) t).data();
    }

    private Tensor wrap(Shape shape, float[] values) {
        return new EjmlTensor(owner, shape, values);
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor w, ConvSpec spec) {
        Shape out = spec.outputShape(x.shape(), w.shape());
        return wrap(out, conv2d(data(x), x.shape(), data(w), w.shape(), spec, out, threads));
    }

    @Override
    public Tensor conv2dBackwardInput(Tensor g, Tensor w, ConvSpec spec, Shape xShape) {
        return wrap(xShape, conv2dBackwardInput(data(g), g.shape(), data(w), w.shape(), spec,
                xShape, threads));
    }

    @Override
    public Tensor conv2dBackwardFilter(Tensor x, Tensor g, ConvSpec spec, Shape wShape) {
        return wrap(wShape, conv2dBackwardFilter(data(x), x.shape(), data(g), g.shape(), spec,
                wShape, threads));
    }

    // pooling is one pass of comparisons or sums: the reference loops, on the heap arrays

    @Override
    public Tensor maxPool2d(Tensor x, PoolSpec spec) {
        Shape out = spec.outputShape("maxPool2d", x.shape());
        return wrap(out, RowMajorConv.maxPool2d(data(x), x.shape(), spec, out));
    }

    @Override
    public Tensor maxPool2dBackward(Tensor x, Tensor g, PoolSpec spec) {
        return wrap(x.shape(), RowMajorConv.maxPool2dBackward(data(x), x.shape(), data(g),
                g.shape(), spec));
    }

    @Override
    public Tensor avgPool2d(Tensor x, PoolSpec spec) {
        Shape out = spec.outputShape("avgPool2d", x.shape());
        return wrap(out, RowMajorConv.avgPool2d(data(x), x.shape(), spec, out));
    }

    @Override
    public Tensor avgPool2dBackward(Tensor g, PoolSpec spec, Shape xShape) {
        return wrap(xShape, RowMajorConv.avgPool2dBackward(data(g), g.shape(), spec, xShape));
    }

    /** {@code y = conv2d(x, w)}: {@code W (O x C·kH·kW) · cols (C·kH·kW x N·P)}. */
    static float[] conv2d(float[] x, Shape xs, float[] w, Shape ws, ConvSpec s, Shape out,
            int threads) {
        int n = xs.dim(0);
        int o = ws.dim(0);
        int k = ws.size() / o;
        int plane = out.dim(2) * out.dim(3);
        float[] cols = new float[k * n * plane];
        RowMajorConv.im2colBatch(x, xs, ws.dim(2), ws.dim(3), s, out.dim(2), out.dim(3), cols);
        FMatrixRMaj y = new FMatrixRMaj(o, n * plane);
        EjmlKernels.matmul(FMatrixRMaj.wrap(o, k, w), false, FMatrixRMaj.wrap(k, n * plane, cols),
                false, y, threads);
        return RowMajorConv.swapLeadingAxes(y.data, o, n, plane);
    }

    /** The input gradient: {@code Wᵀ · G} back through col2im (also the transposed convolution). */
    static float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws, ConvSpec s,
            Shape xs, int threads) {
        int n = gs.dim(0);
        int o = ws.dim(0);
        int k = ws.size() / o;
        int plane = gs.dim(2) * gs.dim(3);
        float[] gOnp = RowMajorConv.swapLeadingAxes(g, n, o, plane);
        FMatrixRMaj cols = new FMatrixRMaj(k, n * plane);
        EjmlKernels.matmul(FMatrixRMaj.wrap(o, k, w), true, FMatrixRMaj.wrap(o, n * plane, gOnp),
                false, cols, threads);
        float[] dx = new float[xs.size()];
        RowMajorConv.col2imBatch(cols.data, xs, ws.dim(2), ws.dim(3), s, gs.dim(2), gs.dim(3),
                dx);
        return dx;
    }

    /** The weight gradient: {@code G (O x N·P) · colsᵀ}. */
    static float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs, ConvSpec s,
            Shape ws, int threads) {
        int n = xs.dim(0);
        int o = ws.dim(0);
        int k = ws.size() / o;
        int plane = gs.dim(2) * gs.dim(3);
        float[] cols = new float[k * n * plane];
        RowMajorConv.im2colBatch(x, xs, ws.dim(2), ws.dim(3), s, gs.dim(2), gs.dim(3), cols);
        float[] gOnp = RowMajorConv.swapLeadingAxes(g, n, o, plane);
        FMatrixRMaj dw = new FMatrixRMaj(o, k);
        EjmlKernels.matmul(FMatrixRMaj.wrap(o, n * plane, gOnp), false,
                FMatrixRMaj.wrap(k, n * plane, cols), true, dw, threads);
        return dw.data;
    }
}
