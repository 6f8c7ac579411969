package org.vae4j.tensor;

/**
 * Optional kernel family: a dense layer's forward pass fused. Without it the front door runs
 * {@link Composites#linear} and {@link Composites#linearRelu}. Inputs are non-empty and checked:
 * x {@code (n x in)}, weight {@code (in x out)}, bias {@code (out)}; the result is
 * {@code (n x out)}.
 */
public interface LayerKernels {

    /** {@code x·w + b}. */
    Tensor linear(Tensor x, Tensor w, Tensor b);

    /** {@code relu(x·w + b)}. */
    Tensor linearRelu(Tensor x, Tensor w, Tensor b);
}
