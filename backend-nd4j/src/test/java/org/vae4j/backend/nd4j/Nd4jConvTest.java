package org.vae4j.backend.nd4j;

import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.testkit.ConvKernelChecks;

/** ND4J's convolution and pooling ops, through Nd4jConv. */
class Nd4jConvTest extends ConvKernelChecks {

    @BeforeAll
    static void loadNd4j() {
        Backends.get("nd4j");
    }

    private static long[] dims(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.dim(i);
        }
        return d;
    }

    /** Uploads the inputs, runs {@code f}, downloads its result; frees every array. */
    private static float[] run(Function<INDArray[], INDArray> f, Object... arraysAndShapes) {
        INDArray[] in = new INDArray[arraysAndShapes.length / 2];
        for (int i = 0; i < in.length; i++) {
            in[i] = Nd4jKernels.upload((float[]) arraysAndShapes[2 * i],
                    dims((Shape) arraysAndShapes[2 * i + 1]));
        }
        try {
            INDArray y = f.apply(in);
            try {
                return Nd4jKernels.download(y);
            } finally {
                Nd4jKernels.free(y);
            }
        } finally {
            Nd4jKernels.free(in);
        }
    }

    @Override
    protected float[] conv2d(float[] x, Shape xs, float[] w, Shape ws, ConvSpec s, Shape ys) {
        return run(a -> Nd4jConv.conv2d(a[0], a[1], s, dims(ys)), x, xs, w, ws);
    }

    @Override
    protected float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws, ConvSpec s,
            Shape xs) {
        // conv2d_bp reads the input's shape from an input array; its values do not matter
        return run(a -> Nd4jConv.conv2dBackwardInput(a[0], a[1], a[2], s),
                new float[xs.size()], xs, w, ws, g, gs);
    }

    @Override
    protected float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs,
            ConvSpec s, Shape ws) {
        return run(a -> Nd4jConv.conv2dBackwardFilter(a[0], a[1], a[2], s),
                x, xs, new float[ws.size()], ws, g, gs);
    }

    @Override
    protected float[] maxPool2d(float[] x, Shape xs, PoolSpec p, Shape ys) {
        return run(a -> Nd4jConv.maxPool2d(a[0], p, dims(ys)), x, xs);
    }

    @Override
    protected float[] maxPool2dBackward(float[] x, Shape xs, float[] g, Shape gs, PoolSpec p) {
        return run(a -> Nd4jConv.maxPool2dBackward(a[0], a[1], p), x, xs, g, gs);
    }

    @Override
    protected float[] avgPool2d(float[] x, Shape xs, PoolSpec p, Shape ys) {
        return run(a -> Nd4jConv.avgPool2d(a[0], p, dims(ys)), x, xs);
    }

    @Override
    protected float[] avgPool2dBackward(float[] g, Shape gs, PoolSpec p, Shape xs) {
        return run(a -> Nd4jConv.avgPool2dBackward(a[0], a[1], p), new float[xs.size()], xs,
                g, gs);
    }
}
