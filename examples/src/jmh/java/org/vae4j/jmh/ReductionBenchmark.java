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
 * Reductions of the step: a bias gradient (sum over the batch), a loss (sum of everything) and
 * the Gaussian KL of the latent code, fused and from its definition.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReductionBenchmark {

    @Param({"128x784", "128x400", "128x20"})
    public String size;

    private Tensor x;
    private Tensor logVar;

    @Setup
    public void inputs(BackendState s) {
        Shape shape = BackendState.shape(size);
        x = s.normal(shape, 1);
        logVar = s.normal(shape, 0.5);
    }

    @Benchmark
    public Tensor sumOverBatch(BackendState s) {
        return s.be.sum(x, false, 0);
    }

    @Benchmark
    public Tensor sumAll(BackendState s) {
        return s.be.sum(x, false);
    }

    @Benchmark
    public Tensor sumOverFeatures(BackendState s) {
        return s.be.sum(x, true, 1);
    }

    @Benchmark
    public Tensor gaussianKl(BackendState s) {
        return s.be.gaussianKl(x, logVar);
    }

    @Benchmark
    public Tensor gaussianKlDefinition(BackendState s) {
        return Composites.gaussianKl(s.be, x, logVar);
    }
}
