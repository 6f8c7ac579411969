package org.vae4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Safetensors;
import org.vae4j.model.Model;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.ModelInfo;
import org.vae4j.train.ModelWeights;
import org.vae4j.train.NonFiniteWeightsException;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainerState;

/**
 * A run folder, as {@code vae4j train} writes it:
 *
 * <pre>
 * runs/vae-20250101-120000/
 *   config.json            model type and settings, optimizer, batch size, epochs, seed, backend, data
 *   metrics.csv            one row per epoch: train and test loss terms, seconds, samples/s
 *   checkpoints/step-N/    the two newest checkpoints (weights, optimizer state, trainer state)
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

    /** Everything a run writes; what {@code --force} replaces. */
    static final List<String> ENTRIES = List.of(CONFIG, METRICS, Checkpoint.FOLDER, WEIGHTS,
            RECONSTRUCTIONS, SAMPLES, LATENT, LOSS, org.vae4j.data.Preprocessing.FILE,
            org.vae4j.data.DataCard.FILE);

    /**
     * The files the commands write into the run folder when given no --out (pictures, and the
     * anomaly threshold, scores and evaluation pictures).
     */
    static final List<String> COMMAND_PICTURES = List.of("sample.png", "reconstruct.png",
            "interpolate.png", "embed.png", "threshold.json", "scores.csv", "scores.jsonl",
            "roc.png", "scores.png");

    private final Path dir;
    private final RunConfig config;
    private Weights weights;

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

    /** The complete checkpoints, newest first. */
    List<Path> checkpoints() {
        try {
            return Checkpoint.all(dir);
        } catch (IOException e) {
            throw new CliException("cannot list the checkpoints of " + dir + ": "
                    + ErrorHandler.describe(e), e);
        }
    }

    /**
     * The weights a command should use, and why when they are not simply the final weights:
     * {@code note} is null when {@code file} is {@code model.safetensors} and no checkpoint is
     * newer.
     */
    record Weights(Path file, String note) {
    }

    /**
     * The current weights of the run: {@code model.safetensors} when no checkpoint is newer
     * (it is written from the last checkpoint's step when training ends), else the newest
     * checkpoint that can be read, with a note saying which file and why. A training that was
     * interrupted or killed after {@code model.safetensors} was written (a resume) leaves newer
     * checkpoints, and those are the weights {@code metrics.csv} describes.
     */
    Weights weights() {
        if (weights == null) {
            weights = chooseWeights();
        }
        return weights;
    }

    /** The file {@link #weights()} chose. */
    Path weightsFile() {
        return weights().file();
    }

    private Weights chooseWeights() {
        Path last = dir.resolve(WEIGHTS);
        boolean hasFinal = Files.isRegularFile(last);
        List<Path> checkpoints;
        try {
            checkpoints = Checkpoint.all(dir);
        } catch (IOException e) {
            throw new CliException("cannot list the checkpoints of " + dir + ": "
                    + ErrorHandler.describe(e), e);
        }
        if (checkpoints.isEmpty()) {
            if (hasFinal) {
                return new Weights(last, null);
            }
            throw new CliException(dir + " holds no weights yet: no " + WEIGHTS
                    + " and no checkpoint (did its training fail before the first epoch"
                    + " ended?)");
        }
        if (hasFinal && !olderThan(last, checkpoints.get(0))) {
            return new Weights(last, null);
        }
        List<String> skipped = new ArrayList<>();
        for (Path c : checkpoints) {
            Path file = c.resolve(Checkpoint.MODEL_FILE);
            try {
                Safetensors.read(file);
            } catch (IOException | RuntimeException e) {
                skipped.add("skipped the newer checkpoint " + file + ", which cannot be read ("
                        + ErrorHandler.describe(e) + ")");
                continue;
            }
            String why = hasFinal
                    ? WEIGHTS + " is from " + weightsStepText(last) + ": the training that"
                    + " continued this run did not finish"
                    : "the run has no " + WEIGHTS + " yet: its training did not finish";
            StringBuilder note = new StringBuilder("using the newest checkpoint's weights, "
                    + file + " (" + describe(c) + "): " + why + " (continue it with 'vae4j"
                    + " resume --run " + dir + "')");
            skipped.forEach(sk -> note.append("; ").append(sk));
            return new Weights(file, note.toString());
        }
        if (hasFinal) {
            return new Weights(last, "using " + last + " (" + weightsStepText(last)
                    + "), older than the newest checkpoint: " + String.join("; ", skipped));
        }
        throw new CliException(dir + " holds no readable weights: no " + WEIGHTS + ", and "
                + String.join("; ", skipped).replace("skipped the newer checkpoint", "the checkpoint"));
    }

    /** Whether the final weights {@code file} are from before the checkpoint {@code newest}. */
    private static boolean olderThan(Path file, Path newest) {
        try {
            OptionalLong step = Checkpoint.weightsStep(file);
            if (step.isPresent()) {
                return step.getAsLong() < Checkpoint.stepOf(newest);
            }
            // written without its step (an earlier release): compare the times of writing
            FileTime finalTime = Files.getLastModifiedTime(file);
            FileTime checkpointTime = Files.getLastModifiedTime(
                    newest.resolve(Checkpoint.MODEL_FILE));
            return checkpointTime.toMillis() > finalTime.toMillis() + 1000;
        } catch (IOException e) {
            // unreadable final weights: loading them reports the problem
            return false;
        }
    }

    private static String weightsStepText(Path file) {
        try {
            OptionalLong step = Checkpoint.weightsStep(file);
            return step.isPresent() ? "step " + step.getAsLong() : "an earlier training";
        } catch (IOException e) {
            return "an earlier training";
        }
    }

    /** "step 12, after epoch 3" or "step 40, in epoch 2": where a checkpoint is. */
    static String describe(Path checkpoint) {
        long step = Checkpoint.stepOf(checkpoint);
        try {
            TrainerState s = Checkpoint.readState(checkpoint);
            return "step " + step + (s.batch() == 0 ? ", after epoch " + s.epoch()
                    : ", in epoch " + (s.epoch() + 1));
        } catch (IOException | RuntimeException e) {
            return "step " + step;
        }
    }

    /** The run's model rebuilt on {@code backend} from {@link #weights()}. */
    Model loadModel(ModelRegistry registry, org.vae4j.tensor.Backend backend) throws IOException {
        return loadModel(registry, backend, false);
    }

    /** The {@code arch} setting of a model's configuration; mlp, its default, when unset. */
    private static String architecture(org.vae4j.model.ModelConfig c) {
        Object arch = c.asMap().get("arch");
        return arch == null ? "mlp" : arch.toString();
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
        String runArch = architecture(config.modelConfig());
        String fileArch = architecture(info.config());
        if (!runArch.equals(fileArch)) {
            throw new CliException(file + " holds weights of the " + fileArch
                    + " architecture, but " + dir.resolve(CONFIG) + " says this run trains the "
                    + runArch + " architecture");
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

    // ---------------------------------------------------------------- what a folder holds

    /** What an output folder holds, as far as writing a new run there is concerned. */
    enum Kind {
        /** Nothing there: the run is built beside it and renamed into place. */
        MISSING,
        /** A file, not a folder. */
        FILE,
        /** An empty folder: the run is written into it. */
        EMPTY,
        /** A vae4j run (its config.json says so): replaced only with --force. */
        RUN,
        /** Other files: never written into, never deleted from. */
        FOREIGN
    }

    /** The kind of {@code dir}, and for a foreign folder what was found there. */
    record Contents(Kind kind, String found) {
    }

    /** Looks at {@code dir} without changing anything. */
    static Contents inspect(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.exists(dir)) {
            return new Contents(Kind.MISSING, null);
        }
        if (!Files.isDirectory(dir)) {
            return new Contents(Kind.FILE, null);
        }
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new CliException("cannot look into the output folder " + dir + ": "
                    + reason(e), e);
        }
        if (names.isEmpty()) {
            return new Contents(Kind.EMPTY, null);
        }
        Path config = dir.resolve(CONFIG);
        if (Files.isRegularFile(config)) {
            String verdict = runConfigVerdict(config);
            if (verdict == null) {
                return new Contents(Kind.RUN, null);
            }
            return new Contents(Kind.FOREIGN, "a " + CONFIG + " that " + verdict
                    + listing(names.stream().filter(n -> !n.equals(CONFIG)).toList(), ", and "));
        }
        return new Contents(Kind.FOREIGN, "files that are not a vae4j run" + listing(names, ": "));
    }

    private static String listing(List<String> names, String lead) {
        if (names.isEmpty()) {
            return "";
        }
        String shown = String.join(", ", names.subList(0, Math.min(4, names.size())));
        return lead + shown + (names.size() > 4 ? " and " + (names.size() - 4) + " more" : "");
    }

    /**
     * Null when {@code file} is a vae4j run's config.json: it says {@code "format":
     * "vae4j-run"}, or (as the first release wrote it) has the keys model, model_config,
     * training and data and no format of its own. Else what it is instead.
     */
    private static String runConfigVerdict(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            return "is not a vae4j run configuration (it cannot be read as JSON)";
        }
        if (!(root instanceof ObjectNode)) {
            return "is not a vae4j run configuration (not a JSON object)";
        }
        JsonNode format = root.get("format");
        if (format != null) {
            return RunConfig.FORMAT.equals(format.asText()) ? null
                    : "is another program's (its \"format\" is " + format + ", not \""
                    + RunConfig.FORMAT + "\")";
        }
        for (String key : List.of("model", "model_config", "training", "data")) {
            if (!root.has(key)) {
                return "is not a vae4j run configuration (no \"format\": \""
                        + RunConfig.FORMAT + "\")";
            }
        }
        return null;
    }

    /**
     * Whether {@code name} in a run folder is the run's own (what replacing the run replaces):
     * the files a run writes, the pictures the commands write beside them by default, and the
     * temporary files of interrupted writes of those. Anything else is the user's and is kept.
     */
    static boolean isRunEntry(String name) {
        if (ENTRIES.contains(name) || COMMAND_PICTURES.contains(name)) {
            return true;
        }
        for (String e : ENTRIES) {
            if (name.startsWith("." + e + ".") && name.endsWith(".tmp")) {
                return true;
            }
        }
        return false;
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
