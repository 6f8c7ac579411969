package org.vae4j.backend.ejml;

import java.util.ArrayList;
import java.util.List;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.RowMajorConv;
import org.vae4j.tensor.Shape;
import org.vae4j.testkit.ConvCases;
import org.vae4j.testkit.ConvKernelChecks;

/**
 * EJML's im2col convolution on two threads (pooling runs the reference loops on EJML), with the
 * reference conv VAE's second layer added: large enough for EJML's concurrent product.
 */
class EjmlConvTest extends ConvKernelChecks {

    private static final int THREADS = 2;

    @Override
    protected List<ConvCases.Conv> convolutions() {
        List<ConvCases.Conv> all = new ArrayList<>(ConvCases.convolutions());
        all.add(new ConvCases.Conv(Shape.of(16, 32, 14, 14), Shape.of(64, 32, 4, 4),
                ConvSpec.of(2, 1)));
        return all;
    }

    @Override
    protected float[] conv2d(float[] x, Shape xs, float[] w, Shape ws, ConvSpec s, Shape ys) {
        return EjmlConv.conv2d(x, xs, w, ws, s, ys, THREADS);
    }

    @Override
    protected float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws, ConvSpec s,
            Shape xs) {
        return EjmlConv.conv2dBackwardInput(g, gs, w, ws, s, xs, THREADS);
    }

    @Override
    protected float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs,
            ConvSpec s, Shape ws) {
        return EjmlConv.conv2dBackwardFilter(x, xs, g, gs, s, ws, THREADS);
    }

    @Override
    protected float[] maxPool2d(float[] x, Shape xs, PoolSpec p, Shape ys) {
        return RowMajorConv.maxPool2d(x, xs, p, ys);
    }

    @Override
    protected float[] maxPool2dBackward(float[] x, Shape xs, float[] g, Shape gs, PoolSpec p) {
        return RowMajorConv.maxPool2dBackward(x, xs, g, gs, p);
    }

    @Override
    protected float[] avgPool2d(float[] x, Shape xs, PoolSpec p, Shape ys) {
        return RowMajorConv.avgPool2d(x, xs, p, ys);
    }

    @Override
    protected float[] avgPool2dBackward(float[] g, Shape gs, PoolSpec p, Shape xs) {
        return RowMajorConv.avgPool2dBackward(g, gs, p, xs);
    }
}
