package org.vae4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;

/**
 * The detectors loaded in this JVM, by run contents and backend. A detector is not
 * thread-safe, so each concurrently running task borrows its own; a returned detector serves
 * the next task, so a JVM loads a run at most once per task slot, never once per partition.
 */
final class ExecutorModels {
    private static final Map<String, Path> FOLDERS = new ConcurrentHashMap<>();
    private static final Map<String, ConcurrentLinkedDeque<AnomalyDetector>> IDLE =
            new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** A detector over the payload's model on {@code backend} (null: the default choice). */
    static AnomalyDetector borrow(RunPayload payload, String backend) {
        String key = payload.key() + "|" + backend;
        AnomalyDetector d = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).poll();
        if (d != null) {
            return d;
        }
        Path dir = FOLDERS.computeIfAbsent(payload.key(), k -> {
            try {
                Path tmp = Files.createTempDirectory("vae4j-run-");
                tmp.toFile().deleteOnExit();
                return payload.materialise(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a local copy of the run "
                        + payload.run(), e);
            }
        });
        Backend b;
        try {
            b = backend == null ? Backends.select() : Backends.select(backend);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the backend " + (backend == null ? "(default)"
                    : "'" + backend + "'") + " is unavailable on executor host "
                    + host() + ": " + e.getMessage(), e);
        }
        try {
            return AnomalyDetector.fromRun(dir, b);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the run " + payload.run()
                    + " on executor host " + host() + ": " + e.getMessage(), e);
        }
    }

    /** Gives a borrowed detector back for the next task. */
    static void giveBack(RunPayload payload, String backend, AnomalyDetector d) {
        IDLE.get(payload.key() + "|" + backend).push(d);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "(unknown)";
        }
    }
}
