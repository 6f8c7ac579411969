package org.vae4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's side of a checkpoint ({@code trainer.json}): where the run is, what it was set
 * up with, and the partial sums of the epoch in progress, so that a resumed run continues
 * exactly and reports the same metrics as an uninterrupted one.
 *
 * @param epoch           the 0-based epoch to continue in
 * @param batch           the index of the next batch in that epoch (0 at an epoch boundary)
 * @param step            optimizer steps taken so far
 * @param seed            the run's seed (data order, per-step noise)
 * @param batchSize       training batch size
 * @param epochs          the number of epochs the run was planned for
 * @param trainSize       the number of training examples (the data order depends on it)
 * @param backend         the backend that trained it (bit-exact resumes need the same one)
 * @param modelType       the model's registry name
 * @param optimizer       the optimizer's class name, e.g. {@code Adam}
 * @param learningRate    the optimizer's learning rate at the checkpoint
 * @param epochSums       the epoch in progress: loss values summed over its examples so far
 * @param epochExamples   the epoch in progress: examples trained on so far
 * @param epochSeconds    the epoch in progress: training seconds so far
 * @param history         summaries of the finished epochs
 * @param accumulate      batches whose gradients make one update (1: none accumulated)
 * @param optimizers      every optimizer by name, with its settings at the checkpoint; empty in
 *                        a checkpoint of version 1, which knew one optimizer (the fields
 *                        {@code optimizer} and {@code learningRate}) and no schedule
 */
