package org.vae4j.cli;

import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BackendModule;
import org.vae4j.tensor.UnknownBackendException;

/**
 * Gives a command the backend its {@code --backend} and {@code --threads} ask for, through core's
 * {@link BackendModule} in a child injector (the flags are known only after parsing, long after
 * the program's injector was built). Without {@code --backend} the usual order applies: the
 * system property {@code vae4j.backend}, the environment variable {@code VAE4J_BACKEND}, then
 * the available backend of highest priority.
 */
final class BackendChooser {

    /** How core's selection names an explicit choice in its errors. */
    private static final String EXPLICIT = "explicit choice";

    private final Injector injector;

    @Inject
    BackendChooser(Injector injector) {
        this.injector = injector;
    }

    /** The backend called {@code name} (or the default when null), with {@code threads} if set. */
    Backend choose(String name, Integer threads) {
        if (name != null && name.isBlank()) {
            throw new UsageException("--backend must not be empty; give ejml, nd4j or tensorflow"
                    + " (see 'vae4j backends')");
        }
        BackendConfig config;
        try {
            config = threads == null ? null : new BackendConfig(threads);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--threads: " + e.getMessage(), e);
        }
        try {
            return injector.createChildInjector(new BackendModule(name, config))
                    .getInstance(Backend.class);
        } catch (ProvisionException e) {
            // Guice's report wraps the selection error in pages of context; the error is enough.
            Throwable cause = e.getCause();
            if (cause instanceof UnknownBackendException u && name != null
                    && u.getMessage().startsWith(EXPLICIT)) {
                throw new UsageException("--backend"
                        + u.getMessage().substring(EXPLICIT.length()), u);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
