package org.vae4j.nn;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.vae4j.random.Rng;

/**
 * Whether layers run in training or in evaluation mode on the current thread, scoped like
 * {@link org.vae4j.autodiff.NoGrad}: layers such as {@link Dropout} (and batch norm) read it.
 * Scopes nest on a per-thread stack; the innermost wins.
 *
 * <pre>{@code
 * try (Mode m = Mode.train(context.rng())) { loss = model.loss(batch, context); }
 * try (Mode m = Mode.eval()) { x = model.decode(z); }
 * }</pre>
 *
 * <p>Outside every scope the thread is in <em>evaluation</em> mode: training happens only inside
 * a training step, which opens {@link #train}, so evaluation, sampling and every command get
 * evaluation behaviour without having to ask for it. A training scope carries the step's
 * generator, from which layers draw their noise (dropout masks), so a seed means the same numbers
 * on every backend and a resumed run draws what an uninterrupted one would.
 */
public final class Mode implements AutoCloseable {

    private static final ThreadLocal<Deque<Mode>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final boolean training;
    private final Rng rng;
    private boolean closed;

    private Mode(boolean training, Rng rng) {
        this.training = training;
        this.rng = rng;
        STACK.get().push(this);
    }

    /** Training mode until closed; layers draw their noise from {@code rng}, the step's. */
    public static Mode train(Rng rng) {
        return new Mode(true, Objects.requireNonNull(rng, "rng"));
    }

    /** Evaluation mode until closed: dropout passes values through, statistics are frozen. */
    public static Mode eval() {
        return new Mode(false, null);
    }

    /** Whether the innermost open scope on this thread is a training scope. */
    public static boolean isTraining() {
        Mode top = STACK.get().peek();
        return top != null && top.training;
    }

    /**
     * The generator of the innermost training scope, for a layer's noise.
     *
     * @throws IllegalStateException when no training scope is open
     */
    public static Rng rng() {
        Mode top = STACK.get().peek();
        if (top == null || !top.training) {
            throw new IllegalStateException("no training mode is open on this thread; layer noise"
                    + " is drawn only in training, inside Mode.train(rng)");
        }
        return top.rng;
    }

    /**
     * Ends this scope; closing twice is safe. Scopes must close innermost first, as
     * try-with-resources does.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Deque<Mode> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("Mode scopes must be closed innermost first");
        }
        stack.pop();
        closed = true;
    }

    @Override
    public String toString() {
        return training ? "Mode(train)" : "Mode(eval)";
    }
}
