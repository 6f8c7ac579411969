package org.vae4j.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;
import org.vae4j.io.AtomicFiles;

/**
 * Writes an export's output folder so that a failure leaves no partial files: everything goes
 * into a hidden sibling, which is renamed into place at the end. An existing folder is replaced
 * only with {@code force}, and only when it is empty or an earlier export of the same format
 * (its {@code config.json} says so): never a folder of other files.
 */
public final class ExportFolder {

    /** Fills the folder it is given. */
    @FunctionalInterface
    public interface Content {
        void writeInto(Path dir) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private ExportFolder() {
    }

    /**
     * Writes {@code content} to {@code out}, an export of {@code format} (the value of
     * {@code "format"} in its config.json).
     */
    public static void write(Path out, boolean force, String format, Content content)
            throws IOException {
        boolean exists = Files.exists(out);
        if (exists) {
            if (!Files.isDirectory(out)) {
                throw new ExportException("the output folder " + out + " is a file; give --out a"
                        + " folder");
            }
            if (!force) {
                throw new ExportException("the output folder " + out + " already exists; choose"
                        + " another --out, or add --force to replace it");
            }
            if (!replaceable(out, format)) {
                throw new ExportException("the output folder " + out + " holds files that are"
                        + " not a " + format + " export; --force replaces only an earlier"
                        + " export or an empty folder: choose another --out");
            }
        }
        Path abs = out.toAbsolutePath().normalize();
        Files.createDirectories(abs.getParent());
        Path work = sibling(abs, "new");
        Files.createDirectory(work);
        try {
            content.writeInto(work);
        } catch (IOException | RuntimeException | Error e) {
            deleteRecursively(work);
            throw e;
        }
        if (!exists) {
            try {
                AtomicFiles.move(work, abs);
            } catch (IOException e) {
                deleteRecursively(work);
                throw e;
            }
        } else {
            Path old = sibling(abs, "old");
            AtomicFiles.move(abs, old);
            try {
                AtomicFiles.move(work, abs);
            } catch (IOException e) {
                AtomicFiles.move(old, abs);
                deleteRecursively(work);
                throw e;
            }
            deleteRecursively(old);
        }
        AtomicFiles.syncDirectory(abs.getParent());
    }

    private static boolean replaceable(Path dir, String format) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                return true;
            }
        }
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(config));
            return root != null && format.equals(root.path("format").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private static Path sibling(Path abs, String kind) {
        return abs.resolveSibling("." + abs.getFileName() + "." + kind + "-"
                + ProcessHandle.current().pid() + "-" + Integer.toHexString(RANDOM.nextInt(1 << 16)));
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
