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
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.Composites;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The Adam update of one parameter of the reference VAE: in place on tensors outside any scope
 * (as the optimizer runs it), and the pure definition from primitives.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdamBenchmark {

    /** The two big weights, the small weight and a bias. */
    @Param({"784x400", "400x40", "400"})
    public String size;

    private Tensor param;
    private Tensor grad;
    private Tensor m;
    private Tensor v;
    private final AdamStep step = AdamStep.of(1e-3, 0.9, 0.999, 1e-8, 100);

    @Setup
    public void inputs(BackendState s) {
        Shape shape = BackendState.shape(size);
        param = s.normal(shape, 0.05);
        grad = s.normal(shape, 1e-3);
        m = s.normal(shape, 1e-4);
        v = s.uniform(shape, 1e-8, 1e-6);
    }

    @Benchmark
    public AdamStep.Result adamUpdateInPlace(BackendState s) {
        return s.be.adamUpdate(param, grad, m, v, step);
    }

    @Benchmark
    public AdamStep.Result adamUpdateDefinition(BackendState s) {
        return Composites.adamUpdate(s.be, param, grad, m, v, step);
    }
}
