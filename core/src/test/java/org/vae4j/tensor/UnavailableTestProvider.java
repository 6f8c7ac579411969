package org.vae4j.tensor;

/**
 * A provider of the highest priority that is never available, as a native backend is on a
 * machine without its library: selection by priority must pass over it, and naming it must say why.
 */
public final class UnavailableTestProvider implements BackendProvider {

    /** The reason it gives. */
    static final String REASON = "native library test-native not found";

    @Override
    public String name() {
        return "unavailable-test";
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public String description() {
        return "a backend that cannot run here (tests only)";
    }

    @Override
    public Availability availability() {
        return Availability.no(REASON);
    }

    @Override
    public Backend create(BackendConfig config) {
        throw new AssertionError("create must not be called on an unavailable provider");
    }
}
