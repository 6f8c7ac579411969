package org.vae4j.tensor;

/**
 * The service a backend module registers in
 * {@code META-INF/services/org.vae4j.tensor.BackendProvider}.
 *
 * <p>{@link #name()} and {@link #priority()} must be cheap and never load native code. A native
 * library is loaded on first real use, in {@link #availability()} or {@link #create}; a failure
 * there becomes {@link Availability#no(String)} with the loader's reason, never a crash.
 */
public interface BackendProvider {

    /** The name users select it by, e.g. {@code nd4j}. Lower case. */
    String name();

    /** Higher wins when nothing is asked for explicitly. */
    int priority();

    /** One line: the library and what it needs. */
    String description();

    /** Whether it can run here; may load native code; never throws. */
    Availability availability();

    /** A new backend; called only when {@link #availability()} said yes. */
    Backend create(BackendConfig config);
}
