package org.vae4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.vae4j.anomaly.Threshold;
import org.vae4j.io.AtomicFiles;
import org.vae4j.train.Checkpoint;

/**
 * The part of a run folder an executor needs to score: the weights file and, when the run was
 * calibrated, its threshold. Read once on the driver and shipped to the executors as one
 * broadcast value, so executors need no access to the driver's file system.
 */
final class RunPayload implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String run;
    private final byte[] weights;
    private final byte[] threshold;
    private final String key;

    private RunPayload(String run, byte[] weights, byte[] threshold) {
        this.run = run;
        this.weights = weights;
        this.threshold = threshold;
        this.key = sha256(weights, threshold);
    }

    /** Reads {@code run}'s {@code model.safetensors} (else its newest checkpoint's weights). */
    static RunPayload read(Path run) throws IOException {
        if (!Files.isDirectory(run)) {
            throw new IOException("the run folder " + run + " does not exist or is not a folder");
        }
        Path weights = run.resolve(Checkpoint.MODEL_FILE);
        if (!Files.isRegularFile(weights)) {
            Path latest = Checkpoint.latest(run).orElseThrow(() -> new IOException("the run folder "
                    + run + " has no " + Checkpoint.MODEL_FILE + " and no checkpoint"));
            weights = latest.resolve(Checkpoint.MODEL_FILE);
        }
        Path t = run.resolve(Threshold.FILE);
        return new RunPayload(run.toString(), Files.readAllBytes(weights),
                Files.isRegularFile(t) ? Files.readAllBytes(t) : null);
    }

    /** The run folder's path on the driver, for messages. */
    String run() {
        return run;
    }

    /** A digest of the contents: equal payloads share one loaded model per JVM. */
    String key() {
        return key;
    }

    /** Writes the payload as a run folder under {@code dir} (on an executor) and returns it. */
    Path materialise(Path dir) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(Checkpoint.MODEL_FILE), out -> out.write(weights));
            if (threshold != null) {
                AtomicFiles.write(dir.resolve(Threshold.FILE), out -> out.write(threshold));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run " + run + " to " + dir, e);
        }
    }

    private static String sha256(byte[] a, byte[] b) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(a);
            if (b != null) {
                d.update(b);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
