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
import org.vae4j.tensor.BackwardKernels;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.Composites;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * Elementwise kernels and chains of the reference VAE's step at its sizes: the decoder's logits
 * (128x784), a hidden layer (128x400) and the latent code (128x20). Each fused op is measured
 * beside its definition from primitives.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ElementwiseBenchmark {

    @Param({"128x784", "128x400", "128x20"})
    public String size;

    private Tensor x;
    private Tensor y;
    private Tensor target;
    private Tensor g;
    private Tensor scalar;

    @Setup
    public void inputs(BackendState s) {
        Shape shape = BackendState.shape(size);
        x = s.normal(shape, 3);
        y = s.be.unary(UnaryOp.RELU, s.normal(shape, 1));
        target = s.uniform(shape, 0, 1);
        g = s.normal(shape, 1);
        scalar = s.normal(Shape.scalar(), 1);
        org.vae4j.tensor.TensorScope.untrack(y);
    }

    @Benchmark
    public Tensor add(BackendState s) {
        return s.be.add(x, g);
    }

    @Benchmark
    public Tensor mulByScalar(BackendState s) {
        return s.be.mul(x, scalar);
    }

    @Benchmark
    public Tensor exp(BackendState s) {
        return s.be.unary(UnaryOp.EXP, x);
    }

    @Benchmark
    public Tensor sigmoid(BackendState s) {
        return s.be.unary(UnaryOp.SIGMOID, x);
    }

    @Benchmark
    public Tensor softplus(BackendState s) {
        return s.be.unary(UnaryOp.SOFTPLUS, x);
    }

    @Benchmark
    public Tensor step(BackendState s) {
        return s.be.unary(UnaryOp.STEP, x);
    }

    /** The reparameterisation chain {@code μ + exp(½·lv)·ε}. */
    @Benchmark
    public Tensor reparameterizeChain(BackendState s) {
        return s.be.add(x, s.be.mul(s.be.unary(UnaryOp.EXP,
                s.be.mul(g, s.be.scalar(0.5f))), target));
    }

    @Benchmark
    public Tensor reluBackward(BackendState s) {
        return BackwardKernels.reluBackward(s.be, g, y);
    }

    @Benchmark
    public Tensor reluBackwardDefinition(BackendState s) {
        return Composites.reluBackward(s.be, g, y);
    }

    @Benchmark
    public Tensor bceWithLogitsSum(BackendState s) {
        return s.be.bceWithLogitsSum(x, target);
    }

    @Benchmark
    public Tensor bceWithLogitsSumDefinition(BackendState s) {
        return Composites.bceWithLogitsSum(s.be, x, target);
    }

    @Benchmark
    public Tensor bceWithLogitsBackward(BackendState s) {
        return BackwardKernels.bceWithLogitsBackward(s.be, x, target, scalar);
    }

    @Benchmark
    public Tensor bceWithLogitsBackwardDefinition(BackendState s) {
        return Composites.bceWithLogitsBackward(s.be, x, target, scalar);
    }

    @Benchmark
    public Tensor maxWithNaNs(BackendState s) {
        return s.be.binary(BinaryOp.MAX, x, g);
    }
}
