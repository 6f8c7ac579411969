package org.vae4j.cli;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import java.util.Objects;
import picocli.CommandLine;

/**
 * Lets picocli build commands with Guice, so a command declares its collaborators (the model
 * registry, the training listeners, the backend chooser) as {@code @Inject} constructor
 * parameters. What Guice cannot build (picocli's own helpers, collection types) falls back to
 * picocli's default factory.
 */
final class GuiceFactory implements CommandLine.IFactory {

    private final Injector injector;

    GuiceFactory(Injector injector) {
        this.injector = Objects.requireNonNull(injector, "injector");
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        if (cls.isInterface() || !cls.getPackageName().startsWith("org.vae4j")) {
            return CommandLine.defaultFactory().create(cls);
        }
        try {
            return injector.getInstance(cls);
        } catch (ConfigurationException e) {
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
