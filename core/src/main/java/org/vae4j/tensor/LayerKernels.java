package org.vae4j.tensor;

/**
 * Optional kernel family: a dense layer's forward pass fused. Inputs are non-empty and checked:
 * x {@code (n x in)}, weight {@code (in x out)}, bias {@code (out)}; the result is
 * {@code (n x out)}.
 *
 * <p>Each kernel's default is its definition in {@link Composites}, run on the tensors' backend:
 * what runs when a backend leaves the family out, and what a kernel added to the family later
 * runs on a backend that declares the family but predates the kernel (so it keeps compiling;
 * {@code vae4j backends} and the conformance kit show the kernel as composite).
 */
public interface LayerKernels {

    /** {@code x·w + b}. */
    default Tensor linear(Tensor x, Tensor w, Tensor b) {
        return Composites.linear(x.backend(), x, w, b);
    }

    /** {@code relu(x·w + b)}. */
    default Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        return Composites.linearRelu(x.backend(), x, w, b);
    }
}
