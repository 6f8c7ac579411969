package org.vae4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frees every tensor created on this thread while it is open, except those it {@linkplain #keep
 * keeps}. Scopes nest on a per-thread stack; a kept tensor moves to the enclosing scope, or
 * becomes untracked when there is none (its owner must close it, e.g. a model's parameters).
 *
 * <pre>{@code
 * try (TensorScope scope = backend.newScope()) {
 *     Tensor y = backend.binary(BinaryOp.ADD, a, b);
 *     return scope.keep(y);
 * }
 * }</pre>
 */
public final class TensorScope implements AutoCloseable {

    private static final ThreadLocal<Deque<TensorScope>> STACK =
            ThreadLocal.withInitial(ArrayDeque::new);

    private final Backend backend;
    private final Thread owner;
    private final Map<Tensor, Boolean> tracked = new IdentityHashMap<>();
    private boolean closed;

    TensorScope(Backend backend) {
        this.backend = backend;
        this.owner = Thread.currentThread();
        STACK.get().push(this);
        backend.scopeOpened(this);
    }

    /** The backend whose {@link Backend#newScope()} opened this scope. */
    public Backend backend() {
        return backend;
    }

    static void track(Tensor t) {
        TensorScope top = STACK.get().peek();
        if (top != null) {
            top.tracked.put(t, Boolean.TRUE);
        }
    }

    /** Hands {@code t} to the enclosing scope (or to nobody) so it outlives this one. */
    public <T extends Tensor> T keep(T t) {
        checkOpen();
        if (tracked.remove(t) != null) {
            TensorScope parent = parent();
            if (parent != null) {
                parent.tracked.put(t, Boolean.TRUE);
            }
        }
        return t;
    }

    /**
     * Removes {@code t} from every open scope on this thread, so that its owner alone closes it:
     * how a parameter or optimizer state that is replaced inside a step outlives the step.
     */
    public static <T extends Tensor> T untrack(T t) {
        for (TensorScope s : STACK.get()) {
            s.tracked.remove(t);
        }
        return t;
    }

    /**
     * Hands {@code t}, made on another thread where no scope tracks it (a {@link Parallel}
     * task's result), to this thread's innermost open scope, which then closes it like its own;
     * with no scope open, the caller owns it.
     */
    public static <T extends Tensor> T adopt(T t) {
        track(t);
        return t;
    }

    /** Whether an open scope on this thread would close {@code t}. */
    static boolean isTracked(Tensor t) {
        for (TensorScope s : STACK.get()) {
            if (s.tracked.containsKey(t)) {
                return true;
            }
        }
        return false;
    }

    /** Keeps several tensors; see {@link #keep(Tensor)}. */
    public void keepAll(Iterable<? extends Tensor> tensors) {
        for (Tensor t : tensors) {
            keep(t);
        }
    }

    /** The number of tensors this scope will close. */
    public int trackedCount() {
        return tracked.size();
    }

    private TensorScope parent() {
        boolean seenSelf = false;
        for (TensorScope s : STACK.get()) {
            if (seenSelf) {
                return s;
            }
            seenSelf = s == this;
        }
        return null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tensor scope is already closed");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("tensor scope was opened on thread " + owner.getName()
                    + " and cannot be used on " + Thread.currentThread().getName());
        }
    }

    /** Closes every tracked tensor and pops this scope (and any inner scope left open). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOpen();
        Deque<TensorScope> stack = STACK.get();
        while (!stack.isEmpty() && stack.peek() != this) {
            stack.peek().close();
        }
        stack.remove(this);
        closed = true;
        List<Tensor> toClose = new ArrayList<>(tracked.keySet());
        tracked.clear();
        for (Tensor t : toClose) {
            t.close();
        }
        backend.scopeClosed(this);
    }
}
