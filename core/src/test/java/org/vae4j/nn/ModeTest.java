package org.vae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.model.StepContext;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.TensorScope;

class ModeTest {

    private final Backend backend = new ReferenceBackend();

    private Variable ones(int rows, int cols) {
        float[] v = new float[rows * cols];
        java.util.Arrays.fill(v, 1f);
        return Variable.constant(backend, v, rows, cols);
    }

    @Test
    void threadIsInEvalModeOutsideEveryScopeAndTheInnermostScopeWins() {
        assertFalse(Mode.isTraining());
        try (Mode train = Mode.train(new Rng(1))) {
            assertTrue(Mode.isTraining());
            try (Mode eval = Mode.eval()) {
                assertFalse(Mode.isTraining());
                assertThrows(IllegalStateException.class, Mode::rng);
            }
            assertTrue(Mode.isTraining());
        }
        assertFalse(Mode.isTraining());
    }

    @Test
    void scopesCloseInnermostFirstAndClosingTwiceIsSafe() {
        Mode outer = Mode.train(new Rng(1));
        Mode inner = Mode.eval();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        inner.close();
        outer.close();
        assertFalse(Mode.isTraining());
    }

    @Test
    void stepContextOpensTheModeItDescribes() {
        try (Mode m = StepContext.training(0, new Rng(3)).openMode()) {
            assertTrue(Mode.isTraining());
        }
        try (Mode m = StepContext.evaluation(0, new Rng(3)).openMode()) {
            assertFalse(Mode.isTraining());
        }
    }

    @Test
    void dropoutPassesValuesThroughInEvalMode() {
        try (TensorScope s = backend.newScope(); Dropout d = new Dropout(0.5)) {
            Variable x = ones(4, 8);
            assertArrayEquals(x.toArray(), d.forward(x).toArray());
            try (Mode m = Mode.eval()) {
                assertArrayEquals(x.toArray(), d.forward(x).toArray());
            }
        }
    }

    @Test
    void dropoutZeroesAFractionAndScalesTheRestInTrainingMode() {
        try (TensorScope s = backend.newScope(); Dropout d = new Dropout(0.25)) {
            float[] y;
            try (Mode m = Mode.train(new Rng(7))) {
                y = d.forward(ones(100, 100)).toArray();
            }
            int zeros = 0;
            for (float v : y) {
                if (v == 0f) {
                    zeros++;
                } else {
                    assertEquals(1 / 0.75f, v, 1e-6f);
                }
            }
            assertEquals(0.25, zeros / 10000.0, 0.02);
        }
    }

    @Test
    void dropoutMaskIsTheScopeGeneratorsBernoulliDraw() {
        try (TensorScope s = backend.newScope(); Dropout d = new Dropout(0.5)) {
            float[] y;
            try (Mode m = Mode.train(new Rng(11))) {
                y = d.forward(ones(3, 5)).toArray();
            }
            float[] mask = new Rng(11).bernoulli(15, 0.5);
            for (int i = 0; i < mask.length; i++) {
                assertEquals(mask[i] * 2f, y[i], 0f);
            }
            try (Mode m = Mode.train(new Rng(11))) {
                assertArrayEquals(y, d.forward(ones(3, 5)).toArray(), "same seed, same mask");
            }
        }
    }

    @Test
    void dropoutGradientFlowsOnlyThroughKeptValues() {
        try (TensorScope s = backend.newScope(); Dropout d = new Dropout(0.5)) {
            Variable x = Variable.leaf(ones(2, 6).value());
            float[] y;
            try (Mode m = Mode.train(new Rng(5))) {
                Variable out = d.forward(x);
                y = out.toArray();
                out.sum().backward();
            }
            assertArrayEquals(y, x.grad().toArray(), "d(sum y)/dx = mask / (1 - p) = y for x = 1");
        }
    }

    @Test
    void moduleEvalKeepsItsLayersInEvalModeInsideATrainingScope() {
        try (TensorScope s = backend.newScope(); Sequential net = new Sequential(new Dropout(0.9))) {
            Variable x = ones(4, 4);
            net.eval();
            try (Mode m = Mode.train(new Rng(1))) {
                assertFalse(net.isTraining());
                assertFalse(((Module) net.layers().get(0)).isTraining());
                assertArrayEquals(x.toArray(), net.forward(x).toArray());
                net.train();
                assertTrue(((Module) net.layers().get(0)).isTraining());
            }
        }
    }

    @Test
    void dropoutRejectsProbabilitiesOutsideZeroToOne() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }

    @Test
    void sequentialRunsLinearThenReluAsTheFusedOpWithTheSameValues() {
        try (TensorScope s = backend.newScope();
                Linear a = new Linear(backend, 3, 4, new Rng(2));
                Sequential net = new Sequential(a, Activation.RELU)) {
            Variable x = Variable.constant(backend, new float[] {1, -2, 3, 0.5f, -1, 2}, 2, 3);
            Variable fused = net.forward(Variable.leaf(x.value()));
            assertTrue(fused.op() instanceof org.vae4j.autodiff.Op.LinearRelu, fused.toString());
            assertArrayEquals(a.forward(x).relu().toArray(), fused.toArray());
        }
    }

    @Test
    void sequentialAsksEachLayerForAFusedFormWithItsSuccessor() {
        List<String> calls = new ArrayList<>();
        Layer first = new Layer() {
            @Override
            public Variable forward(Variable x) {
                calls.add("first");
                return x;
            }

            @Override
            public Layer fuseWith(Layer next) {
                return next == Activation.TANH ? x -> {
                    calls.add("fused");
                    return x.tanh();
                } : null;
            }
        };
        try (TensorScope s = backend.newScope();
                Sequential net = new Sequential(first, Activation.TANH, first, Activation.SIGMOID)) {
            net.forward(ones(1, 2));
            assertEquals(List.of("fused", "first"), calls);
        }
    }
}
