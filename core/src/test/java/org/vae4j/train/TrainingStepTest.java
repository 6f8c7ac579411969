package org.vae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.loss.Losses;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Linear;
import org.vae4j.nn.Mode;
import org.vae4j.optim.Adam;
import org.vae4j.optim.GradientClipping;
import org.vae4j.optim.LearningRateSchedule;
import org.vae4j.optim.Optimizer;
import org.vae4j.optim.Sgd;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/**
 * The open trainer: the default step is today's, bit for bit; several named optimizers step
 * alternately or jointly, each touching only its group; accumulation equals one step on the
 * joined batches; listeners act; a run with all of it resumes bit for bit.
 */
class TrainingStepTest {

    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    private Model tiny(long seed) {
        return new TinyAutoencoder(Fixtures.config(), backend, new Rng(seed));
    }

    private static Trainer.Builder trainer(Model model, int epochs) {
        return Trainer.builder().setModel(model).setTrainData(Fixtures.train())
                .optBatchSize(8).optEpochs(epochs).optSeed(1);
    }

    private static Optimizers groups(Model m, Optimizer encoder, Optimizer decoder) {
        return Optimizers.builder().add("encoder", encoder).add("decoder", decoder).build();
    }

    private static Map<String, org.vae4j.nn.Parameter> part(Model m, String prefix) {
        return Optimizers.select(m.parameters(), prefix);
    }

