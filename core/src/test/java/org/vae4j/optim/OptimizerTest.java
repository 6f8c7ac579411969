package org.vae4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.ReferenceBackend;

/**
 * The optimizers against the PyTorch update formulas evaluated by hand (in double precision) on
 * {@code f(p) = Σ (p - c)²}, {@code c = (0.5, 1)}, from {@code p = (1, -2)}.
 */
class OptimizerTest {

    private final Backend be = new ReferenceBackend();

    private Parameter start() {
        return new Parameter(be.fromArray(new float[] {1, -2}, 2));
    }

    private void steps(Parameter p, Optimizer opt, int n) {
        for (int i = 0; i < n; i++) {
            try (TensorScope s = be.newScope()) {
                Variable c = Variable.constant(be, new float[] {0.5f, 1f}, 2);
                p.sub(c).square().sum().backward();
                opt.step();
            }
        }
    }

    @Test
    void adamMatchesThePyTorchFormula() {
        try (Parameter p = start(); Adam adam = new Adam(Map.of("p", p), 0.1)) {
            steps(p, adam, 1);
            assertArrayEquals(new float[] {0.900000001f, -1.9000000001666666f}, p.toArray(), 1e-6f);
            steps(p, adam, 2);
            assertArrayEquals(new float[] {0.7048712525602996f, -1.7003815234507471f},
                    p.toArray(), 1e-6f);
            OptimizerState st = adam.state();
            assertEquals(3, st.step());
            assertArrayEquals(new float[] {0.2132374845118333f, -1.5680205415129573f},
                    st.buffers().get("p.exp_avg"), 1e-6f);
            assertArrayEquals(new float[] {0.002000216455059589f, 0.1008966966921494f},
                    st.buffers().get("p.exp_avg_sq"), 1e-7f);
        }
    }

    @Test
    void sgdWithMomentumMatchesThePyTorchFormula() {
        try (Parameter p = start(); Sgd sgd = new Sgd(Map.of("p", p), 0.1, 0.9)) {
            steps(p, sgd, 1);
            assertArrayEquals(new float[] {0.9f, -1.4f}, p.toArray(), 1e-6f);
            steps(p, sgd, 2);
            assertArrayEquals(new float[] {0.531f, 0.814f}, p.toArray(), 1e-5f);
            assertArrayEquals(new float[] {1.99f, -11.94f},
                    sgd.state().buffers().get("p.momentum_buffer"), 1e-5f);
        }
    }

    @Test
    void plainSgdKeepsNoState() {
        try (Parameter p = start(); Sgd sgd = new Sgd(Map.of("p", p), 0.25)) {
            steps(p, sgd, 1);
            // p - 0.25·2(p - c)
            assertArrayEquals(new float[] {0.75f, -0.5f}, p.toArray(), 1e-6f);
            assertEquals(0, sgd.state().buffers().size());
        }
    }

    @Test
    void stepClearsTheGradients() {
        try (Parameter p = start(); Sgd sgd = new Sgd(Map.of("p", p), 0.1)) {
            steps(p, sgd, 1);
            assertNull(p.grad());
        }
    }

    @Test
    void aRunResumedFromSavedStateContinuesExactly() {
        Function<Map<String, Parameter>, Optimizer> make = ps -> new Adam(ps, 0.05);
        try (Parameter a = start(); Optimizer optA = make.apply(Map.of("p", a))) {
            steps(a, optA, 5);
            try (Parameter b = new Parameter(be.fromArray(a.toArray(), 2));
                 Optimizer optB = make.apply(Map.of("p", b))) {
                optB.loadState(optA.state());
                steps(a, optA, 4);
                steps(b, optB, 4);
                assertArrayEquals(a.toArray(), b.toArray(), 0f);
                assertEquals(optA.stepCount(), optB.stepCount());
            }
        }
    }

    @Test
    void loadStateRejectsUnknownOrMisSizedBuffers() {
        try (Parameter p = start(); Adam adam = new Adam(Map.of("p", p), 0.1)) {
            long live = be.liveTensors();
            assertThrows(IllegalArgumentException.class, () -> adam.loadState(
                    new OptimizerState(1, Map.of("q.exp_avg", new float[2]))));
            assertThrows(IllegalArgumentException.class, () -> adam.loadState(
                    new OptimizerState(1, Map.of("p.exp_avg", new float[3]))));
            assertEquals(live, be.liveTensors(), "a rejected state leaves nothing behind");
        }
    }

    @Test
    void learningRateCanBeChangedBetweenSteps() {
        try (Parameter p = start(); Sgd sgd = new Sgd(Map.of("p", p), 0.1)) {
            sgd.setLearningRate(0);
            steps(p, sgd, 1);
            assertArrayEquals(new float[] {1, -2}, p.toArray(), 0f);
            assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(-1));
        }
    }

    @Test
    void optimizerStateIsFreedOnClose() {
        long before = be.liveTensors();
        try (Parameter p = new Parameter(be.zeros(Shape.of(2)))) {
            Adam adam = new Adam(Map.of("p", p), 0.1);
            steps(p, adam, 2);
            assertEquals(before + 1 + 2, be.liveTensors());
            adam.close();
        }
        assertEquals(before, be.liveTensors());
    }
}
