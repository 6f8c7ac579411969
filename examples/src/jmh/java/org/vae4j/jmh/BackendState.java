package org.vae4j.jmh;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The backend a benchmark runs on ({@code -p backend=nd4j}), with a scope per invocation so that
 * every result is freed as a training step frees it. Inputs are made once per trial, outside any
 * scope, from a fixed seed.
 */
@State(Scope.Thread)
public class BackendState {

    @Param({"ejml", "nd4j", "tensorflow"})
    public String backend;

    public Backend be;
    private final Rng rng = new Rng(1);
    private TensorScope invocation;

    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void createBackend() {
        be = Backends.get(backend);
    }

    @Setup(org.openjdk.jmh.annotations.Level.Invocation)
    public void openScope() {
        invocation = be.newScope();
    }

    @TearDown(org.openjdk.jmh.annotations.Level.Invocation)
    public void closeScope() {
        invocation.close();
    }

    /** A tensor outside any scope with values from N(0, scale²). */
    public Tensor normal(Shape shape, double scale) {
        return TensorScope.untrack(be.fromArray(rng.normal(shape.size(), 0, scale), shape));
    }

    /** A tensor outside any scope with values uniform in [low, high). */
    public Tensor uniform(Shape shape, double low, double high) {
        return TensorScope.untrack(be.fromArray(rng.uniform(shape.size(), low, high), shape));
    }

    /** {@code "128x784"} as a shape. */
    public static Shape shape(String dims) {
        String[] parts = dims.split("x");
        int[] d = new int[parts.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Integer.parseInt(parts[i].trim());
        }
        return Shape.of(d);
    }
}
