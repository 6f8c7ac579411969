package org.vae4j.tensor;

/** Serves the reference backend as {@code reference}, below every real backend, for core's tests. */
public final class ReferenceBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public String description() {
        return "plain-Java float64 oracle (tests only)";
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public Backend create(BackendConfig config) {
        return new ReferenceBackend();
    }
}
