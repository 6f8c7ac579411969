package org.vae4j.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.vae4j.io.AtomicFiles;
import org.vae4j.model.Model;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.ModelInfo;
import org.vae4j.train.ModelWeights;
import org.vae4j.train.NonFiniteWeightsException;
import org.vae4j.train.Trainer;

/**
 * A run folder, as {@code vae4j train} writes it:
 *
 * <pre>
 * runs/vae-20250101-120000/
 *   config.json            model type and settings, optimizer, batch size, epochs, seed, backend, data
 *   metrics.csv            one row per epoch: train and test loss terms, seconds, samples/s
 *   checkpoints/step-N/    the newest checkpoint (weights, optimizer state, trainer state)
 *   model.safetensors      the final weights (with the model type and settings in its metadata)
 *   reconstructions.png    test digits above their reconstructions
 *   samples.png            draws from the prior (generative models)
 *   latent.png             the test set's latent codes, coloured by digit
 *   loss.png               train and test loss per epoch
 * </pre>
 */
final class RunFolder {

    static final String CONFIG = "config.json";
    static final String WEIGHTS = Checkpoint.MODEL_FILE;
    static final String METRICS = Trainer.METRICS_FILE;
    static final String RECONSTRUCTIONS = "reconstructions.png";
    static final String SAMPLES = "samples.png";
    static final String LATENT = "latent.png";
    static final String LOSS = "loss.png";
    /** The flag of the commands that load weights which loads NaN or infinite ones too. */
    static final String ALLOW_NON_FINITE = "--allow-non-finite";

    /** Everything a run writes; what {@code --force} removes before a new run. */
    static final List<String> ENTRIES = List.of(CONFIG, METRICS, Checkpoint.FOLDER, WEIGHTS,
            RECONSTRUCTIONS, SAMPLES, LATENT, LOSS);

    private final Path dir;
    private final RunConfig config;

