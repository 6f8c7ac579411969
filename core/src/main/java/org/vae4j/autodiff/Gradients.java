package org.vae4j.autodiff;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Parallel;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * Applies a node's backward rule ({@link Op#gradient}) to each input that requires a gradient,
 * sums broadcast gradients back to the inputs' shapes, and computes a large product's two
 * gradients side by side. The rules themselves are the table in {@link Op}.
 */
final class Gradients {

    /** Elements of a weight gradient from which it is worth a second thread. */
    private static final int SIDE_BY_SIDE_ELEMENTS = 1 << 15;

    private Gradients() {
    }

    /**
     * The gradients with respect to the inputs of {@code node} that require one, each in that
     * input's shape (null for the others). What the op {@linkplain Op#shared shares} between its
     * inputs is computed first, on this thread, once.
     */
    static Tensor[] inputGradients(Variable node, Tensor g) {
        Op op = node.op();
        RuleContext c = new RuleContext(node, g);
        c.prepareShared(op);
        Tensor[] grads = new Tensor[node.parentCount()];
        int aside = inputAside(node, op, c);
        Parallel.Forked<Tensor> forked = aside < 0 ? null
                : Parallel.forThreads(c.be.threads()).fork(() -> {
            try (TensorScope scope = c.be.newScope()) {
                return scope.keep(sumToShape(c.be, op.gradient(c, aside), c.shape(aside)));
            }
        });
        try {
            for (int i = 0; i < grads.length; i++) {
                if (i != aside && node.parent(i).requiresGrad()) {
                    grads[i] = sumToShape(c.be, op.gradient(c, i), c.shape(i));
                }
            }
        } catch (RuntimeException | Error e) {
            if (forked != null) {
                try {
                    forked.join().close();
                } catch (RuntimeException | Error suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        if (forked != null) {
            grads[aside] = TensorScope.adopt(forked.join());
        }
        return grads;
    }

    /**
     * The input whose gradient a {@link Parallel} worker computes while this thread computes the
     * others, or -1: the weight's, for a large product whose other input needs a gradient too
     * (a decoder's output layer: the two products, each as large as the forward one, then run at
     * once on two cores).
     */
    private static int inputAside(Variable node, Op op, RuleContext c) {
        if (!op.independentInputs() || c.be.threads() < 2
                || !node.parent(0).requiresGrad() || !node.parent(1).requiresGrad()
                || c.shape(1).size() < SIDE_BY_SIDE_ELEMENTS) {
            return -1;
        }
        return 1;
    }

    /** Sums a broadcast gradient back to {@code shape}: over leading axes and axes of size 1. */
    static Tensor sumToShape(Backend be, Tensor g, Shape shape) {
        Shape gs = g.shape();
        if (gs.equals(shape)) {
            return g;
        }
        int extra = gs.rank() - shape.rank();
        int[] axes = new int[gs.rank()];
        int n = 0;
        for (int a = 0; a < gs.rank(); a++) {
            if (a < extra || (shape.dim(a - extra) == 1 && gs.dim(a) != 1)) {
                axes[n++] = a;
            }
        }
        Tensor summed = n == 0 ? g : be.sum(g, true, java.util.Arrays.copyOf(axes, n));
        return be.reshape(summed, shape);
    }
}
