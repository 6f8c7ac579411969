package org.vae4j.cli.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.vae4j.io.Int64Data;
import org.vae4j.io.Safetensors;
import org.vae4j.io.SafetensorsFile;
import org.vae4j.io.TensorData;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.nn.Parameter;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;

/**
 * The PyTorch export and import of every built-in model, MLP and conv: the round trip is bit
 * for bit, the state dict has PyTorch's layouts, and a state dict that does not fit is one error
 * naming each tensor.
 */
class PytorchExportTest {

    static final Backend BACKEND = Backends.get("ejml");

    @TempDir
    Path tmp;

    /** A small model of each built-in type and architecture, with its settings. */
    record Case(String model, Map<String, Object> settings) {

        ModelConfig config() {
            return ModelConfig.of(settings);
        }

        String name() {
            return model + "-" + settings.getOrDefault("arch", "mlp")
                    + (settings.containsKey("norm") ? "-" + settings.get("norm") : "")
                    + (settings.containsKey("ema") ? "-ema" : "")
                    + (settings.containsKey("flow") ? "-" + settings.get("flow") : "");
        }

        @Override
        public String toString() {
            return name();
        }
    }

    static Map<String, Object> mlp() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("input", 12);
        s.put("hidden", List.of(10, 6));
        return s;
    }

    static Map<String, Object> conv(String norm) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("arch", "conv");
        s.put("image", List.of(1, 8, 8));
        s.put("channels", List.of(4, 6));
        if (norm != null) {
            s.put("norm", norm);
        }
        return s;
    }

    static Map<String, Object> with(Map<String, Object> s, Object... kv) {
        for (int i = 0; i < kv.length; i += 2) {
            s.put((String) kv[i], kv[i + 1]);
        }
        return s;
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("ae", with(mlp(), "latent", 3)));
        c.add(new Case("ae", with(conv("batch"), "latent", 3)));
        c.add(new Case("dae", with(mlp(), "latent", 3, "output", "identity")));
        c.add(new Case("dae", with(conv("group"), "latent", 3)));
        c.add(new Case("vae", with(mlp(), "latent", 3)));
        c.add(new Case("vae", with(conv("batch"), "latent", 3)));
        c.add(new Case("cvae", with(mlp(), "latent", 3, "classes", 3)));
        c.add(new Case("cvae", with(conv(null), "latent", 3, "classes", 3)));
        c.add(new Case("beta-vae", with(mlp(), "latent", 3, "likelihood", "gaussian")));
        c.add(new Case("beta-vae", with(conv("layer"), "latent", 3)));
        c.add(new Case("vq-vae", with(mlp(), "positions", 2, "code-dim", 3,
                "codebook-size", 7)));
        c.add(new Case("vq-vae", with(conv("batch"), "code-dim", 3, "codebook-size", 7,
                "ema", true)));
        return c;
    }

    /**
     * The model of {@code c} with seed {@code seed}, every constant-initialised tensor (norm
     * scales and shifts, running statistics, EMA counts, the prior) set to random values so
     * that a tensor mapped to the wrong place shows.
     */
    static Model randomised(Case c, long seed) {
        Model m = Models.create(c.model(), c.config(), BACKEND, seed);
        Rng rng = new Rng(seed + 100);
        for (Parameter p : m.state().values()) {
            float[] v = p.toArray();
            boolean constant = true;
            for (float f : v) {
                constant &= f == v[0];
            }
            if (constant) {
                p.assign(rng.uniform(v.length, 0.5, 1.5));
            }
        }
        return m;
    }

    static Map<String, float[]> values(Model m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.state().forEach((k, p) -> out.put(k, p.toArray()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportThenImportIsBitIdentical(Case c) throws IOException {
        Path out = tmp.resolve(c.name());
        try (Model a = randomised(c, 1); Model b = Models.create(c.model(), c.config(), BACKEND,
                2)) {
            PytorchExporter.export(a, out, false);
            Map<String, float[]> before = values(b);
            PytorchImporter.load(out.resolve(PytorchExporter.STATE_FILE), b);
            Map<String, float[]> expected = values(a);
            Map<String, float[]> got = values(b);
            assertEquals(expected.keySet(), got.keySet());
            int changed = 0;
            for (String k : expected.keySet()) {
                float[] e = expected.get(k);
                float[] g = got.get(k);
                assertEquals(e.length, g.length, k);
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(g[i]),
                            () -> k + " differs after the round trip");
                }
                if (!java.util.Arrays.equals(before.get(k), e)) {
                    changed++;
                }
            }
            assertTrue(changed > 0, "the import replaced the second model's values");
            assertTrue(Files.isRegularFile(out.resolve(PytorchExporter.CODE_FILE)));
            assertTrue(Files.readString(out.resolve(PytorchExporter.CONFIG_FILE))
                    .contains("\"model\" : \"" + c.model() + "\""));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stateDictHasPytorchNamesAndLayouts(Case c) throws IOException {
        Path out = tmp.resolve(c.name());
        try (Model a = randomised(c, 3)) {
            PytorchExporter.export(a, out, false);
            SafetensorsFile sd = Safetensors.read(out.resolve(PytorchExporter.STATE_FILE), true);
            Map<String, Parameter> state = a.state();
            for (Map.Entry<String, TensorData> e : sd.tensors().entrySet()) {
                String name = e.getKey();
                Shape s = e.getValue().shape();
                if (name.endsWith(".embedding.weight")) {
                    // the codebook as nn.Embedding: (K x D), as vae4j keeps it
                    Parameter p = state.get(name.substring(0, name.length() - 7));
                    assertArrayEquals(p.toArray(), e.getValue().values(), name);
                    continue;
                }
                Parameter p = state.get(name);
                if (p.shape().rank() == 2 && name.endsWith(".weight")) {
                    // nn.Linear: (out x in), the transpose of vae4j's (in x out)
                    assertEquals(Shape.of(p.shape().dim(1), p.shape().dim(0)), s, name);
                    float[] v = p.toArray();
                    int in = p.shape().dim(0);
                    int outs = p.shape().dim(1);
                    assertEquals(v[1], e.getValue().values()[in], name + "[1][0]");
                    assertEquals(v[outs], e.getValue().values()[1], name + "[0][1]");
                } else {
                    // conv OIHW, transposed conv IOHW, norms and buffers: as vae4j keeps them
                    assertEquals(p.shape(), s, name);
                    assertArrayEquals(p.toArray(), e.getValue().values(), name);
                }
            }
            long norms = state.keySet().stream().filter(k -> k.endsWith("running_mean")).count();
            assertEquals(norms, sd.int64().size(), "one num_batches_tracked per batch norm");
            sd.int64().forEach((k, v) -> {
                assertTrue(k.endsWith(".num_batches_tracked"), k);
                assertEquals(Shape.of(), v.shape(), k);
            });
        }
    }

    @Test
    void missingExtraAndMisShapedTensorsAreOneErrorNamingEach() throws IOException {
        Case c = cases().get(5); // conv VAE with batch norm
        Path out = tmp.resolve("export");
        try (Model a = randomised(c, 1); Model b = Models.create(c.model(), c.config(), BACKEND,
                2)) {
            PytorchExporter.export(a, out, false);
            SafetensorsFile sd = Safetensors.read(out.resolve(PytorchExporter.STATE_FILE), true);
            Map<String, TensorData> floats = new LinkedHashMap<>(sd.tensors());
            Map<String, Int64Data> ints = new LinkedHashMap<>(sd.int64());
            floats.remove("decoder.0.bias");
            floats.put("encoder.9.weight", new TensorData(Shape.of(2), new float[2]));
            floats.put("encoder.0.weight", new TensorData(Shape.of(4, 1, 2, 2), new float[16]));
            String counter = ints.keySet().iterator().next();
            ints.remove(counter);
            Path bad = tmp.resolve("bad.safetensors");
            Safetensors.write(bad, floats, ints, Map.of());
            Map<String, float[]> before = values(b);
            ExportException e = assertThrows(ExportException.class,
                    () -> PytorchImporter.load(bad, b));
            String m = e.getMessage();
            assertTrue(m.contains("4 problems"), m);
            assertTrue(m.contains("missing decoder.0.bias [" + a.state().get("decoder.0.bias")
                    .shape().dim(0) + "] float32"), m);
            assertTrue(m.contains("encoder.0.weight has shape [4, 1, 2, 2], expected [4, 1, 4,"
                    + " 4] float32"), m);
            assertTrue(m.contains("unexpected encoder.9.weight [2] float32"), m);
            assertTrue(m.contains("missing " + counter + " [] int64"), m);
            Map<String, float[]> after = values(b);
            for (String k : before.keySet()) {
                assertArrayEquals(before.get(k), after.get(k), k + " changed by a failed import");
            }
        }
    }

    @Test
    void anExistingFolderIsRefusedWithoutForceAndReplacedWithIt() throws IOException {
        Case c = cases().get(4);
        Path out = tmp.resolve("export");
        try (Model a = randomised(c, 1); Model b = randomised(c, 2)) {
            PytorchExporter.export(a, out, false);
            byte[] first = Files.readAllBytes(out.resolve(PytorchExporter.STATE_FILE));
            ExportException e = assertThrows(ExportException.class,
                    () -> PytorchExporter.export(b, out, false));
            assertTrue(e.getMessage().contains("already exists") && e.getMessage()
                    .contains("--force"), e.getMessage());
            assertArrayEquals(first, Files.readAllBytes(out.resolve(PytorchExporter.STATE_FILE)));
            PytorchExporter.export(b, out, true);
            assertFalse(java.util.Arrays.equals(first,
                    Files.readAllBytes(out.resolve(PytorchExporter.STATE_FILE))));
            Path foreign = tmp.resolve("foreign");
            Files.createDirectories(foreign);
            Files.writeString(foreign.resolve("notes.txt"), "mine");
            ExportException f = assertThrows(ExportException.class,
                    () -> PytorchExporter.export(b, foreign, true));
            assertTrue(f.getMessage().contains("not a " + PytorchExporter.FORMAT), f.getMessage());
            assertEquals(List.of("notes.txt"), names(foreign));
        }
        assertEquals(List.of("export", "foreign"), names(tmp), "no temporary folders are left");
    }

    @Test
    void aModelTheExportCannotExpressLeavesNoFiles() throws IOException {
        Map<String, Object> s = with(conv(null), "code-dim", 3, "codebook-size", 5, "prior",
                "pixelcnn", "prior-width", 4, "prior-layers", 1);
        try (Model m = Models.create("vq-vae", ModelConfig.of(s), BACKEND, 1)) {
            Path out = tmp.resolve("export");
            ExportException e = assertThrows(ExportException.class,
                    () -> PytorchExporter.export(m, out, false));
            assertTrue(e.getMessage().contains("MaskedConv2d") || e.getMessage()
                    .contains("PixelCNN"), e.getMessage());
            assertEquals(List.of(), names(tmp));
        }
    }

    @Test
    void aPlugInModelOfNoKnownFamilyIsOneErrorAndLeavesNoFiles() {
        Map<String, Object> s = with(new LinkedHashMap<>(), "input", 12, "hidden", List.of(6),
                "latent", 3);
        try (Model m = Models.create("sparse-ae", ModelConfig.of(s), BACKEND, 1)) {
            // its tensors map (they are MLP layers); its encode and decode are its own
            assertEquals(m.state().size(), PytorchLayout.of(m).entries().size());
            ExportException e = assertThrows(ExportException.class,
                    () -> PytorchExporter.export(m, tmp.resolve("export"), false));
            assertTrue(e.getMessage().contains("'sparse-ae'") && e.getMessage()
                    .contains("has no PyTorch export"), e.getMessage());
            assertEquals(List.of(), names(tmp));
        }
    }

    @Test
    void anAutoencoderWithTableLossesIsOneErrorAndLeavesNoFiles() {
        Map<String, Object> s = with(new LinkedHashMap<>(), "input", 5, "hidden", List.of(6),
                "latent", 2, "table-columns", "n,b,c3");
        try (Model m = Models.create("ae", ModelConfig.of(s), BACKEND, 1)) {
            ExportException e = assertThrows(ExportException.class,
                    () -> PytorchExporter.export(m, tmp.resolve("export"), false));
            assertTrue(e.getMessage().contains("table-columns") && e.getMessage()
                    .contains("no PyTorch export"), e.getMessage());
            assertEquals(List.of(), names(tmp));
        }
    }

    @Test
    void aFailureWhileWritingLeavesNoPartialFolder() {
        Path out = tmp.resolve("export");
        IOException e = assertThrows(IOException.class, () -> ExportFolder.write(out, false,
                PytorchExporter.FORMAT, dir -> {
                    Files.writeString(dir.resolve("model.safetensors"), "half");
                    throw new IOException("disk full");
                }));
        assertEquals("disk full", e.getMessage());
        assertEquals(List.of(), names(tmp));
    }

    static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
