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
 * The ONNX export of every built-in model (MLP and conv) and of the plug-in example: the files,
 * run in ONNX Runtime at two batch sizes other than the traced one, give vae4j's own outputs
 * within 1e-5 relative.
 */
class OnnxExportTest {

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path tmp;

    static List<Case> cases() {
        List<Case> c = new ArrayList<>(PytorchExportTest.cases());
        c.add(new Case("sparse-ae", PytorchExportTest.with(PytorchExportTest.mlp(),
                "latent", 3)));
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
            }
        }
    }

    @Test
    void theCommandWritesTheFilesAndRefusesAnExistingFolderWithoutForce() throws IOException {
        Case c = cases().get(0);
        try (Model m = original(c); Model t = traced(c, m)) {
            Path out = tmp.resolve("onnx");
            OnnxExporter.export(t, out, false);
            assertEquals(List.of("config.json", "decoder.onnx", "encoder.onnx"),
                    PytorchExportTest.names(out));
            ExportException e = assertThrows(ExportException.class,
                    () -> OnnxExporter.export(t, out, false));
            assertTrue(e.getMessage().contains("--force"), e.getMessage());
            OnnxExporter.export(t, out, true);
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
                    () -> OnnxExporter.export(m, out, false));
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
        long[] dims = new long[shape.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.dim(i);
        }
        try (OrtSession session = ENV.createSession(model.toByteArray(),
                new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                in.put(input, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), dims));
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
