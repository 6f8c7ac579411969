package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import java.util.function.Function;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackwardKernels;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.RowMajorConv;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * A backend's convolution and pooling, through its front door (its convolution family, or the
 * composites where it has none), against the reference loops of {@link RowMajorConv}, on every
 * case of {@link ConvCases} (pooling with ties). A backend module adds a subclass that returns
 * its backend.
 */
public abstract class ConvChecks {

    /** Tolerance of the convolution and its input gradient, per unit of the kernel's fan-in. */
    protected static final float CONV_TOLERANCE = 2e-6f;

    private final SplittableRandom rng = new SplittableRandom(17);

    protected abstract Backend backend();

    /** Runs {@code f} on the backend in a scope of its own and downloads the result. */
    private float[] run(Function<Backend, Tensor> f) {
        Backend be = backend();
        try (TensorScope scope = be.newScope()) {
            return f.apply(be).toArray();
        }
    }

    private float[] conv2d(float[] x, Shape xs, float[] w, Shape ws, ConvSpec s) {
        return run(b -> b.conv2d(b.fromArray(x, xs), b.fromArray(w, ws), s));
    }

    private float[] conv2dBackwardInput(float[] g, Shape gs, float[] w, Shape ws, ConvSpec s,
            Shape xs) {
        return run(b -> BackwardKernels.conv2dBackwardInput(b, b.fromArray(g, gs),
                b.fromArray(w, ws), s, xs));
    }

    private float[] conv2dBackwardFilter(float[] x, Shape xs, float[] g, Shape gs, ConvSpec s,
            Shape ws) {
        return run(b -> BackwardKernels.conv2dBackwardFilter(b, b.fromArray(x, xs),
                b.fromArray(g, gs), s, ws));
    }

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
                    conv2d(x, c.x(), w, c.w(), s), tol, "conv2d " + c);
            assertArrayEquals(RowMajorConv.conv2dBackwardInput(g, ys, w, c.w(), s, c.x()),
                    conv2dBackwardInput(g, ys, w, c.w(), s, c.x()), tol,
                    "input gradient " + c);
            assertArrayEquals(RowMajorConv.conv2dBackwardFilter(x, c.x(), g, ys, s, c.w()),
                    conv2dBackwardFilter(x, c.x(), g, ys, s, c.w()), filterTol,
                    "weight gradient " + c);
        }
    }

    @Test
    void theTransposedConvolutionIsTheInputGradient() {
        ConvSpec s = ConvSpec.of(2, 1);
        Shape xs = Shape.of(2, 3, 4, 4);
        Shape ws = Shape.of(3, 5, 4, 4);
        float[] x = ConvCases.random(rng, xs);
        float[] w = ConvCases.random(rng, ws);
        Shape out = s.transposedOutputShape(xs, ws, 0, 0);
        assertArrayEquals(RowMajorConv.conv2dBackwardInput(x, xs, w, ws, s, out),
                run(b -> b.convTranspose2d(b.fromArray(x, xs), b.fromArray(w, ws), s, 0, 0)),
                CONV_TOLERANCE * 48, "convTranspose2d " + xs + " " + ws);
    }

    @Test
    void emptyBatchesGiveEmptyResults() {
        ConvSpec s = ConvSpec.of(1, 1);
        float[] y = run(b -> b.conv2d(b.zeros(Shape.of(0, 2, 5, 5)), b.ones(Shape.of(3, 2, 3, 3)),
                s));
        assertArrayEquals(new float[0], y);
        assertArrayEquals(new float[0], run(b -> b.maxPool2d(b.zeros(Shape.of(0, 2, 4, 4)),
                PoolSpec.of(2, 2))));
    }

    @Test
    void poolingAndItsGradientsMatchTheReferenceWithTies() {
        Shape xs = ConvCases.POOL_INPUT;
        for (PoolSpec p : ConvCases.poolings()) {
            Shape ys = p.outputShape("maxPool2d", xs);
            float[] x = ConvCases.withTies(rng, xs);
            float[] g = ConvCases.random(rng, ys);
            assertArrayEquals(RowMajorConv.maxPool2d(x, xs, p, ys),
                    run(b -> b.maxPool2d(b.fromArray(x, xs), p)), "max " + p);
            assertArrayEquals(RowMajorConv.maxPool2dBackward(x, xs, g, ys, p),
                    run(b -> BackwardKernels.maxPool2dBackward(b, b.fromArray(x, xs),
                            b.fromArray(g, ys), p)), 1e-6f, "max gradient " + p);
            assertArrayEquals(RowMajorConv.avgPool2d(x, xs, p, ys),
                    run(b -> b.avgPool2d(b.fromArray(x, xs), p)), 1e-6f, "avg " + p);
            assertArrayEquals(RowMajorConv.avgPool2dBackward(g, ys, p, xs),
                    run(b -> BackwardKernels.avgPool2dBackward(b, b.fromArray(g, ys), p, xs)),
                    1e-6f, "avg gradient " + p);
        }
    }
}
