package org.vae4j.consistency;

import java.util.function.DoubleUnaryOperator;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ForwardingCoreKernels;
import org.vae4j.tensor.Kernels;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * A deliberately broken backend for tests: the reference backend's kernels in every op except
 * one unary op, whose every result it passes through {@code skew} (e.g.
 * {@code v -> v * (1 + 1e-4)}, as a kernel that drifted would). It wraps the reference's core
 * kernels and overrides only that one.
 */
public final class SkewedBackend extends Backend {

    /** A backend called {@code name} whose {@code skewed} op's results pass through {@code skew}. */
    public SkewedBackend(String name, UnaryOp skewed, DoubleUnaryOperator skew) {
        super(name);
        Kernels reference = ReferenceBackend.kernels(this);
        install(reference.withCore(new ForwardingCoreKernels(reference.core()) {
            @Override
            public Tensor unary(UnaryOp op, Tensor x) {
                Tensor r = delegate().unary(op, x);
                if (op != skewed) {
                    return r;
                }
                float[] v = delegate().download(r);
                r.close();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) skew.applyAsDouble(v[i]);
                }
                return delegate().upload(v, x.shape());
            }
        }));
    }
}
