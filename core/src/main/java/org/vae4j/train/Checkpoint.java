package org.vae4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Safetensors;
import org.vae4j.io.SafetensorsFile;
import org.vae4j.io.TensorData;
import org.vae4j.model.Model;
import org.vae4j.model.Models;
import org.vae4j.nn.Parameter;
import org.vae4j.optim.Optimizer;
import org.vae4j.optim.OptimizerState;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.NonFiniteException;
import org.vae4j.tensor.Shape;

/**
 * A whole training state on disk, one folder per checkpoint under the run directory:
 *
 * <pre>
 * run/
 *   metrics.csv
 *   checkpoints/
 *     step-00000469/
 *       model.safetensors       weights, with the model type and config in the metadata
 *       optimizer.safetensors   optimizer buffers, with its class and step count in the metadata
 *                               (several optimizers: buffers NAME/param.buffer, metadata NAME/...)
 *       trainer.json            epoch, batch, global step, seed, batch size, epochs, backend...
 * </pre>
 *
 * <p>A checkpoint is written into {@code step-N.partial/} (each file atomically and forced to
 * the device) and only then renamed to {@code step-N/}, so a folder without the suffix is always
 * complete; older checkpoints beyond the number to keep are deleted after that. A crash at any
 * moment therefore leaves the previous checkpoint usable, and {@link #latest} ignores leftovers.
 * Step-numbered folders rather than one rolling folder, because replacing a folder's three files
 * in place cannot be made atomic, while renaming a new folder can.
 */
public final class Checkpoint {

    /** The folder under the run directory that holds the checkpoints. */
    public static final String FOLDER = "checkpoints";
    public static final String MODEL_FILE = "model.safetensors";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String STATE_FILE = "trainer.json";

    /** The metadata key of the training step in a run's final weights. */
    public static final String STEP_KEY = "step";

    private static final Pattern NAME = Pattern.compile("step-(\\d+)");
    private static final String PARTIAL = ".partial";

    private Checkpoint() {
    }

    /** The folder name of the checkpoint at {@code step}. */
    public static String folderName(long step) {
        return String.format("step-%08d", step);
    }

    // ---------------------------------------------------------------- saving

    /**
     * Writes {@code runDirectory/checkpoints/step-N/} for {@code state.step()}, then deletes
     * all but the {@code keep} newest checkpoints (and any of a later step, which belong to a
     * continuation this run has replaced). Returns the new folder.
     *
     * @throws NonFiniteException naming the parameter or buffer, when a weight or optimizer
     *         value is NaN or infinite; nothing is written then
     */
    public static Path save(Path runDirectory, Model model, Optimizer optimizer,
            TrainerState state, int keep) throws IOException {
        return save(runDirectory, model, Optimizers.of(optimizer), state, keep);
    }

    /**
     * {@link #save(Path, Model, Optimizer, TrainerState, int)} with every optimizer's state:
     * the single {@link Optimizers#DEFAULT} one as before, several under their names.
     */
    public static Path save(Path runDirectory, Model model, Optimizers optimizers,
            TrainerState state, int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        // Download and check everything before touching the disk.
        Map<String, TensorData> weights = ModelWeights.snapshot(model);
        Map<String, TensorData> buffers = new LinkedHashMap<>();
        Map<String, String> optMeta = new LinkedHashMap<>();
        if (optimizers.isDefault()) {
            Optimizer optimizer = optimizers.only();
            OptimizerState opt = optimizer.state();
            buffers.putAll(optimizerTensors("", opt, model.parameters()));
            optMeta.putAll(optimizerMetadata("", optimizer, opt));
        } else {
            optMeta.put("format", ModelWeights.FORMAT);
            optMeta.put(OPTIMIZERS_KEY, String.join(",", optimizers.names()));
            optimizers.asMap().forEach((name, optimizer) -> {
                OptimizerState opt = optimizer.state();
                buffers.putAll(optimizerTensors(name + "/", opt, model.parameters()));
                optMeta.putAll(optimizerMetadata(name + "/", optimizer, opt));
            });
        }

        Path root = runDirectory.resolve(FOLDER);
        String name = folderName(state.step());
        Path partial = root.resolve(name + PARTIAL);
        Path target = root.resolve(name);
        try {
            Files.createDirectories(root);
            deleteRecursively(partial);
            Files.createDirectories(partial);
            Safetensors.write(partial.resolve(MODEL_FILE), weights, ModelWeights.metadata(model));
            Safetensors.write(partial.resolve(OPTIMIZER_FILE), buffers, optMeta);
            AtomicFiles.writeString(partial.resolve(STATE_FILE), state.toJson());
            AtomicFiles.syncDirectory(partial);
            if (Files.exists(target)) {
                Path old = root.resolve(name + ".old");
                deleteRecursively(old);
                AtomicFiles.move(target, old);
                AtomicFiles.move(partial, target);
                deleteRecursively(old);
            } else {
                AtomicFiles.move(partial, target);
            }
        } catch (IOException e) {
            // a full disk or a lost permission: no half-written folder stays behind, and the
            // error names the checkpoint, not the temporary folder it was being written to
            try {
                deleteRecursively(partial);
            } catch (IOException ignored) {
                // the write error is the one to report
            }
            throw AtomicFiles.naming(target, e);
        }
        AtomicFiles.syncDirectory(root);
        prune(root, state.step(), keep);
        return target;
    }

