package org.vae4j.cli.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.vae4j.anomaly.AnomalyScorer;
import org.vae4j.anomaly.ScoreOptions;
import org.vae4j.anomaly.Threshold;
import org.vae4j.data.Batch;
import org.vae4j.io.AtomicFiles;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.Model;
import org.vae4j.onnx.proto.Onnx.ModelProto;
import org.vae4j.onnx.proto.Onnx.ValueInfoProto;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.trace.Trace;
import org.vae4j.trace.TraceException;
import org.vae4j.trace.TracingBackend;

/**
 * Writes a model as ONNX files, one per function, by {@linkplain TracingBackend tracing} it:
 * {@code encoder.onnx} ({@code x} [N, input...] and, for a conditional model, {@code labels}
 * [N] int64, to {@code z} [N, latent]), {@code decoder.onnx} ({@code z}, labels, to
 * {@code x_hat}) and, for a model with anomaly scores, {@code score.onnx} ({@code x}, labels
 * and, for a stochastic score, its draws {@code noise_0 … noise_{k-1}} [N, …] as inputs, to
 * {@code score} [N]). The model must have been loaded on a {@link TracingBackend}.
 */
public final class OnnxExporter {

    public static final String FORMAT = "vae4j-onnx-export";
    public static final String ENCODER_FILE = "encoder.onnx";
    public static final String DECODER_FILE = "decoder.onnx";
    public static final String SCORE_FILE = "score.onnx";
    public static final String CONFIG_FILE = "config.json";
    public static final int OPSET = OnnxGraph.OPSET;
    /** The batch size the functions are traced at; the files take any. */
    static final int TRACE_BATCH = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExporter() {
    }

    /**
     * What {@code score.onnx} computes: the score {@code name} (null: the model's default, and
     * no score.onnx, with a note, when that one cannot be traced), with {@code samples} draws of
     * z per example for a stochastic score, and the run's {@code threshold} for it (or null),
     * recorded in config.json.
     */
    public record ScoreSpec(String name, int samples, Threshold threshold) {

        /** The model's default score with the default number of draws, no threshold. */
        public static final ScoreSpec DEFAULT = new ScoreSpec(null, ScoreOptions.DEFAULT_SAMPLES,
                null);
    }

    /** The ONNX models of {@code model}'s functions and its default score, by file name. */
    public static Map<String, ModelProto> models(Model model) {
        return models(model, ScoreSpec.DEFAULT, new ArrayList<>());
    }

    /**
     * The ONNX models of {@code model}'s functions, by file name; nothing is written. Why a
     * default score was left out goes to {@code notes}.
     */
    public static Map<String, ModelProto> models(Model model, ScoreSpec score,
            List<String> notes) {
        if (!(model.backend() instanceof TracingBackend tracer)) {
            throw new IllegalArgumentException("the model to export to ONNX must be loaded on"
                    + " the trace backend, not " + model.backend().name());
        }
        Map<String, ModelProto> files = new LinkedHashMap<>();
        String name = model.typeName();
        try {
            if (model instanceof Encoder e) {
                Trace t = traceEncoder(tracer, model, e, TRACE_BATCH);
                files.put(ENCODER_FILE, OnnxGraph.build(t, name, "z"));
            }
            if (model instanceof Decoder d && model instanceof Encoder e) {
                Trace t = traceDecoder(tracer, model, d, e.latentSize(), TRACE_BATCH);
                files.put(DECODER_FILE, OnnxGraph.build(t, name, "x_hat"));
            }
        } catch (TraceException ex) {
            throw new ExportException(ex.getMessage());
        }
        if (model instanceof AnomalyScorer scorer) {
            String which = score.name() != null ? score.name() : scorer.defaultScore();
            if (!scorer.scoreNames().contains(which)) {
                throw new ExportException("model " + name + " has no score '" + which
                        + "'; its scores: " + String.join(", ", scorer.scoreNames()));
            }
            try {
                Trace t = traceScore(tracer, model, scorer, which, score.samples(), TRACE_BATCH);
                files.put(SCORE_FILE, OnnxGraph.build(t, name, "score"));
            } catch (TraceException ex) {
                if (score.name() != null) {
                    throw new ExportException(ex.getMessage());
                }
                notes.add("no " + SCORE_FILE + ": " + ex.getMessage());
            }
        } else if (score.name() != null) {
            throw new ExportException("model " + name + " offers no anomaly scores, so there is"
                    + " no score '" + score.name() + "' to export");
        }
        if (files.isEmpty()) {
            throw new ExportException("model " + name + " is neither an encoder nor a decoder:"
                    + " nothing to export to ONNX");
        }
        return files;
    }