public record TrainerState(int epoch, int batch, long step, long seed, int batchSize, int epochs,
        int trainSize, String backend, String modelType, String optimizer, double learningRate,
        Map<String, Double> epochSums, long epochExamples, double epochSeconds,
        List<EpochSummary> history, int accumulate, List<OptimizerSettings> optimizers) {

    /** The value of {@code format} in every trainer state file. */
    public static final String FORMAT = "vae4j-trainer-state";

    /** The version of the layout written here (2 adds accumulation and named optimizers). */
    public static final int VERSION = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One optimizer's settings in a checkpoint.
     *
     * @param name         its name in {@link Optimizers}
     * @param type         its class name, e.g. {@code Adam}
     * @param learningRate its base learning rate (a listener may have changed it)
     * @param schedule     {@code LearningRateSchedule.describe()}
     * @param clipping     {@code GradientClipping.describe()}
     */
    public record OptimizerSettings(String name, String type, double learningRate,
            String schedule, String clipping) {
    }

    public TrainerState {
        epochSums = Collections.unmodifiableMap(new LinkedHashMap<>(epochSums));
        history = List.copyOf(history);
        optimizers = List.copyOf(optimizers);
        if (accumulate < 1) {
            throw new IllegalArgumentException("accumulate must be at least 1 batch, got "
                    + accumulate);
        }
    }

    /** A run with one optimizer, no accumulation and unrecorded settings (as version 1). */
    public TrainerState(int epoch, int batch, long step, long seed, int batchSize, int epochs,
            int trainSize, String backend, String modelType, String optimizer,
            double learningRate, Map<String, Double> epochSums, long epochExamples,
            double epochSeconds, List<EpochSummary> history) {
        this(epoch, batch, step, seed, batchSize, epochs, trainSize, backend, modelType, optimizer,
                learningRate, epochSums, epochExamples, epochSeconds, history, 1, List.of());
    }

    /** The state as pretty-printed JSON. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("epoch", epoch);
        root.put("batch", batch);
        root.put("step", step);
        root.put("seed", seed);
        root.put("batchSize", batchSize);
        root.put("epochs", epochs);
        root.put("trainSize", trainSize);
        root.put("backend", backend);
        root.put("model", modelType);
        root.put("optimizer", optimizer);
        root.put("learningRate", learningRate);
        putMap(root.putObject("epochSums"), epochSums);
        root.put("epochExamples", epochExamples);
        root.put("epochSeconds", epochSeconds);
        root.put("accumulate", accumulate);
        ArrayNode opts = root.putArray("optimizers");
        for (OptimizerSettings o : optimizers) {
            ObjectNode n = opts.addObject();
            n.put("name", o.name());
            n.put("type", o.type());
            n.put("learningRate", o.learningRate());
            n.put("schedule", o.schedule());
            n.put("clipping", o.clipping());
        }
        ArrayNode h = root.putArray("history");
        for (EpochSummary s : history) {
            ObjectNode e = h.addObject();
            e.put("epoch", s.epoch());
            e.put("step", s.step());
            putMap(e.putObject("train"), s.train());
            putMap(e.putObject("test"), s.test());
            e.put("seconds", s.seconds());
            e.put("samplesPerSecond", s.samplesPerSecond());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putMap(ObjectNode node, Map<String, Double> values) {
        values.forEach(node::put);
    }

    /**
     * Parses {@link #toJson()}'s output.
     *
     * @param source names the file in error messages
     * @throws IllegalArgumentException naming the source and the missing or invalid field
     */
    public static TrainerState fromJson(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object");
        }
        String format = root.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(source + ": format is '" + format
                    + "', expected '" + FORMAT + "'");
        }
        int version = root.path("version").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException(source + ": version " + version
                    + " is not supported; this vae4j reads versions 1 to " + VERSION);
        }
        Reader r = new Reader(root, source);
        List<EpochSummary> history = new ArrayList<>();
        for (JsonNode e : r.array(root, "history")) {
            Reader er = new Reader(e, source + " history");
            history.add(new EpochSummary(er.integer("epoch"), er.longValue("step"),
                    er.map("train"), er.map("test"), er.number("seconds"),
                    er.number("samplesPerSecond")));
        }
        int accumulate = 1;
        List<OptimizerSettings> optimizers = new ArrayList<>();
        if (version >= 2) {
            accumulate = r.integer("accumulate");
            if (accumulate < 1) {
                throw new IllegalArgumentException(source + ": field 'accumulate' must be at"
                        + " least 1, got " + accumulate);
            }
            for (JsonNode o : r.array(root, "optimizers")) {
                Reader or = new Reader(o, source + " optimizers");
                optimizers.add(new OptimizerSettings(or.text("name"), or.text("type"),
                        or.number("learningRate"), or.text("schedule"), or.text("clipping")));
            }
        }
        return new TrainerState(r.integer("epoch"), r.integer("batch"), r.longValue("step"),
                r.longValue("seed"), r.integer("batchSize"), r.integer("epochs"),
                r.integer("trainSize"), r.text("backend"), r.text("model"), r.text("optimizer"),
                r.number("learningRate"), r.map("epochSums"), r.longValue("epochExamples"),
                r.number("epochSeconds"), history, accumulate, optimizers);
    }

    /** Typed field access whose errors name the file and the field. */
    private record Reader(JsonNode node, String source) {

        JsonNode field(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new IllegalArgumentException(source + ": missing field '" + name + "'");
            }
            return v;
        }

        int integer(String name) {
            JsonNode v = field(name);
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw new IllegalArgumentException(source + ": field '" + name
                        + "' must be a whole number, got " + v);
            }
            return v.intValue();
        }

        long longValue(String name) {
            JsonNode v = field(name);
            if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                throw new IllegalArgumentException(source + ": field '" + name
                        + "' must be a whole number, got " + v);
            }
            return v.longValue();
        }

        double number(String name) {
            JsonNode v = field(name);
            if (v.isNumber()) {
                return v.doubleValue();
            }
            if (v.isTextual()) {
                try {
                    return Double.parseDouble(v.textValue()); // NaN and Infinity are quoted
                } catch (NumberFormatException e) {
                    // fall through
                }
            }
            throw new IllegalArgumentException(source + ": field '" + name
                    + "' must be a number, got " + v);
        }

        String text(String name) {
            JsonNode v = field(name);
            if (!v.isTextual()) {
                throw new IllegalArgumentException(source + ": field '" + name
                        + "' must be a string, got " + v);
            }
            return v.textValue();
        }

        Map<String, Double> map(String name) {
            JsonNode v = field(name);
            if (!v.isObject()) {
                throw new IllegalArgumentException(source + ": field '" + name
                        + "' must be an object of numbers");
            }
            Reader inner = new Reader(v, source + " " + name);
            Map<String, Double> out = new LinkedHashMap<>();
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                out.put(k, inner.number(k));
            }
            return out;
        }

        Iterable<JsonNode> array(JsonNode parent, String name) {
            JsonNode v = field(name);
            if (!v.isArray()) {
                throw new IllegalArgumentException(source + ": field '" + name
                        + "' must be an array");
            }
            return v;
        }
    }
}
