package org.vae4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/**
 * On a backend with two threads, a large product's weight gradient is computed on a worker while
 * the input gradient is computed on the caller; the gradients must be exactly those of one
 * thread, and every tensor of the pass must still be freed with its scope.
 */
class SideBySideGradientsTest {

    private static float[][] gradients(Backend be, boolean viaLinear) {
        Rng rng = new Rng(11);
        // A 256x128 weight: large enough to be computed on the worker.
        try (TensorScope scope = be.newScope()) {
            Variable x = Variable.leaf(be.fromArray(rng.normal(8 * 256, 0, 1), Shape.of(8, 256)));
            Variable w = Variable.leaf(be.fromArray(rng.normal(256 * 128, 0, 0.1),
                    Shape.of(256, 128)));
            Variable b = Variable.leaf(be.fromArray(rng.normal(128, 0, 0.1), Shape.of(128)));
            Variable y = viaLinear ? Variable.linear(x, w, b) : x.matmul(w).add(b);
            y.tanh().square().sum().backward();
            return new float[][] {x.grad().toArray(), w.grad().toArray(), b.grad().toArray()};
        }
    }

    @Test
    void weightAndInputGradientsOnTwoThreadsEqualOneThread() {
        Backend two = new ReferenceBackend(2);
        Backend one = new ReferenceBackend(1);
        for (boolean viaLinear : new boolean[] {true, false}) {
            long before = two.liveTensors();
            float[][] got = gradients(two, viaLinear);
            float[][] expected = gradients(one, viaLinear);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], got[i], "gradient " + i + " linear=" + viaLinear);
            }
            assertEquals(before, two.liveTensors(), "tensors left open");
        }
    }
}