    /** The metadata key listing the optimizers' names of a checkpoint with several. */
    static final String OPTIMIZERS_KEY = "optimizers";

    private static Map<String, TensorData> optimizerTensors(String prefix, OptimizerState state,
            Map<String, Parameter> params) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        state.buffers().forEach((key, values) -> {
            // Buffers are named <parameter>.<buffer>; give them their parameter's shape.
            int dot = key.lastIndexOf('.');
            Parameter p = dot > 0 ? params.get(key.substring(0, dot)) : null;
            Shape shape = p != null && p.size() == values.length ? p.shape()
                    : Shape.of(values.length);
            TensorData d = new TensorData(shape, values);
            ModelWeights.checkFinite("optimizer state " + prefix + key, d);
            out.put(prefix + key, d);
        });
        return out;
    }

    private static Map<String, String> optimizerMetadata(String prefix, Optimizer optimizer,
            OptimizerState state) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (prefix.isEmpty()) {
            meta.put("format", ModelWeights.FORMAT);
        }
        meta.put(prefix + "optimizer", optimizer.getClass().getSimpleName());
        meta.put(prefix + "step", Long.toString(state.step()));
        meta.put(prefix + "learning_rate", Double.toString(optimizer.learningRate()));
        return meta;
    }

    private static void prune(Path root, long newest, int keep) throws IOException {
        List<Long> steps = new ArrayList<>(completeSteps(root));
        for (long s : steps) {
            if (s > newest) {
                deleteRecursively(root.resolve(folderName(s)));
            }
        }
        List<Long> kept = steps.stream().filter(s -> s <= newest)
                .sorted(Comparator.reverseOrder()).toList();
        for (int i = keep; i < kept.size(); i++) {
            deleteRecursively(root.resolve(folderName(kept.get(i))));
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(PARTIAL) || n.endsWith(".old")) {
                    deleteRecursively(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- finding

    /** The steps of the complete checkpoints under {@code root}, any order. */
    private static List<Long> completeSteps(Path root) throws IOException {
        List<Long> steps = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return steps;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && isComplete(p)) {
                    steps.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return steps;
    }

    private static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(MODEL_FILE))
                && Files.isRegularFile(dir.resolve(OPTIMIZER_FILE))
                && Files.isRegularFile(dir.resolve(STATE_FILE));
    }

    /** The complete checkpoint folders of a run directory, newest first. */
    public static List<Path> all(Path runDirectory) throws IOException {
        Path root = runDirectory.resolve(FOLDER);
        return completeSteps(root).stream().sorted(Comparator.reverseOrder())
                .map(s -> root.resolve(folderName(s))).toList();
    }

    /** The step a checkpoint folder ({@code step-N}) holds. */
    public static long stepOf(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(checkpoint + " is not a checkpoint folder"
                    + " (step-N)");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Reads a whole checkpoint and checks that every file parses (trainer state, both
     * safetensors files with all their data) and that the weights are of {@code modelType};
     * returns its state. Throws, naming the file and what is wrong, when it cannot be resumed
     * from.
     */
    public static TrainerState validate(Path checkpoint, String modelType) throws IOException {
        TrainerState state = readState(checkpoint);
        Path modelFile = checkpoint.resolve(MODEL_FILE);
        SafetensorsFile weights = Safetensors.read(modelFile);
        Safetensors.read(checkpoint.resolve(OPTIMIZER_FILE));
        String type = weights.meta("model");
        if (type != null && !type.equals(modelType)) {
            throw new CheckpointException(modelFile + " holds a '" + type + "' model, but the"
                    + " run trains a '" + modelType + "'");
        }
        if (!state.modelType().equals(modelType)) {
            throw new CheckpointException(checkpoint.resolve(STATE_FILE) + ": the run trained a '"
                    + state.modelType() + "' model, but this run trains a '" + modelType + "'");
        }
        return state;
    }

    /**
     * Writes a model's final weights atomically, like {@link ModelWeights#save}, with the
     * training step they are from in the metadata ({@value #STEP_KEY}), so that a reader can
     * tell whether a newer checkpoint has superseded them.
     */
    public static void saveWeights(Path file, Model model, long step) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(ModelWeights.metadata(model));
        meta.put(STEP_KEY, Long.toString(step));
        Safetensors.write(file, ModelWeights.snapshot(model), meta);
    }

    /**
     * The training step a weights file written by {@link #saveWeights} is from; empty for files
     * written without it (by {@link ModelWeights#save} or an earlier release).
     */
    public static java.util.OptionalLong weightsStep(Path file) throws IOException {
        String step = Safetensors.readMetadata(file).get(STEP_KEY);
        if (step == null) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(Long.parseLong(step));
        } catch (NumberFormatException e) {
            throw new CheckpointException(file + ": the metadata's '" + STEP_KEY
                    + "' is not a whole number: " + step);
        }
    }

    /** The newest complete checkpoint folder of a run directory, if any. */
    public static Optional<Path> latest(Path runDirectory) throws IOException {
        Path root = runDirectory.resolve(FOLDER);
        return completeSteps(root).stream().max(Long::compare)
                .map(s -> root.resolve(folderName(s)));
    }

    /**
     * The checkpoint folder {@code path} names: a checkpoint folder itself, or a run directory
     * (or its {@code checkpoints/} folder), whose newest checkpoint is taken.
     */
    public static Path locate(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such checkpoint or run"
                    + " directory");
        }
        if (Files.isRegularFile(path.resolve(STATE_FILE))) {
            if (!isComplete(path)) {
                throw new CheckpointException(path + ": incomplete checkpoint: it needs "
                        + MODEL_FILE + ", " + OPTIMIZER_FILE + " and " + STATE_FILE);
            }
            return path;
        }
        Optional<Path> latest = latest(path);
        if (latest.isEmpty() && path.getFileName() != null
                && path.getFileName().toString().equals(FOLDER)) {
            latest = latest(path.getParent());
        }
        return latest.orElseThrow(() -> new CheckpointException(path + ": no checkpoint found"
                + " (expected " + STATE_FILE + " here, or " + FOLDER + "/step-N/ folders)"));
    }

    // ---------------------------------------------------------------- loading

    /** The trainer state of a checkpoint folder. */
    public static TrainerState readState(Path checkpoint) throws IOException {
        Path file = checkpoint.resolve(STATE_FILE);
        try {
            return TrainerState.fromJson(Files.readString(file), file.toString());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage());
        }
    }

    /**
     * Loads a checkpoint's weights into {@code model} and its state into {@code optimizer}.
     * Everything is read and checked first (model type, parameter names and shapes, optimizer
     * type and buffers); on any mismatch nothing is changed.
     */
    public static void restore(Path checkpoint, Model model, Optimizer optimizer)
            throws IOException {
        restore(checkpoint, model, Optimizers.of(optimizer));
    }

    /**
     * {@link #restore(Path, Model, Optimizer)} for every optimizer of {@code optimizers}: their
     * names must be those of the checkpoint (one {@link Optimizers#DEFAULT} optimizer reads a
     * checkpoint of one optimizer, as written before optimizers had names).
     */
    public static void restore(Path checkpoint, Model model, Optimizers optimizers)
            throws IOException {
        Path modelFile = checkpoint.resolve(MODEL_FILE);
        Path optFile = checkpoint.resolve(OPTIMIZER_FILE);
        SafetensorsFile weights = Safetensors.read(modelFile);
        SafetensorsFile opt = Safetensors.read(optFile);
        ModelWeights.check(weights, modelFile, model);

        String savedNames = opt.meta(OPTIMIZERS_KEY);
        List<String> saved = savedNames == null ? List.of(Optimizers.DEFAULT)
                : List.of(savedNames.split(","));
        if (!saved.equals(optimizers.names())) {
            throw new CheckpointException(optFile + ": holds the state of the optimizers "
                    + saved + ", but the trainer has " + optimizers.names());
        }
        // Read and check every optimizer's state before loading any.
        Map<Optimizer, OptimizerState> states = new LinkedHashMap<>();
        for (Map.Entry<String, Optimizer> e : optimizers.asMap().entrySet()) {
            String prefix = savedNames == null ? "" : e.getKey() + "/";
            states.put(e.getValue(), readOptimizer(opt, optFile, prefix, e.getKey(),
                    e.getValue()));
        }
        // the states before, to put back if a later optimizer refuses its state
        Map<Optimizer, OptimizerState> before = new LinkedHashMap<>();
        for (Map.Entry<Optimizer, OptimizerState> e : states.entrySet()) {
            OptimizerState previous = e.getKey().state();
            try {
                e.getKey().loadState(e.getValue());
            } catch (IllegalArgumentException ex) {
                before.forEach(Optimizer::loadState);
                throw new CheckpointException(optFile + ": " + (optimizers.size() > 1
                        ? "optimizer '" + nameOf(optimizers, e.getKey()) + "': " : "")
                        + ex.getMessage());
            }
            before.put(e.getKey(), previous);
        }
        ModelWeights.apply(weights, model);
    }

    private static String nameOf(Optimizers optimizers, Optimizer o) {
        return optimizers.asMap().entrySet().stream().filter(e -> e.getValue() == o)
                .map(Map.Entry::getKey).findFirst().orElse("?");
    }

    /** One optimizer's state from the keys and metadata under {@code prefix}. */
    private static OptimizerState readOptimizer(SafetensorsFile opt, Path optFile, String prefix,
            String name, Optimizer optimizer) throws IOException {
        String where = optFile + (prefix.isEmpty() ? "" : " (optimizer '" + name + "')");
        String savedType = opt.meta(prefix + "optimizer");
        String type = optimizer.getClass().getSimpleName();
        if (savedType != null && !savedType.equals(type)) {
            throw new CheckpointException(where + ": holds the state of a " + savedType
                    + " optimizer, but the optimizer to load it into is a " + type);
        }
        long step;
        try {
            step = Long.parseLong(opt.meta(prefix + "step"));
        } catch (NumberFormatException | NullPointerException e) {
            throw new CheckpointException(where + ": the metadata has no valid '" + prefix
                    + "step' (got " + opt.meta(prefix + "step") + ")");
        }
        Map<String, float[]> buffers = new LinkedHashMap<>();
        opt.tensors().forEach((k, v) -> {
            if (prefix.isEmpty() || k.startsWith(prefix)) {
                buffers.put(k.substring(prefix.length()), v.values());
            }
        });
        try {
            return new OptimizerState(step, buffers);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + ": " + e.getMessage());
        }
    }

    /**
     * A model rebuilt from a checkpoint on {@code backend}: the type and config come from the
     * weights' metadata and the type is found through {@link Models}. {@code path} is a weights
     * file, a checkpoint folder or a run directory (its newest checkpoint).
     */
    public static Model loadModel(Path path, Backend backend) throws IOException {
        Path file = Files.isRegularFile(path) ? path : locate(path).resolve(MODEL_FILE);
        ModelInfo info = ModelWeights.readInfo(file);
        Model model = Models.create(info.typeName(), info.config(), backend, new Rng(0));
        try {
            ModelWeights.load(file, model);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
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
