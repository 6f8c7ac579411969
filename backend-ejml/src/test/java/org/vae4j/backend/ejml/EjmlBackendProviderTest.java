package org.vae4j.backend.ejml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BackendProvider;
import org.vae4j.tensor.Backends;

/** The EJML backend is found by name through the service registry and describes itself. */
class EjmlBackendProviderTest {

    @Test
    void serviceLoaderFindsTheEjmlProvider() {
        List<String> names = ServiceLoader.load(BackendProvider.class).stream()
                .map(p -> p.get().name()).toList();
        assertTrue(names.contains("ejml"), "providers found: " + names);
    }

    @Test
    void backendsGetReturnsOneEjmlBackend() {
        Backend be = Backends.get("ejml");
        assertInstanceOf(EjmlBackend.class, be);
        assertEquals("ejml", be.name());
        assertSame(be, Backends.get("EJML"));
    }

    @Test
    void ejmlIsListedAsAvailableWithItsPriority() {
        Backends.Info info = Backends.list().stream().filter(i -> i.name().equals("ejml"))
                .findFirst().orElseThrow();
        assertEquals(10, info.priority());
        assertTrue(info.availability().available());
        assertTrue(info.description().contains("EJML"), info.description());
    }

    @Test
    void describeMentionsTheThreads() {
        assertTrue(new EjmlBackend(new BackendConfig(1)).describe().contains("1 thread"));
        Backend two = Backends.create("ejml", new BackendConfig(2));
        assertTrue(two.describe().contains("2 threads"), two.describe());
        assertEquals(2, ((EjmlBackend) two).threads());
    }
}
