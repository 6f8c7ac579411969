package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.RowMajorConv;
import org.vae4j.tensor.Shape;

/**
 * A set of convolution and pooling kernels against the reference loops of
 * {@link RowMajorConv}, on every case of {@link ConvCases} (pooling with ties). A backend's
 * kernels (or the composites) plug in by implementing the seven functions, which take and return
 * row-major arrays with the reference's signatures.
 */
public abstract class ConvKernelChecks {

    /** Tolerance of the convolution and its input gradient, per unit of the kernel's fan-in. */
    protected static final float CONV_TOLERANCE = 2e-6f;

    private final SplittableRandom rng = new SplittableRandom(17);

    protected abstract float[] conv2d(float[] x, Shape xs, float[] w, Shape ws, ConvSpec s,
            Shape ys);

    protected abstract float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws,
            ConvSpec s, Shape xs);

    protected abstract float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs,
            ConvSpec s, Shape ws);

    protected abstract float[] maxPool2d(float[] x, Shape xs, PoolSpec p, Shape ys);

    protected abstract float[] maxPool2dBackward(float[] x, Shape xs, float[] g, Shape gs,
            PoolSpec p);

    protected abstract float[] avgPool2d(float[] x, Shape xs, PoolSpec p, Shape ys);

    protected abstract float[] avgPool2dBackward(float[] g, Shape gs, PoolSpec p, Shape xs);

    /** The convolutions to check; a backend may add its own (e.g. sizes that go concurrent). */
    protected List<ConvCases.Conv> convolutions() {
        return ConvCases.convolutions();
    }

    @Test
    void convolutionAndItsGradientsMatchTheReference() {
        for (ConvCases.Conv c : convolutions()) {
            Shape ys = c.y();
            float[] x = ConvCases.random(rng, c.x());
            float[] w = ConvCases.random(rng, c.w());
            float[] g = ConvCases.random(rng, ys);
            ConvSpec s = c.spec();
            float fanIn = (float) (c.w().size() / c.w().dim(0));
            float tol = CONV_TOLERANCE * fanIn;
            // each weight gradient sums over the batch and every output position
            float filterTol = CONV_TOLERANCE * (float) (ys.size() / ys.dim(1)) * 4;
            assertArrayEquals(RowMajorConv.conv2d(x, c.x(), w, c.w(), s, ys),
                    conv2d(x, c.x(), w, c.w(), s, ys), tol, "conv2d " + c);
            assertArrayEquals(RowMajorConv.conv2dBackwardInput(g, ys, w, c.w(), s, c.x()),
                    conv2dBackwardInput(g, ys, w, c.w(), s, c.x()), tol,
                    "input gradient " + c);
            assertArrayEquals(RowMajorConv.conv2dBackwardFilter(x, c.x(), g, ys, s, c.w()),
                    conv2dBackwardFilter(x, c.x(), g, ys, s, c.w()), filterTol,
                    "weight gradient " + c);
        }
    }

    @Test
    void poolingAndItsGradientsMatchTheReferenceWithTies() {
        Shape xs = ConvCases.POOL_INPUT;
        for (PoolSpec p : ConvCases.poolings()) {
            Shape ys = p.outputShape("maxPool2d", xs);
            float[] x = ConvCases.withTies(rng, xs);
            float[] g = ConvCases.random(rng, ys);
            assertArrayEquals(RowMajorConv.maxPool2d(x, xs, p, ys), maxPool2d(x, xs, p, ys),
                    "max " + p);
            assertArrayEquals(RowMajorConv.maxPool2dBackward(x, xs, g, ys, p),
                    maxPool2dBackward(x, xs, g, ys, p), 1e-6f, "max gradient " + p);
            assertArrayEquals(RowMajorConv.avgPool2d(x, xs, p, ys), avgPool2d(x, xs, p, ys),
                    1e-6f, "avg " + p);
            assertArrayEquals(RowMajorConv.avgPool2dBackward(g, ys, p, xs),
                    avgPool2dBackward(g, ys, p, xs), 1e-6f, "avg gradient " + p);
        }
    }
}