    /** {@code encode} traced at batch size {@code n}. */
    public static Trace traceEncoder(TracingBackend tracer, Model model, Encoder e, int n) {
        tracer.begin(model.typeName(), "encode");
        try (TensorScope scope = tracer.newScope()) {
            Tensor x = tracer.input("x", batched(n, model.inputShape()),
                    new Rng(1).uniform(n * model.inputSize(), 0, 1));
            int[] labels = labels(tracer, model, n);
            return tracer.finish(e.encode(new Batch(x, labels)), n);
        }
    }

    /** {@code decode} traced at batch size {@code n}. */
    public static Trace traceDecoder(TracingBackend tracer, Model model, Decoder d, int latent,
            int n) {
        tracer.begin(model.typeName(), "decode");
        try (TensorScope scope = tracer.newScope()) {
            Tensor z = tracer.input("z", Shape.of(n, latent), new Rng(2).uniform(n * latent, -1, 1));
            int[] labels = labels(tracer, model, n);
            return tracer.finish(d.decode(z, labels), n);
        }
    }

    /**
     * The score {@code name} traced at batch size {@code n}, with {@code samples} draws per
     * example: every draw the score makes becomes an input {@code noise_k}.
     */
    public static Trace traceScore(TracingBackend tracer, Model model, AnomalyScorer scorer,
            String name, int samples, int n) {
        tracer.begin(model.typeName(), "score:" + name);
        try (TensorScope scope = tracer.newScope()) {
            Tensor x = tracer.input("x", batched(n, model.inputShape()),
                    new Rng(1).uniform(n * model.inputSize(), 0, 1));
            int[] labels = labels(tracer, model, n);
            return tracer.finish(scorer.score(name, new Batch(x, labels),
                    new ScoreOptions(samples, new Rng(3))), n);
        }
    }

    private static int[] labels(TracingBackend tracer, Model model, int n) {
        if (model instanceof Generator g && g.numClasses() > 0) {
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (i + 1) % g.numClasses();
            }
            return tracer.labels(labels);
        }
        return null;
    }

    private static Shape batched(int n, Shape example) {
        int[] d = new int[example.rank() + 1];
        d[0] = n;
        System.arraycopy(example.dims(), 0, d, 1, example.rank());
        return Shape.of(d);
    }

    /**
     * Exports {@code model} (loaded on a {@link TracingBackend}) into the folder {@code out}:
     * every function is traced first, so a model the exporter cannot express writes nothing.
     */
    public static Map<String, ModelProto> export(Model model, Path out, boolean force,
            ScoreSpec score, List<String> notes) throws IOException {
        Map<String, ModelProto> files = models(model, score, notes);
        String config = config(model, files, score);
        ExportFolder.write(out, force, FORMAT, dir -> {
            for (Map.Entry<String, ModelProto> f : files.entrySet()) {
                AtomicFiles.write(dir.resolve(f.getKey()), f.getValue()::writeTo);
            }
            AtomicFiles.writeString(dir.resolve(CONFIG_FILE), config);
        });
        return files;
    }

    private static String config(Model model, Map<String, ModelProto> files, ScoreSpec score)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("model", model.typeName());
        root.set("model_config", JSON.readTree(model.config().toJson()));
        root.put("opset", OnnxGraph.OPSET);
        ArrayNode shape = root.putArray("input_shape");
        for (int d : model.inputShape().dims()) {
            shape.add(d);
        }
        if (model instanceof Encoder e) {
            root.put("latent", e.latentSize());
        }
        if (model instanceof Generator g) {
            root.put("classes", g.numClasses());
        }
        ArrayNode names = root.putArray("files");
        files.keySet().forEach(names::add);
        ModelProto scoring = files.get(SCORE_FILE);
        if (scoring != null) {
            ObjectNode s = root.putObject("score");
            String name = score.name() != null ? score.name()
                    : ((AnomalyScorer) model).defaultScore();
            s.put("name", name);
            s.put("samples", score.samples());
            ArrayNode noise = s.putArray("noise");
            for (ValueInfoProto in : scoring.getGraph().getInputList()) {
                if (in.getName().startsWith("noise_")) {
                    ObjectNode n = noise.addObject();
                    n.put("input", in.getName());
                    ArrayNode dims = n.putArray("shape");
                    in.getType().getTensorType().getShape().getDimList().forEach(d ->
                            dims.add(d.hasDimParam() ? d.getDimParam() : "" + d.getDimValue()));
                    n.put("doc", in.getDocString());
                }
            }
            Threshold t = score.threshold();
            if (t != null && t.score().equals(name)) {
                s.put("threshold", t.value());
                s.put("flag", "score > threshold");
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }
}
