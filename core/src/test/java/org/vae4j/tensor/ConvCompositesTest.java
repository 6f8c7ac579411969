package org.vae4j.tensor;

import java.util.function.Function;
import org.vae4j.testkit.ConvKernelChecks;

/** The convolution and pooling composites, on the reference backend's primitives. */
class ConvCompositesTest extends ConvKernelChecks {

    private final Backend be = new ReferenceBackend();

    /** Runs {@code f} in a scope and downloads its result. */
    private float[] run(Function<Backend, Tensor> f) {
        try (TensorScope scope = be.newScope()) {
            return f.apply(be).toArray();
        }
    }

    @Override
    protected float[] conv2d(float[] x, Shape xs, float[] w, Shape ws, ConvSpec s, Shape ys) {
        return run(b -> ConvComposites.conv2d(b, b.fromArray(x, xs), b.fromArray(w, ws), s));
    }

    @Override
    protected float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws, ConvSpec s,
            Shape xs) {
        return run(b -> ConvComposites.conv2dBackwardInput(b, b.fromArray(g, gs),
                b.fromArray(w, ws), s, xs));
    }

    @Override
    protected float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs,
            ConvSpec s, Shape ws) {
        return run(b -> ConvComposites.conv2dBackwardFilter(b, b.fromArray(x, xs),
                b.fromArray(g, gs), s, ws));
    }

    @Override
    protected float[] maxPool2d(float[] x, Shape xs, PoolSpec p, Shape ys) {
        return run(b -> ConvComposites.maxPool2d(b, b.fromArray(x, xs), p));
    }

    @Override
    protected float[] maxPool2dBackward(float[] x, Shape xs, float[] g, Shape gs, PoolSpec p) {
        return run(b -> ConvComposites.maxPool2dBackward(b, b.fromArray(x, xs),
                b.fromArray(g, gs), p));
    }

    @Override
    protected float[] avgPool2d(float[] x, Shape xs, PoolSpec p, Shape ys) {
        return run(b -> ConvComposites.avgPool2d(b, b.fromArray(x, xs), p));
    }

    @Override
    protected float[] avgPool2dBackward(float[] g, Shape gs, PoolSpec p, Shape xs) {
        return run(b -> ConvComposites.avgPool2dBackward(b, b.fromArray(g, gs), p, xs));
    }
}
