package org.vae4j.tensor;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Binds {@link Backend} to the selected backend: the name given here if not null, else the
 * usual order of {@link Backends#select()}. With a {@link BackendConfig} (e.g. a thread count
 * from the command line) a new backend is created with those settings; without one the shared
 * instance of {@link Backends#get} is used. Guice is optional; {@link Backends} works alone.
 */
public final class BackendModule extends AbstractModule {

    private final String explicitName;
    private final BackendConfig config;

    /** Selects by system property, environment, then priority. */
    public BackendModule() {
        this(null);
    }

    /** Selects {@code name}, or by the usual order when it is null. */
    public BackendModule(String name) {
        this(name, null);
    }

    /**
     * Selects {@code name} (or by the usual order when null) and creates it with {@code config};
     * a null config means the shared instance with the system's settings.
     */
    public BackendModule(String name, BackendConfig config) {
        this.explicitName = name;
        this.config = config;
    }

    @Provides
    @Singleton
    Backend backend() {
        if (config == null) {
            return Backends.select(explicitName);
        }
        return Backends.create(Backends.choose(explicitName).name(), config);
    }
}
