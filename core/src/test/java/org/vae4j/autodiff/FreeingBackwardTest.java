package org.vae4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.model.Loss;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/** {@link Variable#backwardFreeingValues}: values close after their last use, nothing else. */
class FreeingBackwardTest {

    private final Backend be = new ReferenceBackend();

    private Variable leaf(long seed, int... dims) {
        return Variable.leaf(new Rng(seed).uniform(be, Shape.of(dims), -1, 1));
    }

    @Test
    void valuesCloseAsSoonAsTheLastRuleReadingThemHasRun() {
        try (TensorScope scope = be.newScope()) {
            Variable x = leaf(1, 3, 4);
            Variable p = leaf(2, 3, 4);
            Variable h1 = x.tanh();
            Variable t = h1.tanh();
            Variable h2 = t.mul(p);
            Variable h3 = h2.tanh();
            Variable loss = h3.sum();
            List<String> seen = new ArrayList<>();
            loss.backwardFreeingValues(leaf -> {
                if (leaf == p) {
                    // the rules of sum, tanh(h2) and mul have run; t's and h1's have not
                    assertTrue(h3.value().isClosed(), "h3 is closed once its rule has run");
                    assertTrue(h2.value().isClosed(), "h2 is closed once tanh's rule read it");
                    assertFalse(t.value().isClosed(), "t is still read by its own rule");
                    assertFalse(h1.value().isClosed(), "h1 is still read by two rules");
                    seen.add("p");
                } else if (leaf == x) {
                    seen.add("x");
                }
            });
            assertEquals(List.of("p", "x"), seen);
            assertTrue(t.value().isClosed());
            assertTrue(h1.value().isClosed());
            assertFalse(loss.value().isClosed(), "the root stays open");
            assertFalse(x.value().isClosed(), "leaves are never closed");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> h1.value().toArray());
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void gradientsAreTheSameBitForBitAsWithoutFreeing() {
        float[][] kept = gradients(false);
        float[][] freed = gradients(true);
        for (int i = 0; i < kept.length; i++) {
            assertArrayEquals(kept[i], freed[i], "gradient " + i);
        }
    }

    /** The gradients of a small two-layer net with a softmax and a shared input. */
    private float[][] gradients(boolean free) {
        try (TensorScope scope = be.newScope()) {
            Variable x = leaf(3, 5, 4);
            Variable w1 = leaf(4, 4, 6);
            Variable b1 = leaf(5, 6);
            Variable w2 = leaf(6, 6, 3);
            Variable b2 = leaf(7, 3);
            Variable h = Variable.linearRelu(x, w1, b1);
            Variable y = Variable.linear(h, w2, b2).softmax(1);
            Variable loss = y.mul(y).sum().add(x.square().mean()).add(h.logSumExp(1, false).sum());
            if (free) {
                loss.backwardFreeingValues(leaf -> { });
                assertTrue(h.value().isClosed());
            } else {
                loss.backward();
            }
            return new float[][] {x.grad().toArray(), w1.grad().toArray(), b1.grad().toArray(),
                w2.grad().toArray(), b2.grad().toArray()};
        }
    }

    @Test
    void retainedValuesAndALossesTermsStayOpen() {
        try (TensorScope scope = be.newScope()) {
            Variable x = leaf(8, 2, 3);
            Variable h = x.exp().retainValue();
            Variable term = h.mean();
            Variable square = h.square();
            Variable total = square.sum().add(term);
            Loss loss = Loss.of(total).with("mean", term);
            total.backwardFreeingValues(leaf -> { });
            assertFalse(h.value().isClosed(), "retained");
            assertTrue(square.value().isClosed(), "not retained");
            assertEquals(List.of("loss", "mean"), List.copyOf(loss.values().keySet()),
                    "the total and the terms can be read after the pass");
        }
    }

    /**
     * A detached alias shares its variable's tensor: a leaf is reported only after the last
     * rule reading the alias has run, so an optimizer updating it in place cannot change what
     * that rule reads.
     */
    @Test
    void aLeafWithADetachedAliasIsReportedAfterTheAliasIsRead() {
        try (TensorScope scope = be.newScope()) {
            Variable w = leaf(9, 2, 3);
            Variable z = leaf(10, 2, 3);
            Variable alias = w.detach();
            Variable product = alias.mul(z);
            // reached in the order: add, sum(w²), square, w, sum(alias·z), mul, z
            Variable loss = product.sum().add(w.square().sum());
            List<String> order = new ArrayList<>();
            loss.backwardFreeingValues(leaf -> {
                if (leaf == w) {
                    assertTrue(product.value().isClosed(),
                            "w is reported after the rule of alias·z read the shared tensor");
                    order.add("w");
                } else if (leaf == z) {
                    order.add("z");
                }
            });
            assertEquals(List.of("w", "z"), order);
            assertFalse(w.value().isClosed(), "the alias's tensor is the leaf's, never closed");
        }
    }
}
