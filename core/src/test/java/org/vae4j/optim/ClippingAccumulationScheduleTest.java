package org.vae4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.TensorScope;

/**
 * Gradient clipping, gradient accumulation and learning-rate schedules inside the optimizer, on
 * {@code f(p, q) = 3·p + 4·q} (gradient (3, 4), norm 5) and on a quadratic, with SGD, whose
 * update is {@code −lr·g} and so shows each directly.
 */
class ClippingAccumulationScheduleTest {

    private final Backend be = new ReferenceBackend();
    private final Backend twoThreads = new ReferenceBackend(2);

    /** Two one-value parameters p = q = 0. */
    private static Map<String, Parameter> pq(Backend be) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("p", new Parameter(be.fromArray(new float[] {0}, 1)));
        m.put("q", new Parameter(be.fromArray(new float[] {0}, 1)));
        return m;
    }

    private static Variable linear(Map<String, Parameter> m, float a, float b) {
        return m.get("p").mul(a).add(m.get("q").mul(b)).sum();
    }

    private static float[] values(Map<String, Parameter> m) {
        return new float[] {m.get("p").item(), m.get("q").item()};
    }

    @Test
    void normClippingScalesTheWholeGradientToTheMaximumNormOnBothPaths() {
        for (Backend b : new Backend[] {be, twoThreads}) {
            Map<String, Parameter> m = pq(b);
            try (Sgd sgd = new Sgd(m, 1)) {
                sgd.setGradientClipping(GradientClipping.byNorm(1));
                try (TensorScope s = b.newScope()) {
                    sgd.backwardAndStep(linear(m, 3, 4));
                }
                double scale = 1 / (5 + 1e-6);
                assertArrayEquals(new float[] {(float) (-3 * scale), (float) (-4 * scale)},
                        values(m), 1e-7f, b.name() + " threads " + b.threads());
                // within the norm: untouched
                sgd.setGradientClipping(GradientClipping.byNorm(10));
                try (TensorScope s = b.newScope()) {
                    sgd.backwardAndStep(linear(m, 3, 4));
                }
                assertArrayEquals(new float[] {(float) (-3 * scale - 3),
                        (float) (-4 * scale - 4)}, values(m), 1e-6f);
            }
            m.values().forEach(Parameter::close);
        }
    }

    @Test
    void valueClippingLimitsEachEntry() {
        Map<String, Parameter> m = pq(be);
        try (Sgd sgd = new Sgd(m, 1)) {
            sgd.setGradientClipping(GradientClipping.byValue(3.5));
            try (TensorScope s = be.newScope()) {
                sgd.backwardAndStep(linear(m, 3, -4));
            }
            assertArrayEquals(new float[] {-3, 3.5f}, values(m), 0f);
        }
        m.values().forEach(Parameter::close);
    }

    @Test
    void accumulatedGradientsAreSummedIntoTheNextStepAndKeptInTheState() {
        Map<String, Parameter> m = pq(be);
        Map<String, Parameter> n = pq(be);
        try (Sgd sgd = new Sgd(m, 0.5); Sgd fresh = new Sgd(n, 0.5)) {
            try (TensorScope s = be.newScope()) {
                linear(m, 3, 4).backward();
                sgd.accumulate();
            }
            assertTrue(sgd.hasAccumulatedGradients());
            assertArrayEquals(new float[] {0, 0}, values(m), 0f, "no update yet");
            // the sums outlive the scope and travel in the state
            OptimizerState state = sgd.state();
            assertArrayEquals(new float[] {3}, state.buffers().get("p.grad_sum"), 0f);
            fresh.loadState(state);
            for (Map.Entry<Map<String, Parameter>, Sgd> e : Map.of(m, sgd, n, fresh).entrySet()) {
                try (TensorScope s = be.newScope()) {
                    e.getValue().backwardAndStep(linear(e.getKey(), 1, 2));
                }
                assertArrayEquals(new float[] {-0.5f * 4, -0.5f * 6}, values(e.getKey()), 0f);
                assertFalse(e.getValue().hasAccumulatedGradients());
            }
        }
        m.values().forEach(Parameter::close);
        n.values().forEach(Parameter::close);
    }

    @Test
    void accumulationFreesItsSumsAfterTheStepAndOnClose() {
        long live = be.liveTensors();
        Map<String, Parameter> m = pq(be);
        Sgd sgd = new Sgd(m, 0.5);
        try (TensorScope s = be.newScope()) {
            linear(m, 3, 4).backward();
            sgd.accumulate();
        }
        assertEquals(live + 2 + 2, be.liveTensors());
        sgd.close();
        assertEquals(live + 2, be.liveTensors());
        m.values().forEach(Parameter::close);
        assertEquals(live, be.liveTensors());
    }

    @Test
    void schedulesGiveTheirFactorsByStep() {
        LearningRateSchedule c = LearningRateSchedule.constant();
        assertEquals(1, c.factor(0));
        assertEquals(1, c.factor(12345));
        LearningRateSchedule s = LearningRateSchedule.step(10, 0.5);
        assertEquals(1, s.factor(9));
        assertEquals(0.5, s.factor(10));
        assertEquals(0.25, s.factor(25));
        LearningRateSchedule cos = LearningRateSchedule.cosine(100, 0.1);
        assertEquals(1, cos.factor(0), 1e-15);
        assertEquals(0.55, cos.factor(50), 1e-12);
        assertEquals(0.1, cos.factor(100), 1e-15);
        assertEquals(0.1, cos.factor(500), 1e-15);
        LearningRateSchedule w = LearningRateSchedule.warmup(4, cos);
        assertEquals(0.25, w.factor(0));
        assertEquals(1, w.factor(3));
        assertEquals(1, w.factor(4), 1e-15);
        assertEquals(0.55, w.factor(54), 1e-12);
        assertEquals("warmup(4) then cosine(100, 0.1)", w.describe());
        assertEquals("cosine(100, 0.1)", LearningRateSchedule.warmup(0, cos).describe());
        assertEquals("cosine schedule: it must last at least 1 update, got 0",
                assertThrows(IllegalArgumentException.class,
                        () -> LearningRateSchedule.cosine(0, 0)).getMessage());
        assertEquals("step schedule: gamma must be in (0, 1], got 2.0",
                assertThrows(IllegalArgumentException.class,
                        () -> LearningRateSchedule.step(1, 2)).getMessage());
    }

    @Test
    void theOptimizerAppliesTheScheduleToItsBaseRateAtItsStepCount() {
        Map<String, Parameter> m = pq(be);
        try (Sgd sgd = new Sgd(m, 0.4)) {
            sgd.setSchedule(LearningRateSchedule.step(1, 0.5));
            float p = 0;
            for (int i = 0; i < 3; i++) {
                assertEquals(0.4 * Math.pow(0.5, i), sgd.currentLearningRate(), 1e-15);
                try (TensorScope s = be.newScope()) {
                    sgd.backwardAndStep(linear(m, 1, 0));
                }
                p -= (float) (0.4 * Math.pow(0.5, i));
                assertEquals(p, m.get("p").item(), 1e-7f, "step " + i);
            }
            assertEquals(0.4, sgd.learningRate(), "the base rate is unchanged");
        }
        m.values().forEach(Parameter::close);
    }

    @Test
    void badClippingIsRefusedNamingTheLimit() {
        assertEquals("gradient clipping: the maximum norm must be finite and >= 0 (0 for none),"
                + " got -1.0", assertThrows(IllegalArgumentException.class,
                        () -> GradientClipping.byNorm(-1)).getMessage());
        assertEquals("value 0.5, norm 1.0", new GradientClipping(1, 0.5).describe());
        assertEquals("none", GradientClipping.NONE.describe());
    }
}
