package org.vae4j.cli;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import org.vae4j.train.TrainingListener;

/**
 * Contributes the program's training listeners to a {@code Multibinder<TrainingListener>}: the
 * progress display (a progress bar on a terminal, plain log lines otherwise). Other modules add
 * theirs to the same set and every training command picks them up. Elements are unscoped, so
 * each run gets fresh listeners. ({@code metrics.csv} is written by the trainer itself.)
 */
public final class ListenerModule extends AbstractModule {

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), TrainingListener.class)
                .addBinding().toProvider(ProgressListenerProvider.class);
    }
}
