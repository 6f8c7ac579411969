package org.vae4j.tensor;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Binds {@link Backend} to the selected backend: the name given here if not null, else the
 * usual order of {@link Backends#select()}. Guice is optional; {@link Backends} works alone.
 */
public final class BackendModule extends AbstractModule {

    private final String explicitName;

    /** Selects by system property, environment, then priority. */
    public BackendModule() {
        this(null);
    }

    /** Selects {@code name}, or by the usual order when it is null. */
    public BackendModule(String name) {
        this.explicitName = name;
    }

    @Provides
    @Singleton
    Backend backend() {
        return Backends.select(explicitName);
    }
}
