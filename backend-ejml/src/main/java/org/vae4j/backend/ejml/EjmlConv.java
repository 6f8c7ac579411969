package org.vae4j.backend.ejml;

import org.ejml.data.FMatrixRMaj;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.RowMajorConv;
import org.vae4j.tensor.Shape;

/**
 * Convolution on EJML: the batch's patches as one matrix ({@link RowMajorConv#im2colBatch}) and
 * one EJML product per kernel, so the work goes through the same (concurrent, for large
 * products) matrix kernels as the dense layers. Activations are NCHW, weights OIHW; the
 * product's {@code (O x N·OH·OW)} result is turned to {@code (N x O x OH x OW)} by one copy.
 */
final class EjmlConv {

    private EjmlConv() {
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
