package org.vae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.Safetensors;
import org.vae4j.io.SafetensorsFile;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelProvider;
import org.vae4j.optim.Adam;
import org.vae4j.optim.Sgd;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.NonFiniteException;
import org.vae4j.tensor.ReferenceBackend;

class CheckpointTest {

    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    private TinyAutoencoder model(ModelConfig config, long seed) {
        return new TinyAutoencoder(config, backend, new Rng(seed));
    }

    /** A run of one epoch in {@code dir}; returns its checkpoint folder. */
    private Path trainedCheckpoint() throws IOException {
        try (Model m = model(Fixtures.config(), 5); Adam opt = new Adam(m.parameters(), 0.01)) {
            Trainer.builder().setModel(m).setOptimizer(opt).setTrainData(Fixtures.train())
                    .optBatchSize(8).optEpochs(1).optSeed(1).optRunDirectory(dir).build().fit();
        }
        return Checkpoint.latest(dir).orElseThrow();
    }

    @Test
    void weightsFileHoldsModulePathsAndTheModelTypeAndConfig() throws IOException {
        Path file = dir.resolve("model.safetensors");
        try (Model m = model(Fixtures.config(), 5)) {
            ModelWeights.save(file, m);
            SafetensorsFile f = Safetensors.read(file);
            assertEquals(List.of("running_mean", "encoder.weight", "encoder.bias",
                    "decoder.weight", "decoder.bias"), List.copyOf(f.tensors().keySet()));
            assertEquals("vae4j", f.meta("format"));
            assertEquals("tiny-ae", f.meta("model"));
            assertEquals(Fixtures.config(), ModelConfig.fromJson(f.meta("config")));
            assertEquals(new ModelInfo("tiny-ae", Fixtures.config()), ModelWeights.readInfo(file));
            try (Model other = model(Fixtures.config(), 6)) {
                ModelWeights.load(file, other);
                m.state().forEach((k, p) ->
                        assertArrayEquals(p.toArray(), other.state().get(k).toArray(), k));
            }
        }
    }