    private RunFolder(Path dir, RunConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /** Opens an existing run folder and reads its {@code config.json}. */
    static RunFolder open(Path dir) {
        if (!Files.exists(dir)) {
            throw new CliException("run folder " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException(dir + " is a file, not a run folder");
        }
        Path file = dir.resolve(CONFIG);
        if (!Files.exists(file)) {
            throw new CliException(dir + " is not a vae4j run folder: it has no " + CONFIG
                    + " (run folders are written by 'vae4j train')");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (MalformedInputException e) {
            throw new CliException(file + " is not a text file; it should be the " + CONFIG
                    + " that 'vae4j train' wrote");
        } catch (AccessDeniedException e) {
            throw new CliException("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + ErrorHandler.describe(e), e);
        }
        return new RunFolder(dir, RunConfig.fromJson(text, file.toString()));
    }

    Path dir() {
        return dir;
    }

    RunConfig config() {
        return config;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Whether {@code dir} already holds (part of) a run. */
    static boolean holdsRun(Path dir) {
        return Files.isDirectory(dir) && ENTRIES.stream()
                .filter(e -> !e.endsWith(".png"))
                .anyMatch(e -> Files.exists(dir.resolve(e)));
    }

    /** {@code runs/<model>-<date>-<time>}, with a suffix if that exists already. */
    static Path defaultFor(String model) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = Path.of("runs", model + "-" + stamp);
        Path p = base;
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of(base + "-" + i);
        }
        return p;
    }

    /** The newest complete checkpoint, if any. */
    Optional<Path> latestCheckpoint() {
        try {
            return Checkpoint.latest(dir);
        } catch (IOException e) {
            throw new CliException("cannot list the checkpoints of " + dir + ": "
                    + ErrorHandler.describe(e), e);
        }
    }

    /** The final weights, else the newest checkpoint's (training did not finish). */
    Path weightsFile() {
        Path file = dir.resolve(WEIGHTS);
        if (Files.isRegularFile(file)) {
            return file;
        }
        return latestCheckpoint().map(c -> c.resolve(Checkpoint.MODEL_FILE))
                .orElseThrow(() -> new CliException(dir + " holds no weights yet: no " + WEIGHTS
                        + " and no checkpoint (did its training fail before the first epoch"
                        + " ended?)"));
    }

    /** The run's model rebuilt on {@code backend} from {@link #weightsFile()}. */
    Model loadModel(ModelRegistry registry, org.vae4j.tensor.Backend backend) throws IOException {
        return loadModel(registry, backend, false);
    }

    /**
     * As {@link #loadModel(ModelRegistry, org.vae4j.tensor.Backend)}; NaN or infinite weights
     * are refused (naming the flag that loads them) unless {@code allowNonFinite}.
     */
    Model loadModel(ModelRegistry registry, org.vae4j.tensor.Backend backend,
            boolean allowNonFinite) throws IOException {
        Path file = weightsFile();
        ModelInfo info = ModelWeights.readInfo(file);
        if (!info.typeName().equals(config.model())) {
            throw new CliException(file + " holds a '" + info.typeName() + "' model, but "
                    + dir.resolve(CONFIG) + " says this run trains a '" + config.model() + "'");
        }
        Model model = registry.create(info.typeName(), info.config(), backend, config.seed());
        try {
            ModelWeights.load(file, model, allowNonFinite);
        } catch (NonFiniteWeightsException e) {
            model.close();
            throw new CliException(e.getMessage() + ". " + ALLOW_NON_FINITE
                    + " loads them anyway, for a post-mortem", e);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Writes {@code config.json} atomically. */
    static void writeConfig(Path dir, RunConfig config) throws IOException {
        AtomicFiles.writeString(dir.resolve(CONFIG), config.toJson());
    }

    // ---------------------------------------------------------------- a new run's folder

    /**
     * A folder made ready for a new run: created if missing, checked writable, and (with force)
     * cleared of an earlier run. {@link #discard()} undoes what a failed run left, unless it got
     * as far as a checkpoint, which a user can resume from.
     */
    static final class Prepared {
        private final Path dir;
        private final Path createdRoot;

        private Prepared(Path dir, Path createdRoot) {
            this.dir = dir;
            this.createdRoot = createdRoot;
        }

        Path dir() {
            return dir;
        }

        /** Whether a complete checkpoint exists (then nothing is removed on failure). */
        boolean hasCheckpoint() {
            try {
                return Checkpoint.latest(dir).isPresent();
            } catch (IOException e) {
                return false;
            }
        }

        /** Removes what this run wrote; the folders it created too. Best effort. */
        void discard() {
            try {
                if (createdRoot != null) {
                    deleteRecursively(createdRoot);
                } else {
                    for (String e : ENTRIES) {
                        deleteRecursively(dir.resolve(e));
                    }
                }
            } catch (IOException e) {
                // best effort: the original error is what the user needs to see
            }
        }
    }

    /**
     * Makes {@code dir} ready for a new run. A folder that already holds a run is refused unless
     * {@code force}, which deletes that run's files (and only those).
     */
    static Prepared prepareNew(Path dir, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException("the output folder " + dir + " is a file; give --out a folder");
        }
        if (holdsRun(dir) && !force) {
            throw new CliException("the output folder " + dir + " already holds a run ("
                    + existingEntries(dir) + "); choose another --out, continue it with"
                    + " 'vae4j resume --run " + dir + "', or add --force to replace it");
        }
        Path createdRoot = null;
        if (!Files.exists(dir)) {
            Path top = dir.toAbsolutePath().normalize();
            while (top.getParent() != null && !Files.exists(top.getParent())) {
                top = top.getParent();
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new CliException("cannot create the output folder " + dir + ": "
                        + reason(e), e);
            }
            createdRoot = top;
        }
        try {
            Path probe = Files.createTempFile(dir, ".vae4j-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            if (createdRoot != null) {
                try {
                    deleteRecursively(createdRoot);
                } catch (IOException ignored) {
                    // the write failure is the error to report
                }
            }
            throw new CliException("cannot write to the output folder " + dir + ": "
                    + reason(e), e);
        }
        Prepared prepared = new Prepared(dir, createdRoot);
        if (force) {
            for (String e : ENTRIES) {
                try {
                    deleteRecursively(dir.resolve(e));
                } catch (IOException ex) {
                    throw new CliException("cannot remove the earlier run's " + dir.resolve(e)
                            + " (--force): " + reason(ex), ex);
                }
            }
        }
        return prepared;
    }

    private static String existingEntries(Path dir) {
        return String.join(", ", ENTRIES.stream().filter(e -> Files.exists(dir.resolve(e)))
                .limit(3).toList());
    }

    /** The file system's reason, e.g. "Read-only file system" or "permission denied". */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such folder";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return ErrorHandler.describe(e);
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
