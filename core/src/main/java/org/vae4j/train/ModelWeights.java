package org.vae4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vae4j.io.Safetensors;
import org.vae4j.io.SafetensorsFile;
import org.vae4j.io.TensorData;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.NonFiniteException;

/**
 * A model's weights as a safetensors file ({@code model.safetensors}): one F32 tensor per
 * parameter and buffer ({@link org.vae4j.nn.Module#state()}) under its module path
 * ({@code encoder.0.weight}), and in {@code __metadata__} the
 * keys {@code format} ({@value #FORMAT}), {@code model} (the type name) and {@code config} (its
 * JSON), which are enough to rebuild the model on any backend.
 */
public final class ModelWeights {

    /** The {@code format} metadata value of vae4j files. */
    public static final String FORMAT = "vae4j";

    private ModelWeights() {
    }

    /**
     * Writes the model's parameters and buffers atomically.
     *
     * @throws NonFiniteException naming the parameter, when a weight is NaN or infinite (a
     *         diverged model is never saved over a good file)
     */
    public static void save(Path file, Model model) throws IOException {
        Safetensors.write(file, snapshot(model), metadata(model));
    }

    /** The parameters and buffers copied to the host, checked finite. */
    static Map<String, TensorData> snapshot(Model model) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        model.state().forEach((name, p) -> {
            TensorData d = TensorData.of(p.value());
            checkFinite("parameter " + name, d);
            tensors.put(name, d);
        });
        return tensors;
    }

    static void checkFinite(String what, TensorData d) {
        int i = d.firstNonFinite();
        if (i >= 0) {
            throw new NonFiniteException(what + " is " + d.values()[i] + " at element " + i
                    + " of " + d.shape() + "; refusing to save diverged weights");
        }
    }

    /** The {@code __metadata__} written with a model's weights. */
    public static Map<String, String> metadata(Model model) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("model", model.typeName());
        meta.put("config", model.config().toJson());
        return meta;
    }

    /** The model type and config a weights file was written for. */
    public static ModelInfo readInfo(Path file) throws IOException {
        Map<String, String> meta = Safetensors.readMetadata(file);
        String type = meta.get("model");
        String config = meta.get("config");
        if (type == null || config == null) {
            throw new CheckpointException(file + ": the metadata names no model type and config"
                    + " (keys 'model' and 'config'); it was not written by vae4j");
        }
        try {
            return new ModelInfo(type, ModelConfig.fromJson(config));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage());
        }
    }

    /**
     * Replaces every parameter and buffer of {@code model} with the file's values. Every name
     * and shape is checked first, and nothing is changed unless all match; a file of another
     * model type is rejected naming both types.
     *
     * @throws NonFiniteWeightsException naming the tensor and the first bad index, when a value
     *         is NaN or infinite
     */
    public static void load(Path file, Model model) throws IOException {
        load(file, model, false);
    }

    /**
     * As {@link #load(Path, Model)}; with {@code allowNonFinite} NaN and infinite values are
     * loaded too (to look into a diverged model, never to use it).
     */
    public static void load(Path file, Model model, boolean allowNonFinite) throws IOException {
        SafetensorsFile weights = Safetensors.read(file);
        check(weights, file, model, allowNonFinite);
        apply(weights, model);
    }

    /** Checks that {@code weights} fit {@code model} and are all finite. */
    static void check(SafetensorsFile weights, Path file, Model model) throws IOException {
        check(weights, file, model, false);
    }

    /**
     * Checks that {@code weights} fit {@code model}: type, every name and every shape; and,
     * unless {@code allowNonFinite}, that every value is finite.
     */
    static void check(SafetensorsFile weights, Path file, Model model, boolean allowNonFinite)
            throws IOException {
        checkFits(weights, file, model);
        if (!allowNonFinite) {
            checkFinite(weights, file);
        }
    }

    /** The first NaN or infinity of the file, by tensor in file order, is an error. */
    static void checkFinite(SafetensorsFile weights, Path file) throws NonFiniteWeightsException {
        for (Map.Entry<String, TensorData> e : weights.tensors().entrySet()) {
            int i = e.getValue().firstNonFinite();
            if (i >= 0) {
                throw new NonFiniteWeightsException(file, e.getKey(), e.getValue(), i);
            }
        }
    }

    private static void checkFits(SafetensorsFile weights, Path file, Model model)
            throws CheckpointException {
        String fileType = weights.meta("model");
        ModelConfig fileConfig = null;
        if (weights.meta("config") != null) {
            try {
                fileConfig = ModelConfig.fromJson(weights.meta("config"));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file + ": " + e.getMessage());
            }
        }
        if (fileType != null && !fileType.equals(model.typeName())) {
            throw new CheckpointException(file + ": holds a '" + fileType + "' model, but the"
                    + " model to load it into is a '" + model.typeName() + "'");
        }
        String described = describe(model, fileConfig);
        Map<String, Parameter> params = model.state();
        Map<String, TensorData> tensors = weights.tensors();
        String fileConv = firstConvolution(tensors.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().shape())));
        String modelConv = firstConvolution(params.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().shape())));
        if ((fileConv == null) != (modelConv == null)) {
            throw new CheckpointException(file + ": holds the parameters of the "
                    + (fileConv != null ? "conv" : "mlp") + " architecture"
                    + (fileConv != null ? " (convolution weight " + fileConv + ")" : "")
                    + ", but " + described + " has the "
                    + (modelConv != null ? "conv" : "mlp") + " architecture"
                    + (modelConv != null ? " (convolution weight " + modelConv + ")" : "")
                    + "; load it with the architecture it was trained with");
        }
        List<String> problems = new ArrayList<>();
        params.forEach((name, p) -> {
            TensorData t = tensors.get(name);
            if (t == null) {
                problems.add("parameter " + name + " " + p.shape() + " of " + described
                        + " is missing from the file");
            } else if (!t.shape().equals(p.shape())) {
                problems.add("parameter " + name + " has shape " + t.shape() + " in the file but "
                        + p.shape() + " in " + described);
            }
        });
        for (String name : tensors.keySet()) {
            if (!params.containsKey(name)) {
                problems.add("the file has a parameter " + name + " that " + described
                        + " does not have");
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(file + ": " + String.join("; ", problems));
        }
    }

    /**
     * The first 4-d tensor, as "name shape", or null: a convolution's weight, which only a conv
     * architecture has, so that loading one architecture's weights into the other is one error
     * naming both rather than a list of shape mismatches.
     */
    private static String firstConvolution(
            java.util.stream.Stream<Map.Entry<String, org.vae4j.tensor.Shape>> shapes) {
        return shapes.filter(e -> e.getValue().rank() == 4).findFirst()
                .map(e -> e.getKey() + " " + e.getValue()).orElse(null);
    }

    /** Copies checked weights into the model's parameters. */
    static void apply(SafetensorsFile weights, Model model) {
        model.state().forEach((name, p) -> p.assign(weights.tensors().get(name).values()));
    }

    /**
     * "a vae with hidden=[512]": the model's type and the settings in which it differs from
     * the file's config (or its whole config when they agree or the file has none).
     */
    static String describe(Model model, ModelConfig fileConfig) {
        Map<String, Object> mine = model.config().asMap();
        Map<String, Object> shown = new LinkedHashMap<>();
        if (fileConfig != null) {
            mine.forEach((k, v) -> {
                if (!Objects.equals(fileConfig.asMap().get(k), v)) {
                    shown.put(k, v);
                }
            });
            fileConfig.asMap().keySet().forEach(k -> {
                if (!mine.containsKey(k)) {
                    shown.put(k, "(default)");
                }
            });
        }
        if (shown.isEmpty()) {
            shown.putAll(mine);
        }
        String article = model.typeName().matches("(?i)^[aeio].*") ? "an " : "a ";
        if (shown.isEmpty()) {
            return article + model.typeName();
        }
        List<String> parts = new ArrayList<>();
        shown.forEach((k, v) -> parts.add(k + "=" + v));
        String text = article + model.typeName() + " with " + String.join(", ", parts);
        if (fileConfig != null && !fileConfig.equals(model.config())) {
            List<String> fileParts = new ArrayList<>();
            shown.keySet().forEach(k -> fileParts.add(k + "="
                    + fileConfig.asMap().getOrDefault(k, "(default)")));
            text += " (the file's model has " + String.join(", ", fileParts) + ")";
        }
        return text;
    }
}
