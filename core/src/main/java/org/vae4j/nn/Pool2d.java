package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.PoolSpec;

/** 2-D max or average pooling of {@code (N x C x H x W)} inputs, PyTorch's pooling layers. */
public final class Pool2d implements Layer {

    /** Which statistic of each window. */
    public enum Kind {
        /** The largest value; the gradient goes to the first maximum. */
        MAX,
        /** The mean, padded zeros counted. */
        AVERAGE
    }

    private final Kind kind;
    private final PoolSpec spec;

    public Pool2d(Kind kind, PoolSpec spec) {
        this.kind = kind;
        this.spec = spec;
    }

    /** Max pooling with a {@code size x size} window and the same stride. */
    public static Pool2d max(int size) {
        return new Pool2d(Kind.MAX, PoolSpec.of(size, size));
    }

    /** Average pooling with a {@code size x size} window and the same stride. */
    public static Pool2d average(int size) {
        return new Pool2d(Kind.AVERAGE, PoolSpec.of(size, size));
    }

    @Override
    public Variable forward(Variable x) {
        return kind == Kind.MAX ? x.maxPool2d(spec) : x.avgPool2d(spec);
    }

    @Override
    public String toString() {
        return (kind == Kind.MAX ? "MaxPool2d(" : "AvgPool2d(") + spec + ")";
    }
}
