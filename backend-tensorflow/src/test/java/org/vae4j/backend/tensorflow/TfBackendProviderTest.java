package org.vae4j.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Availability;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import org.vae4j.tensor.BackendMismatchException;
import org.vae4j.tensor.BackendProvider;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/** Discovery of the TensorFlow backend and what it promises beyond the conformance kit. */
class TfBackendProviderTest {

    @Test
    void serviceLoaderFindsTheTensorflowProvider() {
        BackendProvider provider = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("tensorflow"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no provider named tensorflow"));
        assertInstanceOf(TfBackendProvider.class, provider);
        assertEquals(30, provider.priority());
        assertTrue(provider.description().contains("TensorFlow"), provider.description());
    }

    @Test
    void tensorflowIsListedAsAvailableOnThisMachine() {
        Backends.Info info = Backends.list().stream()
                .filter(i -> i.name().equals("tensorflow"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("tensorflow missing from " + Backends.list()));
        assertEquals(Availability.yes(), info.availability());
    }

    @Test
    void backendsGetCreatesOneTensorflowBackend() {
        Backend be = Backends.get("tensorflow");
        assertInstanceOf(TfBackend.class, be);
        assertEquals("tensorflow", be.name());
        assertSame(be, Backends.get("TensorFlow"));
        assertTrue(be.describe().contains("TensorFlow 2."), be.describe());
        assertTrue(be.describe().contains("intra-op thread"), be.describe());
    }

    @Test
    void aSecondThreadCountIsReportedAsNotAppliedAndStillComputes() {
        int shared = TfEager.shared(2).threads();
        // One of a backend's threads is the vae4j worker, so this asks for a pool of shared + 1.
        Backend be = Backends.create("tensorflow", new BackendConfig(shared + 2));
        assertTrue(be.describe().contains(shared + " intra-op thread"), be.describe());
        assertTrue(be.describe().contains((shared + 2) + " asked for"), be.describe());
        try (TensorScope scope = be.newScope()) {
            Tensor x = be.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
            // [[1,2],[3,4]]² = [[7,10],[15,22]]
            assertEquals(54f, be.sum(be.matmul(x, x), false).item());
        }
    }

    @Test
    void tensorOfAnotherTensorflowBackendIsRejectedThoughTheyShareAContext() {
        Backend first = new TfBackend(new BackendConfig(2));
        Backend second = new TfBackend(new BackendConfig(2));
        try (TensorScope a = first.newScope(); TensorScope b = second.newScope()) {
            Tensor mine = first.fromArray(new float[] {1, 2}, 2);
            Tensor theirs = second.fromArray(new float[] {3, 4}, 2);
            BackendMismatchException e = assertThrows(BackendMismatchException.class,
                    () -> first.add(mine, theirs));
            assertTrue(e.getMessage().contains("add"), e.getMessage());
        }
        assertEquals(0, first.liveTensors());
        assertEquals(0, second.liveTensors());
    }
}
