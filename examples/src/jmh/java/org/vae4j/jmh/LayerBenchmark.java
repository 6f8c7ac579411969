package org.vae4j.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vae4j.tensor.Composites;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The reference VAE's layers forward ({@code batch x in x out}): {@code linear}, the fused
 * {@code linearRelu} and its definition {@code relu(linear)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LayerBenchmark {

    @Param({"128x784x400", "128x400x40", "128x20x400", "128x400x784"})
    public String layer;

    private Tensor x;
    private Tensor w;
    private Tensor b;

    @Setup
    public void inputs(BackendState s) {
        Shape nio = BackendState.shape(layer);
        x = s.normal(Shape.of(nio.dim(0), nio.dim(1)), 1);
        w = s.normal(Shape.of(nio.dim(1), nio.dim(2)), 0.05);
        b = s.normal(Shape.of(nio.dim(2)), 0.1);
    }

    @Benchmark
    public Tensor linear(BackendState s) {
        return s.be.linear(x, w, b);
    }

    @Benchmark
    public Tensor linearRelu(BackendState s) {
        return s.be.linearRelu(x, w, b);
    }

    @Benchmark
    public Tensor linearReluDefinition(BackendState s) {
        return Composites.linearRelu(s.be, x, w, b);
    }
}