    @Test
    void loadingWeightsOfAnotherShapeNamesTheParameterBothShapesAndTheSetting()
            throws IOException {
        Path file = dir.resolve("model.safetensors");
        try (Model small = model(Fixtures.config(), 5)) {
            ModelWeights.save(file, small);
        }
        try (Model big = model(Fixtures.config().with("hidden", 4), 5)) {
            float[] before = big.parameters().get("encoder.weight").toArray();
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> ModelWeights.load(file, big));
            assertTrue(e.getMessage().startsWith(file + ": parameter encoder.weight has shape"
                    + " (6x3) in the file but (6x4) in a tiny-ae with hidden=4 (the file's model"
                    + " has hidden=3)"), e.getMessage());
            assertTrue(e.getMessage().contains("parameter decoder.weight has shape (3x6)"),
                    e.getMessage());
            // nothing was loaded
            assertArrayEquals(before, big.parameters().get("encoder.weight").toArray());
        }
    }

    @Test
    void loadingWeightsOfAnotherModelTypeIsRejectedWithBothNames() throws IOException {
        Path file = dir.resolve("model.safetensors");
        try (Model other = new TinyAutoencoder("other-ae", Fixtures.config(), backend,
                new Rng(5))) {
            ModelWeights.save(file, other);
        }
        try (Model m = model(Fixtures.config(), 5)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> ModelWeights.load(file, m));
            assertEquals(file + ": holds a 'other-ae' model, but the model to load it into is a"
                    + " 'tiny-ae'", e.getMessage());
        }
    }

    @Test
    void missingAndExtraParametersAreNamed() throws IOException {
        Path file = dir.resolve("model.safetensors");
        try (Model m = model(Fixtures.config(), 5)) {
            Map<String, org.vae4j.io.TensorData> w = new java.util.LinkedHashMap<>(
                    ModelWeights.snapshot(m));
            w.put("encoder.scale", w.remove("encoder.bias"));
            Safetensors.write(file, w, ModelWeights.metadata(m));
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> ModelWeights.load(file, m));
            assertTrue(e.getMessage().contains("parameter encoder.bias (3) of a tiny-ae with"
                    + " input=6, hidden=3 is missing from the file"), e.getMessage());
            assertTrue(e.getMessage().contains("the file has a parameter encoder.scale that a"
                    + " tiny-ae with input=6, hidden=3 does not have"), e.getMessage());
        }
    }

    @Test
    void divergedWeightsAreNeverWritten() throws IOException {
        Path ckpt = trainedCheckpoint();
        try (Model m = model(Fixtures.config(), 5); Adam opt = new Adam(m.parameters(), 0.01)) {
            float[] w = m.parameters().get("decoder.bias").toArray();
            w[2] = Float.NaN;
            m.parameters().get("decoder.bias").assign(w);
            TrainerState state = Checkpoint.readState(ckpt);
            NonFiniteException e = assertThrows(NonFiniteException.class,
                    () -> Checkpoint.save(dir, m, opt, state, 1));
            assertTrue(e.getMessage().startsWith("parameter decoder.bias is NaN at element 2"),
                    e.getMessage());
            assertThrows(NonFiniteException.class,
                    () -> ModelWeights.save(dir.resolve("w.safetensors"), m));
            assertFalse(Files.exists(dir.resolve("w.safetensors")));
        }
        assertEquals(ckpt, Checkpoint.latest(dir).orElseThrow());
    }

    @Test
    void restoreRejectsTheStateOfAnotherOptimizerNamingBoth() throws IOException {
        Path ckpt = trainedCheckpoint();
        try (Model m = model(Fixtures.config(), 9); Sgd opt = new Sgd(m.parameters(), 0.1, 0.9)) {
            float[] before = m.parameters().get("encoder.weight").toArray();
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> Checkpoint.restore(ckpt, m, opt));
            assertTrue(e.getMessage().endsWith("holds the state of a Adam optimizer, but the"
                    + " optimizer to load it into is a Sgd"), e.getMessage());
            assertArrayEquals(before, m.parameters().get("encoder.weight").toArray());
        }
    }

    @Test
    void restoreLoadsWeightsAndOptimizerState() throws IOException {
        Path ckpt = trainedCheckpoint();
        try (Model m = model(Fixtures.config(), 9); Adam opt = new Adam(m.parameters(), 0.01)) {
            Checkpoint.restore(ckpt, m, opt);
            assertEquals(7, opt.stepCount());
            assertEquals(8, opt.stateTensorCount());
            SafetensorsFile opts = Safetensors.read(ckpt.resolve(Checkpoint.OPTIMIZER_FILE));
            assertEquals("7", opts.meta("step"));
            assertEquals("Adam", opts.meta("optimizer"));
            assertEquals(org.vae4j.tensor.Shape.of(6, 3),
                    opts.tensors().get("encoder.weight.exp_avg").shape());
            assertArrayEquals(opts.tensors().get("encoder.weight.exp_avg").values(),
                    opt.state().buffers().get("encoder.weight.exp_avg"));
        }
    }

    @Test
    void latestIgnoresPartialFoldersAndLocateAcceptsRunOrCheckpointFolders()
            throws IOException {
        Path ckpt = trainedCheckpoint();
        Path partial = dir.resolve(Checkpoint.FOLDER).resolve("step-99999999.partial");
        Files.createDirectories(partial);
        Files.copy(ckpt.resolve(Checkpoint.STATE_FILE), partial.resolve(Checkpoint.STATE_FILE));
        Path incomplete = dir.resolve(Checkpoint.FOLDER).resolve("step-99999998");
        Files.createDirectories(incomplete);
        Files.copy(ckpt.resolve(Checkpoint.STATE_FILE),
                incomplete.resolve(Checkpoint.STATE_FILE));

        assertEquals(ckpt, Checkpoint.latest(dir).orElseThrow());
        assertEquals(ckpt, Checkpoint.locate(dir));
        assertEquals(ckpt, Checkpoint.locate(dir.resolve(Checkpoint.FOLDER)));
        assertEquals(ckpt, Checkpoint.locate(ckpt));
        assertTrue(assertThrows(CheckpointException.class, () -> Checkpoint.locate(incomplete))
                .getMessage().contains("incomplete checkpoint"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(assertThrows(CheckpointException.class, () -> Checkpoint.locate(empty))
                .getMessage().contains("no checkpoint found"));
    }

    @Test
    void loadModelRebuildsTheModelThroughTheRegistry() throws IOException {
        Path ckpt = trainedCheckpoint();
        Path services = dir.resolve("services");
        Path file = services.resolve("META-INF/services/" + ModelProvider.class.getName());
        Files.createDirectories(file.getParent());
        Files.writeString(file, TinyAutoencoder.Provider.class.getName() + "\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {services.toUri().toURL()},
                getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            try (Model loaded = Checkpoint.loadModel(dir, backend)) {
                assertEquals("tiny-ae", loaded.typeName());
                SafetensorsFile w = Safetensors.read(ckpt.resolve(Checkpoint.MODEL_FILE));
                loaded.state().forEach((k, p) ->
                        assertArrayEquals(w.tensors().get(k).values(), p.toArray(), k));
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void trainerStateRoundTripsAndNamesAMissingField() {
        TrainerState s = new TrainerState(1, 3, 10, 42, 8, 4, 50, "reference", "tiny-ae", "Adam",
                0.01, Map.of("loss", 1.25), 24, 0.5, List.of(new EpochSummary(0, 7,
                Map.of("loss", 2.0), Map.of("loss", Double.NaN), 1.0, 100.0)));
        TrainerState back = TrainerState.fromJson(s.toJson(), "trainer.json");
        assertEquals(s.toJson(), back.toJson());
        assertTrue(back.history().get(0).test().get("loss").isNaN());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerState.fromJson(s.toJson().replace("\"seed\"", "\"sead\""),
                        "x/trainer.json"));
        assertEquals("x/trainer.json: missing field 'seed'", e.getMessage());
    }
}
