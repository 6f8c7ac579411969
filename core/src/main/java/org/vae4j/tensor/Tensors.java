package org.vae4j.tensor;

/** Helpers over the SPI that need no kernel of their own. */
public final class Tensors {

    private Tensors() {
    }

    /** A copy of {@code t} on {@code target} (through host memory). */
    public static Tensor copy(Tensor t, Backend target) {
        return target.fromArray(t.toArray(), t.shape());
    }

    /** Whether every value is finite (no NaN, no infinity). */
    public static boolean allFinite(Tensor t) {
        for (float v : t.toArray()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Throws {@link NonFiniteException} naming {@code what} if any value is NaN or infinite.
     * The trainer calls this on each loss term to stop a diverged run with a useful message.
     */
    public static void checkFinite(Tensor t, String what) {
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new NonFiniteException(what + " is " + v[i]
                        + (v.length > 1 ? " at element " + i + " of " + t.shape() : ""));
            }
        }
    }
}
