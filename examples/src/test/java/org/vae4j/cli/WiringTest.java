package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.tensor.Backend;
import org.vae4j.train.EpochSummary;
import org.vae4j.train.TrainingInfo;
import org.vae4j.train.TrainingListener;

/** The program is assembled by Guice: listeners and registries plug in without new code. */
class WiringTest {

    @TempDir
    Path tmp;

    /** Records what a training run tells its listeners. */
    static final class Recorder implements TrainingListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onTrainingStart(TrainingInfo info) {
            events.add("start " + info.modelType());
        }

        @Override
        public void onEpochEnd(EpochSummary summary) {
            events.add("epoch " + (summary.epoch() + 1));
        }
    }

    @Test
    void aListenerBoundInAnExtraModuleIsToldAboutTraining() {
        Recorder recorder = new Recorder();
        Module extra = new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder.newSetBinder(binder(), TrainingListener.class).addBinding()
                        .toInstance(recorder);
            }
        };
        Cli.assertOk(Cli.run(new Module[] {extra}, "train", "--out",
                tmp.resolve("run").toString(), "--limit", "256", "--epochs", "2", "--hidden",
                "8", "--latent", "2", "--backend", "ejml"));
        assertEquals(List.of("start vae", "epoch 1", "epoch 2"), recorder.events);
    }

    @Test
    void theListenerSetHoldsTheProgressDisplayAndIsFreshPerRun() {
        Injector injector = Guice.createInjector(new ListenerModule());
        Key<Set<TrainingListener>> key = Key.get(new TypeLiteral<Set<TrainingListener>>() { });
        Set<TrainingListener> a = injector.getInstance(key);
        Set<TrainingListener> b = injector.getInstance(key);
        assertEquals(1, a.size());
        assertTrue(a.iterator().next() != b.iterator().next(), "a new display per run");
    }

    @Test
    void theBackendChooserGoesThroughCoresBackendModule() {
        Injector injector = Guice.createInjector(new ModelRegistryModule());
        BackendChooser chooser = injector.getInstance(BackendChooser.class);
        Backend shared = chooser.choose("ejml", null);
        assertEquals("ejml", shared.name());
        assertSame(shared, chooser.choose("ejml", null), "without settings: the shared one");
        Backend ownThreads = chooser.choose("ejml", 1);
        assertEquals("ejml", ownThreads.name());
        assertTrue(ownThreads != shared, "with a thread count: a backend of its own");
    }

    @Test
    void commandsGetTheirCollaboratorsFromTheInjector() throws Exception {
        Injector injector = Guice.createInjector(new ModelRegistryModule(), new ListenerModule());
        GuiceFactory factory = new GuiceFactory(injector);
        TrainCommand train = factory.create(TrainCommand.class);
        assertTrue(train != null);
        // picocli's own types still come from its default factory
        assertTrue(factory.create(java.util.List.class) != null);
    }
}
