package org.vae4j.autodiff;

/**
 * Turns off gradient recording on the current thread while open: ops return constants with no
 * parents, so evaluation and sampling build no graph. Nestable.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     Variable x = model.decode(z);
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    /** Stops recording until the returned handle is closed. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Whether recording is off on this thread. */
    public static boolean isActive() {
        return DEPTH.get()[0] > 0;
    }

    /** Ends this no-grad block; closing twice is safe. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
