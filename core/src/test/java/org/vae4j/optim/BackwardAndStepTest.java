package org.vae4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.nn.Activation;
import org.vae4j.nn.Mlp;
import org.vae4j.nn.Parameter;
import org.vae4j.nn.Sequential;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.TensorScope;

/**
 * {@link Optimizer#backwardAndStep} updates parameters beside the backward pass on a backend with
 * two threads; it must give exactly what {@code backward()} then {@code step()} gives.
 */
class BackwardAndStepTest {

    private static final int STEPS = 4;

    private static Sequential net(Backend be) {
        return Mlp.builder().setSizes(12, 16, 8, 12).optHidden(Activation.RELU).build(be,
                new Rng(7));
    }

    private static void train(Backend be, Sequential net, Optimizer opt, boolean overlapped) {
        Rng data = new Rng(3);
        for (int i = 0; i < STEPS; i++) {
            try (TensorScope s = be.newScope()) {
                Variable x = Variable.constant(be, data.normal(5 * 12, 0, 1), 5, 12);
                Variable loss = net.forward(x).sub(x).square().sum();
                if (overlapped) {
                    opt.backwardAndStep(loss);
                } else {
                    loss.backward();
                    opt.step();
                }
            }
        }
    }

    @Test
    void overlappedUpdatesEqualBackwardThenStep() {
        Backend twoThreads = new ReferenceBackend(2);
        Backend oneThread = new ReferenceBackend(1);
        long liveBefore = twoThreads.liveTensors();
        try (Sequential a = net(twoThreads); Sequential b = net(oneThread);
                Adam overlapped = new Adam(a.parameters(), 0.01);
                Adam sequential = new Adam(b.parameters(), 0.01)) {
            train(twoThreads, a, overlapped, true);
            train(oneThread, b, sequential, false);

            assertEquals(sequential.stepCount(), overlapped.stepCount());
            for (Map.Entry<String, Parameter> e : b.parameters().entrySet()) {
                Parameter p = a.parameters().get(e.getKey());
                assertArrayEquals(e.getValue().toArray(), p.toArray(), e.getKey());
                assertNull(p.grad(), "gradients are consumed: " + e.getKey());
            }
            OptimizerState got = overlapped.state();
            sequential.state().buffers().forEach((k, v) ->
                    assertArrayEquals(v, got.buffers().get(k), k));
        }
        assertEquals(liveBefore, twoThreads.liveTensors(), "tensors left open");
    }

    @Test
    void aFailingUpdateSurfacesAfterEveryUpdateHasFinished() {
        Backend be = new ReferenceBackend(2);
        try (Sequential net = net(be);
                Optimizer failing = new AbstractOptimizer(net.parameters(), 0.1) {
                    @Override
                    protected org.vae4j.tensor.Tensor[] update(Backend b, Parameter p,
                            org.vae4j.tensor.Tensor grad, org.vae4j.tensor.Tensor[] state,
                            long t) {
                        throw new IllegalStateException("update failed");
                    }
                }) {
            try (TensorScope s = be.newScope()) {
                Rng data = new Rng(3);
                Variable x = Variable.constant(be, data.normal(5 * 12, 0, 1), 5, 12);
                Variable loss = net.forward(x).sub(x).square().sum();
                IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalStateException.class, () -> failing.backwardAndStep(loss));
                assertEquals("update failed", e.getMessage());
            }
        }
    }

    /**
     * Ordering rule 2 of {@link org.vae4j.tensor.Parallel}: a parameter's in-place update may
     * start only after the last rule that reads it. Here {@code w} is read twice, by the rule
     * nearest the loss and by the one farthest from it (tied weights, large enough for the
     * side-by-side gradients and the split in-place Adam kernel); were its update started
     * before that last read, the gradient of {@code a} would be computed from updated values
     * and the two runs would differ.
     */
    @Test
    void anUpdateStartsOnlyAfterTheLastReadOfItsParameter() {
        int n = 192;
        Backend twoThreads = new ReferenceBackend(2);
        Backend oneThread = new ReferenceBackend(1);
        float[][] results = new float[2][];
        Backend[] backends = {twoThreads, oneThread};
        for (int r = 0; r < 2; r++) {
            Backend be = backends[r];
            Rng init = new Rng(11);
            try (Parameter w = new Parameter(be.fromArray(init.normal(n * n, 0, 0.05f), n, n));
                    Parameter a = new Parameter(be.fromArray(init.normal(n * n, 0, 0.05f), n, n));
                    Adam adam = new Adam(Map.of("w", w, "a", a), 0.05)) {
                Rng data = new Rng(5);
                for (int i = 0; i < STEPS; i++) {
                    try (TensorScope s = be.newScope()) {
                        Variable x = Variable.constant(be, data.normal(4 * n, 0, 1), 4, n);
                        // w first (read by a's gradient last), then a, then w again.
                        Variable h = x.matmul(w).relu().matmul(a).relu().matmul(w);
                        Variable loss = h.sub(x).square().sum();
                        if (r == 0) {
                            adam.backwardAndStep(loss);
                        } else {
                            loss.backward();
                            adam.step();
                        }
                    }
                }
                float[] wa = w.toArray();
                float[] aa = a.toArray();
                float[] both = java.util.Arrays.copyOf(wa, wa.length + aa.length);
                System.arraycopy(aa, 0, both, wa.length, aa.length);
                results[r] = both;
            }
        }
        assertArrayEquals(results[1], results[0]);
    }
}
