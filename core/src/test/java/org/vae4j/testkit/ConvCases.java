package org.vae4j.testkit;

import java.util.List;
import java.util.SplittableRandom;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.PoolSpec;
import org.vae4j.tensor.Shape;

/**
 * The convolution and pooling settings every conv check runs: strides and padding per axis,
 * dilation, 1x1, odd and input-sized kernels, channel counts that are not powers of two, and
 * pooling windows that overlap, pad or tie.
 */
public final class ConvCases {

    /** One convolution: input {@code (N x C x H x W)}, weight {@code (O x C x kH x kW)}. */
    public record Conv(Shape x, Shape w, ConvSpec spec) {

        public Shape y() {
            return spec.outputShape(x, w);
        }

        @Override
        public String toString() {
            return x + " * " + w + ", " + spec;
        }
    }

    private ConvCases() {
    }

    public static List<Conv> convolutions() {
        return List.of(
                new Conv(Shape.of(2, 3, 7, 6), Shape.of(5, 3, 3, 3), ConvSpec.of(1, 1)),
                new Conv(Shape.of(1, 1, 8, 8), Shape.of(4, 1, 4, 4), ConvSpec.of(2, 1)),
                new Conv(Shape.of(3, 2, 9, 7), Shape.of(3, 2, 3, 2), new ConvSpec(2, 3, 1, 0, 2, 1)),
                new Conv(Shape.of(2, 5, 4, 4), Shape.of(7, 5, 1, 1), ConvSpec.of(1, 0)),
                new Conv(Shape.of(1, 3, 5, 5), Shape.of(2, 3, 5, 5), ConvSpec.of(1, 2)));
    }

    /** The input every pooling check uses. */
    public static final Shape POOL_INPUT = Shape.of(2, 3, 7, 5);

    public static List<PoolSpec> poolings() {
        return List.of(PoolSpec.of(2, 2), new PoolSpec(3, 2, 2, 1, 1, 1), PoolSpec.of(1, 1),
                new PoolSpec(3, 3, 1, 1, 1, 1));
    }

    /** Values uniform in [-1, 1). */
    public static float[] random(SplittableRandom rng, Shape s) {
        float[] a = new float[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** Random values, every other one rounded to a half, so that windows hold equal maxima. */
    public static float[] withTies(SplittableRandom rng, Shape s) {
        float[] a = random(rng, s);
        for (int i = 0; i < a.length; i += 2) {
            a[i] = Math.round(a[i] * 2) / 2f;
        }
        return a;
    }
}
