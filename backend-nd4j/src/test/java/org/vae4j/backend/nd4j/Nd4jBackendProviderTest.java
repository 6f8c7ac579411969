package org.vae4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendMismatchException;
import org.vae4j.tensor.BackendProvider;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

class Nd4jBackendProviderTest {

    @Test
    void serviceLoaderFindsTheProviderAndItIsAvailableHere() {
        BackendProvider nd4j = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("nd4j"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no provider named nd4j on the class path"));
        assertEquals(20, nd4j.priority());
        assertTrue(nd4j.availability().available(), nd4j.availability().toString());
    }

    @Test
    void backendsGetReturnsOneNd4jBackend() {
        Backend be = Backends.get("nd4j");
        assertEquals("nd4j", be.name());
        assertSame(be, Backends.get("ND4J"));
        assertTrue(be.describe().contains("ND4J"), be.describe());
        assertTrue(Backends.list().stream().anyMatch(i -> i.name().equals("nd4j")
                && i.availability().available()));
    }

    @Test
    void aTensorOfAnotherBackendIsRejected() {
        Backend nd4j = Backends.get("nd4j");
        ReferenceBackend reference = new ReferenceBackend();
        try (TensorScope scope = nd4j.newScope()) {
            Tensor foreign = reference.fromArray(new float[] {1f, 2f}, 2);
            Tensor own = nd4j.fromArray(new float[] {1f, 2f}, 2);
            BackendMismatchException e = assertThrows(BackendMismatchException.class,
                    () -> nd4j.add(own, foreign));
            assertTrue(e.getMessage().contains("reference") && e.getMessage().contains("nd4j"),
                    e.getMessage());
            foreign.close();
        }
    }

    @Test
    void aLoadFailureBecomesAOneLineReason() {
        Throwable failure = new NoClassDefFoundError("Could not initialize class org.nd4j.Nd4j");
        Throwable wrapped = new ExceptionInInitializerError(new UnsatisfiedLinkError(
                "no jnind4jcpu in java.library.path\nsecond line"));
        assertEquals("NoClassDefFoundError: Could not initialize class org.nd4j.Nd4j",
                Nd4jBackendProvider.reason(failure));
        assertEquals("UnsatisfiedLinkError: no jnind4jcpu in java.library.path",
                Nd4jBackendProvider.reason(wrapped));
    }
}
