package org.vae4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.vae4j.model.ModelConfig;

/**
 * A run's {@code config.json}: everything needed to rebuild its model and continue its
 * training — model type and settings, optimizer and learning rate, batch size, planned epochs,
 * seed, backend and data.
 *
 * @param limit         train on the first {@code limit} examples only; null for all
 * @param dataDir       the data cache folder given with {@code --data}; null for the default
 * @param threads       the {@code --threads} given; null for the backend's default
 * @param step          clipping, accumulation and the learning-rate schedule
 *                      ({@link TrainingFlags}); their defaults when config.json has none
 */
record RunConfig(String model, ModelConfig modelConfig, String optimizer, double learningRate,
        int batchSize, int epochs, long seed, String backend, Integer threads, String dataset,
        Integer limit, String dataDir, long checkpointEvery, TrainingFlags.Settings step,
        String created) {

    static final String FORMAT = "vae4j-run";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** This configuration planning {@code newEpochs} epochs in all. */
    RunConfig withEpochs(int newEpochs) {
        return new RunConfig(model, modelConfig, optimizer, learningRate, batchSize, newEpochs,
                seed, backend, threads, dataset, limit, dataDir, checkpointEvery, step, created);
    }

    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("model", model);
        try {
            root.set("model_config", JSON.readTree(modelConfig.toJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode training = root.putObject("training");
        training.put("optimizer", optimizer);
        training.put("learning_rate", learningRate);
        training.put("batch_size", batchSize);
        training.put("epochs", epochs);
        training.put("seed", seed);
        training.put("checkpoint_every", checkpointEvery);
        step.write(training);
        root.put("backend", backend);
        if (threads != null) {
            root.put("threads", threads);
        }
        ObjectNode data = root.putObject("data");
        data.put("dataset", dataset);
        if (limit != null) {
            data.put("limit", limit);
        }
        if (dataDir != null) {
            data.put("cache", dataDir);
        }
        root.put("created", created);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code config.json}; {@code where} names the file in errors. */
    static RunConfig fromJson(String text, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException(where + " is not valid JSON (" + e.getOriginalMessage()
                    + "); it should be the config.json that 'vae4j train' wrote");
        }
        if (!(root instanceof ObjectNode) || !FORMAT.equals(root.path("format").asText())) {
            throw new CliException(where + " is not a vae4j run configuration (expected a JSON"
                    + " object with \"format\": \"" + FORMAT + "\")");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new CliException(where + " has format version " + version
                    + "; this program reads version " + VERSION);
        }
        JsonNode training = required(root, "training", where);
        JsonNode data = required(root, "data", where);
        ModelConfig config;
        try {
            config = ModelConfig.fromJson(required(root, "model_config", where).toString());
        } catch (IllegalArgumentException e) {
            throw new CliException(where + ": " + e.getMessage());
        }
        return new RunConfig(
                text(root, "model", where),
                config,
                text(training, "optimizer", where).toLowerCase(Locale.ROOT),
                number(training, "learning_rate", where),
                (int) whole(training, "batch_size", where),
                (int) whole(training, "epochs", where),
                whole(training, "seed", where),
                text(root, "backend", where),
                root.has("threads") ? (int) whole(root, "threads", where) : null,
                text(data, "dataset", where),
                data.has("limit") ? (int) whole(data, "limit", where) : null,
                data.has("cache") ? text(data, "cache", where) : null,
                training.has("checkpoint_every") ? whole(training, "checkpoint_every", where) : 0,
                TrainingFlags.Settings.read(training, where),
                root.path("created").asText(""));
    }

    private static JsonNode required(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new CliException(where + ": the setting '" + key + "' is missing");
        }
        return v;
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode v = required(node, key, where);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new CliException(where + ": '" + key + "' must be a non-empty string, got "
                    + v);
        }
        return v.asText();
    }

    private static double number(JsonNode node, String key, String where) {
        JsonNode v = required(node, key, where);
        if (!v.isNumber()) {
            throw new CliException(where + ": '" + key + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static long whole(JsonNode node, String key, String where) {
        JsonNode v = required(node, key, where);
        if (!v.isIntegralNumber()) {
            throw new CliException(where + ": '" + key + "' must be a whole number, got " + v);
        }
        return v.asLong();
    }
}
