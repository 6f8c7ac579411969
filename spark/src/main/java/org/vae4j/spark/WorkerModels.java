package org.vae4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.vae4j.model.Model;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.train.Checkpoint;

/**
 * The models of a distributed training run built in this JVM, by run and backend. A model is
 * not thread-safe, so each concurrently running task borrows its own; a returned one serves the
 * next step's task, so an executor builds the model once per task slot for the whole run and
 * only the weights travel with each step.
 */
final class WorkerModels {
    private static final Map<String, ConcurrentLinkedDeque<Model>> IDLE =
            new ConcurrentHashMap<>();

    private WorkerModels() {
    }

    /**
     * A model of the run {@code runId} (its initial weights file {@code weights}) on {@code
     * backend} (null: this executor's default choice).
     */
    static Model borrow(String runId, byte[] weights, String backend) {
        Model m = IDLE.computeIfAbsent(runId + "|" + backend, k -> new ConcurrentLinkedDeque<>())
                .poll();
        if (m != null) {
            return m;
        }
        Backend b;
        try {
            b = backend == null ? Backends.select() : Backends.select(backend);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the backend " + (backend == null ? "(default)"
                    : "'" + backend + "'") + " is unavailable on executor host " + host() + ": "
                    + e.getMessage(), e);
        }
        try {
            Path file = Files.createTempFile("vae4j-train-", ".safetensors");
            try {
                Files.write(file, weights);
                return Checkpoint.loadModel(file, b);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the model on executor host " + host()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Gives a borrowed model back for the next task. */
    static void giveBack(String runId, String backend, Model m) {
        IDLE.get(runId + "|" + backend).push(m);
    }

    /** Closes and forgets the models of {@code runId} (in this JVM). */
    static void release(String runId) {
        IDLE.forEach((key, models) -> {
            if (key.startsWith(runId + "|")) {
                Model m;
                while ((m = models.poll()) != null) {
                    m.close();
                }
            }
        });
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "(unknown)";
        }
    }
}
