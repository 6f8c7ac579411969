package org.vae4j.cli;

import com.google.inject.Inject;
import com.google.inject.Injector;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BackendModule;

/**
 * Gives a command the backend its {@code --backend} and {@code --threads} ask for, through core's
 * {@link BackendModule} in a child injector (the flags are known only after parsing, long after
 * the program's injector was built). Without {@code --backend} the usual order applies: the
 * system property {@code vae4j.backend}, the environment variable {@code VAE4J_BACKEND}, then
 * the available backend of highest priority.
 */
final class BackendChooser {

    private final Injector injector;

    @Inject
    BackendChooser(Injector injector) {
        this.injector = injector;
    }

    /** The backend called {@code name} (or the default when null), with {@code threads} if set. */
    Backend choose(String name, Integer threads) {
        BackendConfig config = threads == null ? null : new BackendConfig(threads);
        return injector.createChildInjector(new BackendModule(name, config))
                .getInstance(Backend.class);
    }
}