    @Test
    void theDefaultStepIsTheLoopOfLossBackwardAndStepInTrainingModeBitForBit() {
        // two threads: the default step must keep the updates beside the backward pass
        Backend twoThreads = new ReferenceBackend(2);
        Map<String, float[]> want;
        try (Model m = new TinyAutoencoder(Fixtures.config(), twoThreads, new Rng(5));
                Adam opt = new Adam(m.parameters(), 0.01);
                DataLoader loader = DataLoader.builder(Fixtures.train(), twoThreads)
                        .setBatchSize(8).optShuffle(true).optSeed(1).build()) {
            long step = 0;
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int b = 0; b < loader.batchesPerEpoch(); b++, step++) {
                    try (TensorScope scope = twoThreads.newScope()) {
                        Batch batch = loader.batch(epoch, b);
                        StepContext context = StepContext.training(step,
                                StepRandom.forStep(1, step));
                        Loss loss;
                        try (Mode mode = context.openMode()) {
                            loss = m.loss(batch, context);
                        }
                        opt.backwardAndStep(loss.total());
                        m.afterStep(batch, loss, context);
                    }
                }
            }
            want = Fixtures.weights(m);
        }
        try (Model m = new TinyAutoencoder(Fixtures.config(), twoThreads, new Rng(5));
                Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, 2).setOptimizer(opt).build().fit();
            assertSame(want, Fixtures.weights(m));
        }
    }

    @Test
    void alternatingOptimizersEachMoveOnlyTheirGroupOnTheirSteps() {
        try (Model m = tiny(5); Sgd enc = new Sgd(part(m, "encoder"), 0.1);
                Sgd dec = new Sgd(part(m, "decoder"), 0.05)) {
            List<Map<String, float[]>> after = new ArrayList<>();
            after.add(Fixtures.weights(m));
            TrainingStep alternating = step -> {
                Loss loss = step.computeLoss();
                step.minimize(loss.total(), step.step() % 2 == 0 ? "encoder" : "decoder");
                return loss;
            };
            trainer(m, 1).setOptimizers(groups(m, enc, dec)).optTrainingStep(alternating)
                    .addListener(new TrainingListener() {
                        @Override
                        public void onStep(StepInfo step) {
                            after.add(Fixtures.weights(m));
                        }
                    }).build().fit();
            assertEquals(8, after.size());
            for (int s = 1; s < after.size(); s++) {
                boolean encoderStep = (s - 1) % 2 == 0;
                for (String name : m.parameters().keySet()) {
                    boolean moved = !java.util.Arrays.equals(after.get(s - 1).get(name),
                            after.get(s).get(name));
                    assertEquals(name.startsWith("encoder") == encoderStep, moved,
                            "step " + s + ": " + name);
                }
            }
            assertEquals(4, enc.stepCount());
            assertEquals(3, dec.stepCount());
        }
    }

    @Test
    void aJointStepOfTwoGroupsEqualsOneOptimizerAndEachGroupHasItsOwnRate() {
        Map<String, float[]> one;
        try (Model m = tiny(5); Sgd all = new Sgd(m.parameters(), 0.1)) {
            trainer(m, 2).setOptimizer(all).build().fit();
            one = Fixtures.weights(m);
        }
        try (Model m = tiny(5); Sgd enc = new Sgd(part(m, "encoder"), 0.1);
                Sgd dec = new Sgd(part(m, "decoder"), 0.1)) {
            trainer(m, 2).setOptimizers(groups(m, enc, dec)).build().fit();
            assertSame(one, Fixtures.weights(m));
        }
        try (Model m = tiny(5); Sgd enc = new Sgd(part(m, "encoder"), 0.1);
                Sgd dec = new Sgd(part(m, "decoder"), 0)) {
            Map<String, float[]> before = Fixtures.weights(m);
            trainer(m, 1).setOptimizers(groups(m, enc, dec)).build().fit();
            Map<String, float[]> w = Fixtures.weights(m);
            for (String name : m.parameters().keySet()) {
                assertEquals(name.startsWith("decoder"),
                        java.util.Arrays.equals(before.get(name), w.get(name)), name);
            }
        }
    }

    /** A linear autoencoder with a mean squared error and no other state: a plain mean loss. */
    static final class LinearAutoencoder extends Model {
        private final Linear encoder;
        private final Linear decoder;

        LinearAutoencoder(Backend be, long seed) {
            super("linear-ae", ModelConfig.empty(), be);
            Rng rng = new Rng(seed);
            this.encoder = addModule("encoder", new Linear(be, 6, 3, rng));
            this.decoder = addModule("decoder", new Linear(be, 3, 6, rng));
        }

        @Override
        public Shape inputShape() {
            return Shape.of(6);
        }

        @Override
        public Loss loss(Batch batch, StepContext context) {
            Variable x = Variable.constant(batch.x());
            return Loss.of(Losses.mse(decoder.forward(encoder.forward(x).tanh()), x));
        }
    }

    @Test
    void accumulatingOverThreeBatchesEqualsOneStepOnTheirConcatenation() {
        Dataset data = Fixtures.data("train", 48, 11);
        Map<String, float[]> joined;
        try (Model m = new LinearAutoencoder(backend, 3); Sgd opt = new Sgd(m.parameters(), 0.2,
                0.9)) {
            Trainer.builder().setModel(m).setOptimizer(opt).setTrainData(data)
                    .optBatchSize(12).optEpochs(3).optSeed(4).build().fit();
            joined = Fixtures.weights(m);
            assertEquals(12, opt.stepCount());
        }
        try (Model m = new LinearAutoencoder(backend, 3); Sgd opt = new Sgd(m.parameters(), 0.2,
                0.9)) {
            Map<String, float[]> start = Fixtures.weights(m);
            Trainer.builder().setModel(m).setOptimizer(opt).setTrainData(data)
                    .optBatchSize(4).optAccumulate(3).optEpochs(3).optSeed(4).build().fit();
            assertEquals(12, opt.stepCount());
            assertFalse(opt.hasAccumulatedGradients());
            Map<String, float[]> w = Fixtures.weights(m);
            double[] moved = {0};
            joined.forEach((name, want) -> {
                float[] got = w.get(name);
                for (int i = 0; i < want.length; i++) {
                    // float rounding: the sums are added in another order
                    assertEquals(want[i], got[i], 2e-6, name + "[" + i + "]");
                    moved[0] = Math.max(moved[0], Math.abs(want[i] - start.get(name)[i]));
                }
            });
            assertTrue(moved[0] > 1e-2, "the weights moved by " + moved[0]
                    + ", far more than the tolerance");
        }
    }

    @Test
    void theDataOrderOfBatchesOfFourIsTheOrderOfBatchesOfTwelveCut() {
        // what the accumulation test relies on: three batches of 4 are one batch of 12, cut
        Dataset data = Fixtures.data("train", 48, 11);
        try (DataLoader big = DataLoader.builder(data, backend).setBatchSize(12).optShuffle(true)
                .optSeed(4).build();
                DataLoader small = DataLoader.builder(data, backend).setBatchSize(4)
                        .optShuffle(true).optSeed(4).build();
                TensorScope scope = backend.newScope()) {
            float[] whole = big.batch(1, 2).x().toArray();
            float[] cut = new float[whole.length];
            for (int i = 0; i < 3; i++) {
                float[] part = small.batch(1, 6 + i).x().toArray();
                System.arraycopy(part, 0, cut, i * part.length, part.length);
            }
            assertArrayEquals(whole, cut);
        }
    }

    @Test
    void listenersChangeTheLearningRateAskForCheckpointsAndTheRateSurvivesAResume()
            throws IOException {
        Path run = dir.resolve("run");
        Map<String, float[]> atFive = new java.util.HashMap<>();
        try (Model m = tiny(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, 1).setOptimizer(opt).optRunDirectory(run).optKeepCheckpoints(5)
                    .addListener(new TrainingListener() {
                        @Override
                        public void onStep(StepInfo step, TrainingControl control) {
                            if (step.step() == 2) {
                                control.requestCheckpoint();
                            }
                            if (step.step() == 5) {
                                control.setLearningRate(0);
                                atFive.putAll(Fixtures.weights(m));
                            }
                        }
                    }).build().fit();
            assertEquals(0, opt.learningRate());
            Map<String, float[]> end = Fixtures.weights(m);
            m.parameters().keySet().forEach(k -> assertArrayEquals(atFive.get(k), end.get(k),
                    k + " does not move at learning rate 0"));
        }
        assertTrue(Files.isDirectory(run.resolve(Checkpoint.FOLDER)
                .resolve(Checkpoint.folderName(2))), "the requested checkpoint");
        try (Model m = tiny(99); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, 2).setOptimizer(opt).optRunDirectory(run).optResumeFrom(run).build()
                    .fit();
            assertEquals(0, opt.learningRate(), "the changed rate is in the checkpoint");
            Map<String, float[]> end = Fixtures.weights(m);
            m.parameters().keySet().forEach(k -> assertArrayEquals(atFive.get(k), end.get(k),
                    k));
        }
    }

    @Test
    void aListenerCanStopTheRunThroughItsControl() {
        try (Model m = tiny(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            TrainingResult r = trainer(m, 2).setOptimizer(opt)
                    .addListener(new TrainingListener() {
                        @Override
                        public void onStep(StepInfo step, TrainingControl control) {
                            if (step.step() == 3) {
                                control.requestStop("enough");
                            }
                        }
                    }).build().fit();
            assertEquals("enough", r.stopReason());
            assertEquals(3, r.finalStep());
        }
    }

    /** Two Adam groups jointly, warm-up then cosine, norm clipping, accumulation over 3. */
    private static Optimizers everything(Model m, List<Optimizer> owned) {
        Adam enc = new Adam(part(m, "encoder"), 0.02);
        Adam dec = new Adam(part(m, "decoder"), 0.01);
        owned.add(enc);
        owned.add(dec);
        for (Adam a : List.of(enc, dec)) {
            a.setSchedule(LearningRateSchedule.warmup(3, LearningRateSchedule.cosine(10, 0.1)));
            a.setGradientClipping(GradientClipping.byNorm(0.05));
        }
        return groups(m, enc, dec);
    }

    private static void closeAll(List<Optimizer> owned) {
        owned.forEach(Optimizer::close);
    }

    @Test
    void aRunWithTwoOptimizersAScheduleClippingAndAccumulationResumesBitForBit()
            throws IOException {
        Map<String, float[]> want;
        List<Optimizer> owned = new ArrayList<>();
        try (Model m = tiny(5)) {
            // 7 batches per epoch, updates every 3: groups straddle epoch ends
            trainer(m, 3).setOptimizers(everything(m, owned)).optAccumulate(3)
                    .optRunDirectory(dir.resolve("straight")).build().fit();
            want = Fixtures.weights(m);
            assertEquals(7, owned.get(0).stepCount());
        } finally {
            closeAll(owned);
        }
        owned.clear();
        Path run = dir.resolve("stopped");
        try (Model m = tiny(5)) {
            Trainer[] t = new Trainer[1];
            t[0] = trainer(m, 3).setOptimizers(everything(m, owned)).optAccumulate(3)
                    .optRunDirectory(run).addListener(new TrainingListener() {
                        @Override
                        public void onStep(StepInfo step) {
                            if (step.step() == 10) {   // one batch into a group of three
                                t[0].requestStop("test");
                            }
                        }
                    }).build();
            assertEquals(10, t[0].fit().finalStep());
            assertTrue(owned.get(0).hasAccumulatedGradients());
        } finally {
            closeAll(owned);
        }
        owned.clear();
        try (Model m = tiny(99)) {
            Optimizers opts = everything(m, owned);
            trainer(m, 3).setOptimizers(opts).optAccumulate(3).optRunDirectory(run)
                    .optResumeFrom(run).build().fit();
            assertSame(want, Fixtures.weights(m));
            assertEquals(7, opts.get("encoder").stepCount());
        } finally {
            closeAll(owned);
        }
        owned.clear();
        // another accumulation, or one optimizer instead of two, is refused with both settings
        try (Model m = tiny(99)) {
            CheckpointException e = (CheckpointException) assertThrows(
                    java.io.UncheckedIOException.class, () -> trainer(m, 4)
                            .setOptimizers(everything(m, owned)).optAccumulate(2)
                            .optRunDirectory(run).optResumeFrom(run).build().fit()).getCause();
            assertTrue(e.getMessage().contains("accumulated gradients over 3 batch(es) per"
                    + " update but this trainer over 2"), e.getMessage());
        } finally {
            closeAll(owned);
        }
        try (Model m = tiny(99); Adam one = new Adam(m.parameters(), 0.01)) {
            CheckpointException e = (CheckpointException) assertThrows(
                    java.io.UncheckedIOException.class, () -> trainer(m, 4).setOptimizer(one)
                            .optAccumulate(3).optRunDirectory(run).optResumeFrom(run).build()
                            .fit()).getCause();
            assertTrue(e.getMessage().contains("the run has the optimizers [encoder, decoder]"
                    + " but this trainer has [default]"), e.getMessage());
        }
    }

    @Test
    void aCheckpointOfVersionOneWithoutScheduleOrAccumulationStillResumes() throws IOException {
        Map<String, float[]> want;
        try (Model m = tiny(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, 2).setOptimizer(opt).build().fit();
            want = Fixtures.weights(m);
        }
        Path run = dir.resolve("old");
        try (Model m = tiny(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, 1).setOptimizer(opt).optRunDirectory(run).build().fit();
        }
        // rewrite the checkpoint's trainer.json as the previous release wrote it
        Path state = Checkpoint.latest(run).orElseThrow().resolve(Checkpoint.STATE_FILE);
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                Files.readString(state));
        root.put("version", 1);
        root.remove("accumulate");
        root.remove("optimizers");
        Files.writeString(state, json.writeValueAsString(root));
        TrainerState old = Checkpoint.readState(state.getParent());
        assertEquals(1, old.accumulate());
        assertEquals(List.of(), old.optimizers());
        try (Model m = tiny(99); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, 2).setOptimizer(opt).optRunDirectory(run).optResumeFrom(run).build()
                    .fit();
            assertSame(want, Fixtures.weights(m));
        }
    }

    @Test
    void trainerStateOfVersionTwoRoundTripsItsOptimizersAndAccumulation() {
        TrainerState s = new TrainerState(1, 3, 10, 42, 8, 4, 50, "reference", "tiny-ae", "Adam",
                0.01, Map.of("loss", 1.5), 24, 0.5, List.of(), 3, List.of(
                        new TrainerState.OptimizerSettings("encoder", "Adam", 0.02,
                                "warmup(3) then cosine(10, 0.1)", "norm 0.05"),
                        new TrainerState.OptimizerSettings("decoder", "Sgd", 0.0, "constant",
                                "none")));
        assertEquals(s, TrainerState.fromJson(s.toJson(), "trainer.json"));
        String future = s.toJson().replace("\"version\" : 2", "\"version\" : 3");
        assertEquals("trainer.json: version 3 is not supported; this vae4j reads versions 1 to 2",
                assertThrows(IllegalArgumentException.class,
                        () -> TrainerState.fromJson(future, "trainer.json")).getMessage());
        String bad = s.toJson().replace("\"accumulate\" : 3", "\"accumulate\" : 0");
        assertEquals("trainer.json: field 'accumulate' must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class,
                        () -> TrainerState.fromJson(bad, "trainer.json")).getMessage());
    }

    @Test
    void aStepThatReturnsNoLossIsAClearError() {
        try (Model m = tiny(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> trainer(m, 1).setOptimizer(opt).optTrainingStep(step -> null).build()
                            .fit());
            assertEquals("the training step returned no loss at step 0; it must return the loss"
                    + " it computed", e.getMessage());
        }
    }

    @Test
    void twoOptimizersNeedAStepThatNamesThemOrTheStandardJointOne() {
        try (Model m = tiny(5); Sgd enc = new Sgd(part(m, "encoder"), 0.1);
                Sgd dec = new Sgd(part(m, "decoder"), 0.1)) {
            Optimizers opts = groups(m, enc, dec);
            assertEquals("the trainer has 2 optimizers [encoder, decoder]; a training step that"
                    + " uses several must pick them by name (optTrainingStep)",
                    assertThrows(IllegalStateException.class, opts::only).getMessage());
            assertEquals("no optimizer named 'disc'; the trainer has [encoder, decoder]",
                    assertThrows(IllegalArgumentException.class, () -> opts.get("disc"))
                            .getMessage());
            assertEquals("no parameter is under 'disc'; the parameters are [encoder.weight,"
                    + " encoder.bias, decoder.weight, decoder.bias]",
                    assertThrows(IllegalArgumentException.class,
                            () -> Optimizers.select(m.parameters(), "disc")).getMessage());
        }
    }

    private static void assertSame(Map<String, float[]> want, Map<String, float[]> got) {
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));
    }
}
