package org.vae4j.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.cli.export.PytorchExportTest.Case;
import org.vae4j.anomaly.AnomalyScorer;
import org.vae4j.anomaly.ScoreOptions;
import org.vae4j.anomaly.Scores;
import org.vae4j.anomaly.Threshold;
import org.vae4j.data.Batch;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.Loss;
import org.vae4j.model.StepContext;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.onnx.proto.Onnx.ModelProto;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.UnaryOp;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.trace.TracingBackend;

/**
 * The ONNX export of every built-in model (MLP and conv, with and without a flow posterior) and
 * of the plug-in example: the files, run in ONNX Runtime at two batch sizes other than the traced
 * one, give vae4j's own outputs within 1e-5 relative.
 */
class OnnxExportTest {

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path tmp;

    static List<Case> cases() {
        List<Case> c = new ArrayList<>(PytorchExportTest.cases());
        c.add(new Case("sparse-ae", PytorchExportTest.with(PytorchExportTest.mlp(),
                "latent", 3)));
        // flow posteriors: encode's mean path, and the score's draws through the flow
        c.add(new Case("vae", PytorchExportTest.with(PytorchExportTest.mlp(), "latent", 3,
                "flow", "planar", "flow-length", 2)));
        c.add(new Case("vae", PytorchExportTest.with(PytorchExportTest.mlp(), "latent", 3,
                "flow", "radial", "flow-length", 2)));
        c.add(new Case("cvae", PytorchExportTest.with(PytorchExportTest.mlp(), "latent", 3,
                "classes", 3, "flow", "iaf", "flow-length", 2, "iaf-hidden", 6,
                "iaf-context", 2)));
        return c;
    }

    /** The model of {@code c} on the trace backend, with the weights of {@code m}. */
    static Model traced(Case c, Model m) {
        Model t = Models.create(c.model(), c.config(), new TracingBackend(), 1);
        Map<String, float[]> v = PytorchExportTest.values(m);
        t.state().forEach((k, p) -> p.assign(v.get(k)));
        return t;
    }

