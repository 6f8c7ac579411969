package org.vae4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.ReferenceBackend;

class ModuleTest {

    private final Backend be = new ReferenceBackend();

    /** A module with a parameter of its own and a child network, as a model would be. */
    static final class Net extends Module {
        final Parameter scale;
        final Sequential body;

        Net(Backend be, Rng rng) {
            scale = addParameter("scale", be.ones(Shape.of(1)));
            body = addModule("body", Mlp.builder().setSizes(3, 5, 2).build(be, rng));
        }
    }

    @Test
    void parametersAreNamedHierarchicallyInRegistrationOrder() {
        try (Net net = new Net(be, new Rng(1))) {
            assertEquals(List.of("scale", "body.0.weight", "body.0.bias", "body.2.weight",
                    "body.2.bias"), List.copyOf(net.parameters().keySet()));
            assertEquals(1 + 3 * 5 + 5 + 5 * 2 + 2, net.parameterCount());
        }
    }

    @Test
    void buffersAreSavedButNotTrained() {
        try (Net net = new Net(be, new Rng(1)); TensorScope s = be.newScope()) {
            Module withBuffer = new Module() {
                final Parameter count = addBuffer("count", be.zeros(Shape.of(2)));
                final Net child = addModule("net", net);
            };
            assertEquals(List.of("count"), List.copyOf(withBuffer.buffers().keySet()));
            assertEquals(5, withBuffer.parameters().size(), "the buffer is not a parameter");
            assertEquals(6, withBuffer.state().size());
            assertEquals("count", withBuffer.state().keySet().iterator().next());
            Parameter count = withBuffer.buffers().get("count");
            assertTrue(!count.isTrainable() && !count.add(1f).requiresGrad());
            count.close();
        }
    }

    @Test
    void linearStoresItsWeightAsInByOutWithPyTorchDefaultInit() {
        try (Linear l = new Linear(be, 4, 3, new Rng(3))) {
            assertEquals(Shape.of(4, 3), l.weight().shape());
            assertEquals(Shape.of(3), l.bias().shape());
            float bound = 0.5f; // 1/sqrt(4)
            for (float w : l.weight().toArray()) {
                assertTrue(w >= -bound && w < bound, "weight " + w + " outside ±1/sqrt(in)");
            }
            // weight first, then bias, from the same stream
            Rng rng = new Rng(3);
            assertArrayEquals(rng.uniform(12, -bound, bound), l.weight().toArray());
            assertArrayEquals(rng.uniform(3, -bound, bound), l.bias().toArray());
        }
    }

    @Test
    void linearComputesXTimesWPlusB() {
        try (Linear l = new Linear(be, 2, 1, new Rng(0)); TensorScope s = be.newScope()) {
            l.weight().assign(new float[] {2, 3});
            l.bias().assign(new float[] {1});
            Variable y = l.forward(Variable.constant(be, new float[] {1, 1, 2, 0}, 2, 2));
            assertArrayEquals(new float[] {6, 5}, y.toArray(), 1e-6f);
        }
    }

    @Test
    void parametersOutliveTheScopeTheyWereCreatedInAndCloseWithTheModule() {
        long before = be.liveTensors();
        Linear l;
        try (TensorScope s = be.newScope()) {
            l = new Linear(be, 2, 2, new Rng(0));
        }
        assertEquals(before + 2, be.liveTensors());
        l.close();
        assertEquals(before, be.liveTensors());
    }

    @Test
    void assignReplacesAndFreesTheOldValue() {
        try (Linear l = new Linear(be, 2, 2, new Rng(0))) {
            long before = be.liveTensors();
            var old = l.bias().value();
            try (TensorScope s = be.newScope()) {
                l.bias().assign(be.zeros(Shape.of(2)));
            }
            assertTrue(old.isClosed());
            assertTrue(!l.bias().value().isClosed(), "the new value is the parameter's");
            assertEquals(before, be.liveTensors());
            assertThrows(IllegalArgumentException.class,
                    () -> l.bias().assign(be.zeros(Shape.of(3))));
        }
    }

    @Test
    void activationsParseByNameAndListTheValidNamesOnError() {
        assertSame(Activation.RELU, Activation.parse("relu"));
        assertSame(Activation.SOFTPLUS, Activation.parse(" Softplus "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Activation.parse("swish"));
        assertTrue(e.getMessage().contains("'swish'")
                && e.getMessage().contains("identity, relu, tanh, sigmoid, softplus"),
                e.getMessage());
    }

    @Test
    void mlpAppliesHiddenAndOutputActivations() {
        try (Sequential net = Mlp.builder().setSizes(2, 3, 1).optHidden(Activation.TANH)
                .optOutput(Activation.SIGMOID).build(be, new Rng(5));
             TensorScope s = be.newScope()) {
            assertEquals(4, net.size());
            Map<String, Parameter> p = net.parameters();
            Variable x = Variable.constant(be, new float[] {0.5f, -1}, 1, 2);
            Variable expected = Variable.linear(Variable.linear(x, p.get("0.weight"),
                    p.get("0.bias")).tanh(), p.get("2.weight"), p.get("2.bias")).sigmoid();
            assertArrayEquals(expected.toArray(), net.forward(x).toArray(), 1e-7f);
        }
    }

    @Test
    void badNamesAndSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                addParameter("a.b", be.zeros(Shape.of(1)));
            }
        });
        assertThrows(IllegalArgumentException.class, () -> Mlp.builder().setSizes(4).build(be,
                new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(be, 0, 2, new Rng(0)));
    }
}
