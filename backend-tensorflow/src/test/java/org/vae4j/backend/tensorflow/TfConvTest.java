package org.vae4j.backend.tensorflow;

import java.util.function.Function;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.testkit.ConvKernelChecks;

/** TensorFlow's convolution and pooling kernels, through TfConv. */
class TfConvTest extends ConvKernelChecks {

    private final TfEager eager = TfEager.shared(2);
    private final TfConv conv = new TfConv(eager);

    /** Uploads the inputs, runs {@code f}, downloads {@code out} values; deletes every handle. */
    private float[] run(Shape out, Function<TFE_TensorHandle[], TFE_TensorHandle> f,
            Object... arraysAndShapes) {
        TFE_TensorHandle[] in = new TFE_TensorHandle[arraysAndShapes.length / 2];
        for (int i = 0; i < in.length; i++) {
            in[i] = eager.upload((float[]) arraysAndShapes[2 * i],
                    ((Shape) arraysAndShapes[2 * i + 1]).dims());
        }
        try {
            TFE_TensorHandle y = f.apply(in);
            try {
                return eager.download(y, out.size());
            } finally {
                TfEager.delete(y);
            }
        } finally {
            for (TFE_TensorHandle h : in) {
                TfEager.delete(h);
            }
        }
    }

    @Override
    protected float[] conv2d(float[] x, Shape xs, float[] w, Shape ws, ConvSpec s, Shape ys) {
        return run(ys, h -> conv.conv2d(h[0], h[1], s), x, xs, w, ws);
    }

    @Override
    protected float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws, ConvSpec s,
            Shape xs) {
        return run(xs, h -> conv.conv2dBackwardInput(h[0], h[1], ws, s, xs), g, gs, w, ws);
    }

    @Override
    protected float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs,
            ConvSpec s, Shape ws) {
        return run(ws, h -> conv.conv2dBackwardFilter(h[0], h[1], s, ws), x, xs, g, gs);
    }

    @Override
    protected float[] maxPool2d(float[] x, Shape xs, PoolSpec p, Shape ys) {
        return run(ys, h -> conv.maxPool2d(h[0], p), x, xs);
    }

    @Override
    protected float[] maxPool2dBackward(float[] x, Shape xs, float[] g, Shape gs, PoolSpec p) {
        return run(xs, h -> conv.maxPool2dBackward(h[0], h[1], p, xs), x, xs, g, gs);
    }

    @Override
    protected float[] avgPool2d(float[] x, Shape xs, PoolSpec p, Shape ys) {
        return run(ys, h -> conv.avgPool2d(h[0], p), x, xs);
    }

    @Override
    protected float[] avgPool2dBackward(float[] g, Shape gs, PoolSpec p, Shape xs) {
        return run(xs, h -> conv.avgPool2dBackward(h[0], p, xs), g, gs);
    }
}