    static Model original(Case c) {
        return c.model().equals("sparse-ae")
                ? Models.create(c.model(), c.config(), PytorchExportTest.BACKEND, 7)
                : PytorchExportTest.randomised(c, 7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onnxRuntimeGivesVae4jsOutputs(Case c) throws Exception {
        try (Model m = original(c); Model t = traced(c, m)) {
            Map<String, ModelProto> files = OnnxExporter.models(t);
            assertTrue(files.containsKey(OnnxExporter.ENCODER_FILE), files.keySet().toString());
            int classes = m instanceof Generator g ? g.numClasses() : 0;
            Rng rng = new Rng(3);
            for (int n : new int[] {2, 5}) {
                float[] x = rng.uniform(n * m.inputSize(), 0, 1);
                int[] labels = classes > 0 ? labels(rng, n, classes) : null;
                Shape xs = batched(n, m.inputShape());
                float[] z;
                try (TensorScope s = m.backend().newScope()) {
                    z = ((Encoder) m).encode(new Batch(m.backend().fromArray(x, xs), labels))
                            .toArray();
                }
                float[] got = run(files.get(OnnxExporter.ENCODER_FILE), "x", x, xs, labels);
                close(c + " encode at n=" + n, z, got);
                if (files.containsKey(OnnxExporter.DECODER_FILE)) {
                    int latent = ((Encoder) m).latentSize();
                    float[] code = rng.uniform(n * latent, -1, 1);
                    float[] want;
                    try (TensorScope s = m.backend().newScope()) {
                        want = ((Decoder) m).decode(m.backend().fromArray(code, n, latent),
                                labels).toArray();
                    }
                    float[] dec = run(files.get(OnnxExporter.DECODER_FILE), "z", code,
                            Shape.of(n, latent), labels);
                    close(c + " decode at n=" + n, want, dec);
                }
                if (m instanceof AnomalyScorer scorer) {
                    assertTrue(files.containsKey(OnnxExporter.SCORE_FILE), files.keySet()
                            .toString());
                    checkScore(c + " " + scorer.defaultScore() + " at n=" + n, m, scorer,
                            scorer.defaultScore(), ScoreOptions.DEFAULT_SAMPLES,
                            files.get(OnnxExporter.SCORE_FILE), x, xs, labels);
                }
            }
        }
    }

    /**
     * score.onnx, fed vae4j's own draws in the order it makes them (noise_0, noise_1, …), gives
     * vae4j's scores; a stochastic score has one noise input per draw, a deterministic one none.
     */
    static void checkScore(String what, Model m, AnomalyScorer scorer, String name, int samples,
            ModelProto file, float[] x, Shape xs, int[] labels) throws OrtException {
        float[] want;
        try (TensorScope s = m.backend().newScope()) {
            want = scorer.score(name, new Batch(m.backend().fromArray(x, xs), labels),
                    new ScoreOptions(samples, new Rng(11))).toArray();
        }
        Map<String, float[]> in = new LinkedHashMap<>();
        Map<String, Shape> shapes = new HashMap<>();
        in.put("x", x);
        shapes.put("x", xs);
        Rng draws = new Rng(11);
        for (var input : file.getGraph().getInputList()) {
            if (input.getName().startsWith("noise_")) {
                assertEquals("random draws, normal(0.0, 1.0) per value: sampling noise the"
                        + " caller supplies", input.getDocString(), what);
                var dims = input.getType().getTensorType().getShape().getDimList();
                int[] d = new int[dims.size()];
                d[0] = xs.dim(0);
                for (int i = 1; i < d.length; i++) {
                    d[i] = (int) dims.get(i).getDimValue();
                }
                Shape shape = Shape.of(d);
                in.put(input.getName(), draws.normal(shape.size(), 0, 1));
                shapes.put(input.getName(), shape);
            }
        }
        boolean stochastic = !name.equals(Scores.RECONSTRUCTION_ERROR);
        assertEquals(stochastic ? samples : 0, in.size() - 1, what + ": noise inputs");
        close(what, want, run(file, in, shapes, labels));
    }

    @Test
    void aStochasticScoreIsExportedWithItsDrawsAsInputsAndTheRunsThreshold() throws Exception {
        Case c = new Case("vae", PytorchExportTest.with(PytorchExportTest.mlp(), "latent", 3));
        try (Model m = original(c); Model t = traced(c, m)) {
            Threshold th = new Threshold(Scores.IW_NLL, 12.5, 0.99, 100, "mnist", 4);
            List<String> notes = new ArrayList<>();
            Path out = tmp.resolve("onnx");
            Map<String, ModelProto> files = OnnxExporter.export(t, out, false,
                    new OnnxExporter.ScoreSpec(Scores.IW_NLL, 4, th), notes);
            assertEquals(List.of(), notes);
            float[] x = new Rng(5).uniform(6 * m.inputSize(), 0, 1);
            checkScore("vae iw-nll", m, (AnomalyScorer) m, Scores.IW_NLL, 4,
                    files.get(OnnxExporter.SCORE_FILE), x, batched(6, m.inputShape()), null);
            String config = Files.readString(out.resolve(OnnxExporter.CONFIG_FILE));
            assertTrue(config.contains("\"name\" : \"iw-nll\""), config);
            assertTrue(config.contains("\"threshold\" : 12.5"), config);
            assertTrue(config.contains("\"input\" : \"noise_3\""), config);
            ExportException e = assertThrows(ExportException.class, () -> OnnxExporter.models(t,
                    new OnnxExporter.ScoreSpec("likelihood", 4, null), notes));
            assertEquals("model vae has no score 'likelihood'; its scores: elbo,"
                    + " reconstruction-probability, iw-nll, reconstruction-error", e.getMessage());
        }
    }

    /** A plug-in that scores with noise of a fixed shape, which no batch of inputs can feed. */
    static final class FixedNoise extends Model implements Encoder, AnomalyScorer {

        FixedNoise(TracingBackend backend) {
            super("fixed-noise", ModelConfig.of(Map.of()), backend);
        }

        @Override
        public Shape inputShape() {
            return Shape.of(4);
        }

        @Override
        public Loss loss(Batch batch, StepContext context) {
            throw new UnsupportedOperationException("fixed-noise is for export tests only");
        }

        @Override
        public int latentSize() {
            return 4;
        }

        @Override
        public Tensor encode(Batch batch) {
            return batch.x();
        }

        @Override
        public List<String> scoreNames() {
            return List.of("noisy", "baked");
        }

        @Override
        public Tensor score(String name, Batch batch, ScoreOptions options) {
            Backend be = batch.x().backend();
            Tensor noise = name.equals("noisy") ? options.rng().normal(be, Shape.of(4), 0, 1)
                    : be.fromArray(new float[batch.size()], Shape.of(batch.size(), 1));
            return be.sum(be.add(batch.x(), noise), false, 1);
        }
    }

    @Test
    void noiseOrJavaValuesThatWouldBeBakedIntoTheGraphAreRefused() {
        try (Model m = new FixedNoise(new TracingBackend())) {
            List<String> notes = new ArrayList<>();
            Map<String, ModelProto> files = OnnxExporter.models(m, OnnxExporter.ScoreSpec.DEFAULT,
                    notes);
            assertEquals(List.of(OnnxExporter.ENCODER_FILE), List.copyOf(files.keySet()));
            assertEquals(List.of("no score.onnx: cannot trace random draws in"
                    + " fixed-noise.score:noisy: normal(0.0, 1.0) draws of shape (4) do not have"
                    + " the batch (3) as their leading dimension, so they cannot be a graph input"
                    + " and would be baked into the graph"), notes);
            ExportException e = assertThrows(ExportException.class, () -> OnnxExporter.models(m,
                    new OnnxExporter.ScoreSpec("baked", 1, null), notes));
            assertEquals("cannot trace fromArray in fixed-noise.score:baked: values of shape"
                    + " (3x1) made in Java are uploaded while the function is traced: they would"
                    + " be baked into the graph as constants for a batch of 3 only (compute them"
                    + " with tensor ops from the input, or draw noise with Rng)", e.getMessage());
        }
    }

    @Test
    void theCommandWritesTheFilesAndRefusesAnExistingFolderWithoutForce() throws IOException {
        Case c = cases().get(0);
        try (Model m = original(c); Model t = traced(c, m)) {
            Path out = tmp.resolve("onnx");
            List<String> notes = new ArrayList<>();
            OnnxExporter.export(t, out, false, OnnxExporter.ScoreSpec.DEFAULT, notes);
            assertEquals(List.of("config.json", "decoder.onnx", "encoder.onnx", "score.onnx"),
                    PytorchExportTest.names(out));
            ExportException e = assertThrows(ExportException.class,
                    () -> OnnxExporter.export(t, out, false, OnnxExporter.ScoreSpec.DEFAULT,
                            notes));
            assertTrue(e.getMessage().contains("--force"), e.getMessage());
            OnnxExporter.export(t, out, true, OnnxExporter.ScoreSpec.DEFAULT, notes);
            assertEquals(List.of("onnx"), PytorchExportTest.names(tmp));
        }
    }

    /** A plug-in whose encoder branches in Java on the input's values. */
    static final class Branching extends Model implements Encoder {

        Branching(TracingBackend backend) {
            super("branching", ModelConfig.of(Map.of()), backend);
        }

        @Override
        public Shape inputShape() {
            return Shape.of(4);
        }

        @Override
        public Loss loss(Batch batch, StepContext context) {
            throw new UnsupportedOperationException("branching is for export tests only");
        }

        @Override
        public int latentSize() {
            return 4;
        }

        @Override
        public Tensor encode(Batch batch) {
            Backend be = batch.x().backend();
            float first = batch.x().toArray()[0];
            return first > 0.5f ? be.unary(UnaryOp.EXP, batch.x()) : batch.x();
        }
    }

    @Test
    void anOpTheExporterCannotExpressIsOneNamedErrorAndWritesNoFiles() {
        try (Model m = new Branching(new TracingBackend())) {
            Path out = tmp.resolve("export");
            ExportException e = assertThrows(ExportException.class,
                    () -> OnnxExporter.export(m, out, false, OnnxExporter.ScoreSpec.DEFAULT,
                            new ArrayList<>()));
            assertEquals("cannot trace toArray in branching.encode: the values of a tensor of"
                    + " shape (3x4) that depends on the input are read into Java"
                    + " (data-dependent control flow)", e.getMessage());
            assertEquals(List.of(), PytorchExportTest.names(tmp));
        }
    }

    static int[] labels(Rng rng, int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = (int) Math.min(classes - 1, Math.floor(rng.uniform(1, 0, classes)[0]));
        }
        return l;
    }

    static Shape batched(int n, Shape example) {
        int[] d = new int[example.rank() + 1];
        d[0] = n;
        System.arraycopy(example.dims(), 0, d, 1, example.rank());
        return Shape.of(d);
    }

    static float[] run(ModelProto model, String input, float[] x, Shape shape, int[] labels)
            throws OrtException {
        return run(model, Map.of(input, x), Map.of(input, shape), labels);
    }

    /** Runs {@code model} on the float inputs {@code values} of {@code shapes}, and labels. */
    static float[] run(ModelProto model, Map<String, float[]> values, Map<String, Shape> shapes,
            int[] labels) throws OrtException {
        try (OrtSession session = ENV.createSession(model.toByteArray(),
                new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                for (Map.Entry<String, float[]> v : values.entrySet()) {
                    Shape shape = shapes.get(v.getKey());
                    long[] dims = new long[shape.rank()];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = shape.dim(i);
                    }
                    in.put(v.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(v.getValue()),
                            dims));
                }
                if (labels != null) {
                    long[] l = new long[labels.length];
                    for (int i = 0; i < l.length; i++) {
                        l[i] = labels[i];
                    }
                    in.put("labels", OnnxTensor.createTensor(ENV, LongBuffer.wrap(l),
                            new long[] {l.length}));
                }
                try (OrtSession.Result r = session.run(in)) {
                    FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    float[] out = new float[b.remaining()];
                    b.get(out);
                    return out;
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }

    /** The largest difference seen, relative to max(1, |vae4j's value|). */
    static double worst;

    @AfterAll
    static void report() {
        System.out.println("OnnxExportTest: ONNX Runtime differs from vae4j by at most " + worst
                + " relative");
    }

    static void close(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": sizes");
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]) / Math.max(1.0, Math.abs(want[i])));
            double tol = 1e-5 * Math.max(1.0, Math.abs(want[i]));
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                fail(what + ": value " + i + " is " + got[i] + ", vae4j gives " + want[i]);
            }
        }
    }
}
