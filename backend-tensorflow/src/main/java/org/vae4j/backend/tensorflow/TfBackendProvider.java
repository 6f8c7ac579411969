package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Availability;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BackendProvider;

/**
 * Registers the TensorFlow backend under the name {@code tensorflow}.
 *
 * <p>{@link #name()}, {@link #priority()} and {@link #description()} touch no TensorFlow class.
 * {@link #availability()} loads the native libraries on first call (about 1 s, several seconds
 * the first time they are unpacked) and reports any failure as a reason instead of throwing: a
 * missing native jar for this platform, a C library too old for TensorFlow, and so on.
 */
public final class TfBackendProvider implements BackendProvider {

    /** The registry name. */
    public static final String NAME = "tensorflow";

    private static volatile Availability availability;

    @Override
    public String name() {
        return NAME;
    }

    /** The highest: {@code vae4j bench} measures it the fastest backend on the reference VAE. */
    @Override
    public int priority() {
        return 30;
    }

    @Override
    public String description() {
        return "TensorFlow Java 1.1.0 eager kernels (native TensorFlow for linux-x86_64,"
                + " glibc 2.34 or newer)";
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (TfBackendProvider.class) {
                a = availability;
                if (a == null) {
                    a = probe();
                    availability = a;
                }
            }
        }
        return a;
    }

    private static Availability probe() {
        try {
            TfEager.load();
            TfEager.version();
            return Availability.yes();
        } catch (Throwable t) {
            // Linkage errors (no native jar for this OS, glibc too old) are expected here.
            String message = t.getMessage();
            return Availability.no("TensorFlow native library did not load ("
                    + t.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip())
                    + ")");
        }
    }

    @Override
    public Backend create(BackendConfig config) {
        return new TfBackend(config);
    }
}
