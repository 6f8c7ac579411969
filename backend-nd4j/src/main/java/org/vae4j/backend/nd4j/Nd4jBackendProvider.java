package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Availability;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BackendProvider;

/**
 * Registers the ND4J backend ({@code nd4j}). Naming it loads nothing; the native library loads on
 * the first {@link #availability()} or {@link #create}, and a failure to load (no native jar for
 * this platform, a missing system library) makes it unavailable with the loader's reason.
 */
public final class Nd4jBackendProvider implements BackendProvider {

    private static final String JAVACPP_LOGGER = "org.bytedeco.javacpp.logger";

    private static volatile Availability availability;

    @Override
    public String name() {
        return "nd4j";
    }

    /** Below TensorFlow: {@code vae4j bench} measures ND4J about half as fast on the reference VAE. */
    @Override
    public int priority() {
        return 20;
    }

    @Override
    public String description() {
        return "ND4J 1.0.0-M2.1 native CPU kernels with OpenBLAS (linux-x86_64 natives bundled;"
                + " start Java with OMP_NUM_THREADS=1)";
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (Nd4jBackendProvider.class) {
                a = availability;
                if (a == null) {
                    a = load();
                    availability = a;
                }
            }
        }
        return a;
    }

    private static Availability load() {
        if (System.getProperty(JAVACPP_LOGGER) == null) {
            // JavaCPP otherwise prints straight to stderr; through SLF4J the program decides.
            System.setProperty(JAVACPP_LOGGER, "slf4j");
        }
        try {
            Nd4jBackend.loadNatives();
            return Availability.yes();
        } catch (Throwable t) {
            return Availability.no("ND4J did not load: " + reason(t));
        }
    }

    /** The innermost cause, in one line. */
    static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String line = root.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + message.strip());
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline);
    }

    @Override
    public Backend create(BackendConfig config) {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("nd4j backend is " + a);
        }
        return new Nd4jBackend(config);
    }
}
