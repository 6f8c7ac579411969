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
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The reference VAE's matrix products (batch 128, 784-400-20), each with the transpose flags the
 * training step uses: {@code M x K x N} then {@code NN}, {@code TN} (aᵀ·b, a weight gradient) or
 * {@code NT} (a·bᵀ, an input gradient).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatmulBenchmark {

    /** Forward layers, then the big layers' gradients, then a small one. */
    @Param({"128x784x400:NN", "128x400x784:NN", "400x128x784:TN", "784x128x400:TN",
        "128x784x400:NT", "128x400x40:NN", "400x128x40:TN"})
    public String product;

    private Tensor a;
    private Tensor b;
    private boolean transA;
    private boolean transB;

    @Setup
    public void inputs(BackendState s) {
        String[] parts = product.split(":");
        Shape mkn = BackendState.shape(parts[0]);
        int m = mkn.dim(0);
        int k = mkn.dim(1);
        int n = mkn.dim(2);
        transA = parts[1].charAt(0) == 'T';
        transB = parts[1].charAt(1) == 'T';
        a = s.normal(transA ? Shape.of(k, m) : Shape.of(m, k), 1);
        b = s.normal(transB ? Shape.of(n, k) : Shape.of(k, n), 0.05);
    }

    @Benchmark
    public Tensor matmul(BackendState s) {
        return s.be.matmul(a, transA, b, transB);
    }
}
