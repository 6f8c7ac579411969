package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * Conformance of tensor lifetimes: scopes close what they created, keep and untrack hand tensors
 * out, closing is idempotent, and a closed tensor cannot be used. Run on each backend because a
 * backend hooks scope opening and closing (e.g. native workspaces).
 */
public abstract class ScopeChecks extends BackendChecks {

    @Test
    void tensorsCreatedInAScopeAreClosedWhenItCloses() {
        Backend be = backend();
        long start = be.liveTensors();
        Tensor a;
        Tensor b;
        try (TensorScope scope = be.newScope()) {
            assertSame(be, scope.backend());
            a = be.fromArray(new float[] {1, 2, 3}, 3);
            b = be.unary(UnaryOp.EXP, a);
            assertEquals(start + 2, be.liveTensors());
            assertEquals(2, scope.trackedCount());
            assertFalse(a.isClosed());
        }
        assertTrue(a.isClosed());
        assertTrue(b.isClosed());
        assertEquals(start, be.liveTensors());
    }

    @Test
    void keptTensorMovesToTheParentScope() {
        Backend be = backend();
        try (TensorScope outer = be.newScope()) {
            Tensor kept;
            Tensor dropped;
            try (TensorScope inner = be.newScope()) {
                dropped = be.full(Shape.of(2), 1f);
                kept = inner.keep(be.full(Shape.of(2), 2f));
            }
            assertTrue(dropped.isClosed());
            assertFalse(kept.isClosed());
            assertArrayEquals(new float[] {2f, 2f}, kept.toArray());
            assertEquals(1, outer.trackedCount());
            outer.close();
            assertTrue(kept.isClosed(), "the parent scope closes what a child kept");
        }
    }

    @Test
    void keptFromTheOutermostScopeBelongsToTheCaller() {
        Backend be = backend();
        Tensor kept;
        try (TensorScope scope = be.newScope()) {
            kept = scope.keep(be.scalar(5f));
        }
        assertFalse(kept.isClosed());
        assertEquals(5f, kept.item());
        kept.close();
        assertTrue(kept.isClosed());
    }

    @Test
    void nestedScopesCloseInnerOnesLeftOpen() {
        Backend be = backend();
        long start = be.liveTensors();
        TensorScope outer = be.newScope();
        Tensor a = be.scalar(1f);
        TensorScope inner = be.newScope();
        Tensor b = be.scalar(2f);
        TensorScope innermost = be.newScope();
        Tensor c = be.scalar(3f);
        outer.close();
        assertTrue(a.isClosed() && b.isClosed() && c.isClosed(),
                "closing an outer scope closes the scopes opened inside it");
        inner.close();
        innermost.close();
        assertEquals(start, be.liveTensors());
    }

    @Test
    void untrackTakesATensorOutOfEveryOpenScope() {
        Backend be = backend();
        Tensor parameter;
        try (TensorScope outer = be.newScope()) {
            try (TensorScope inner = be.newScope()) {
                parameter = TensorScope.untrack(be.full(Shape.of(3), 0.5f));
                assertEquals(0, inner.trackedCount());
            }
            assertEquals(0, outer.trackedCount());
        }
        assertFalse(parameter.isClosed());
        parameter.close();
    }

    @Test
    void closingTwiceIsSafe() {
        Backend be = backend();
        long start = be.liveTensors();
        TensorScope scope = be.newScope();
        Tensor t = be.scalar(1f);
        t.close();
        t.close();
        assertEquals(start, be.liveTensors(), "a tensor closed twice counted twice");
        scope.close();
        scope.close();
        assertEquals(start, be.liveTensors());
        Tensor late = be.scalar(0f);
        assertThrows(IllegalStateException.class, () -> scope.keep(late));
        late.close();
        assertEquals(start, be.liveTensors());
    }

    @Test
    void closedTensorCannotBeUsed() {
        Backend be = backend();
        Tensor t;
        try (TensorScope scope = be.newScope()) {
            t = be.fromArray(new float[] {1, 2}, 2);
        }
        assertMentions(assertThrows(IllegalStateException.class,
                () -> be.unary(UnaryOp.NEG, t)).getMessage(), "neg", "closed");
        assertMentions(assertThrows(IllegalStateException.class, t::toArray).getMessage(),
                "toArray", "closed");
        try (TensorScope scope = be.newScope()) {
            Tensor ok = be.scalar(1f);
            assertMentions(assertThrows(IllegalStateException.class,
                    () -> be.add(ok, t)).getMessage(), "add", "(2)", "closed");
        }
    }

    @Test
    void liveTensorsCountsCreatedAndClosedTensors() {
        Backend be = backend();
        long start = be.liveTensors();
        Tensor a = be.zeros(Shape.of(4));
        Tensor b = be.add(a, a);
        Tensor c = be.reshape(b, Shape.of(2, 2));
        assertEquals(start + 3, be.liveTensors());
        b.close();
        assertEquals(start + 2, be.liveTensors());
        assertArrayEquals(new float[4], c.toArray(), "reshape result outlives its input");
        a.close();
        c.close();
        assertEquals(start, be.liveTensors());
    }

    @Test
    void scopesBelongToTheirThread() throws InterruptedException {
        Backend be = backend();
        AtomicReference<Tensor> other = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (TensorScope scope = be.newScope()) {
            Thread thread = new Thread(() -> {
                try {
                    other.set(be.full(Shape.of(2), 7f));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            thread.start();
            thread.join();
            Thread wrong = new Thread(() -> {
                Tensor t = be.scalar(0f);
                try {
                    scope.keep(t);
                    failure.set(new AssertionError("keep on another thread was allowed"));
                } catch (IllegalStateException expected) {
                    // a scope is used only on the thread that opened it
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    t.close();
                }
            });
            wrong.start();
            wrong.join();
        }
        assertEquals(null, failure.get());
        assertFalse(other.get().isClosed(),
                "a tensor made on another thread must not be closed by this thread's scope");
        assertArrayEquals(new float[] {7f, 7f}, other.get().toArray());
        other.get().close();
    }

    @Test
    void keepReturnsTheSameTensorAndKeepAllKeepsEach() {
        Backend be = backend();
        Tensor a;
        Tensor b;
        try (TensorScope scope = be.newScope()) {
            a = be.scalar(1f);
            b = be.scalar(2f);
            assertSame(a, scope.keep(a));
            scope.keepAll(java.util.List.of(b));
            assertEquals(0, scope.trackedCount());
        }
        assertFalse(a.isClosed() || b.isClosed());
        a.close();
        b.close();
    }
}
