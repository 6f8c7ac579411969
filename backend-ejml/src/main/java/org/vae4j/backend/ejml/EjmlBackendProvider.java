package org.vae4j.backend.ejml;

import org.vae4j.tensor.Availability;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BackendProvider;

/** Registers the EJML backend as {@code ejml}: pure Java, so it is available everywhere. */
public final class EjmlBackendProvider implements BackendProvider {

    /** The name users select it by. */
    public static final String NAME = "ejml";

    @Override
    public String name() {
        return NAME;
    }

    /** Low, so that a native backend on the class path wins; EJML is the fallback. */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public String description() {
        return "EJML " + EjmlBackend.EJML_VERSION + ": pure Java float32 on the heap, no native code";
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public Backend create(BackendConfig config) {
        return new EjmlBackend(config);
    }
}
