package org.vae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;

class TrainerTest {

    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    private Trainer.Builder trainer(Model model, Adam opt, int epochs) {
        return Trainer.builder().setModel(model).setOptimizer(opt)
                .setTrainData(Fixtures.train()).optTestData(Fixtures.test())
                .optBatchSize(8).optEpochs(epochs).optSeed(1);
    }

    private List<String> listCheckpoints(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve(Checkpoint.FOLDER))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void nanLossTermStopsTrainingNamingTheTermEpochAndStepWithoutCheckpointingIt()
            throws IOException {
        // Step index 9 is global step 10, the third batch of epoch 2 (7 batches per epoch).
        ModelConfig config = Fixtures.config().with("nanAtStep", 9);
        Path run = dir.resolve("run");
        try (Model m = new TinyAutoencoder(config, backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            Trainer t = trainer(m, opt, 3).optRunDirectory(run).optCheckpointEvery(10)
                    .optKeepCheckpoints(5).build();
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::fit);
            assertTrue(e.getMessage().startsWith("training diverged at epoch 2, step 10: loss"
                    + " term 'kl' is NaN; try a lower learning rate"), e.getMessage());
            assertEquals("kl", e.term());
            assertEquals(1, e.epoch());
            assertEquals(10, e.step());
        }
        assertEquals(List.of("step-00000007"), listCheckpoints(run));
        assertEquals(1, Files.readAllLines(run.resolve("metrics.csv")).size() - 1);
    }

    @Test
    void dataOfTheWrongWidthIsRefusedBeforeTrainingNamingTheDataSet() {
        float[] rows = new float[4 * 5];
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer(m, opt, 1)
                            .setTrainData(Dataset.unlabelled("five-wide", rows, 5)).build().fit());
            assertTrue(e.getMessage().contains("five-wide") && e.getMessage().contains("6"),
                    e.getMessage());
            assertEquals(0, opt.stepCount());
        }
    }

    @Test
    void afterTrainingRunsOnceWhenTrainingEnds() {
        int[] calls = new int[1];
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5)) {
                @Override
                public void afterTraining(DataLoader trainData) {
                    calls[0]++;
                    assertEquals(Fixtures.train().size(), trainData.examplesPerEpoch());
                }
            };
             Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, opt, 2).build().fit();
        }
        assertEquals(1, calls[0]);
    }

    @Test
    void afterFitOnlyTheModelAndOptimizerTensorsAreAlive() {
        assertEquals(0, backend.liveTensors());
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, opt, 2).optRunDirectory(dir).optCheckpointEvery(3).build().fit();
            // 4 parameters, 1 buffer, and Adam's two buffers for each parameter.
            assertEquals(5, m.state().size());
            assertEquals(8, opt.stateTensorCount());
            assertEquals(13, backend.liveTensors());
        }
        assertEquals(0, backend.liveTensors());
    }

    @Test
    void metricsCsvHasOneRowPerEpochWithEveryTermOnTrainAndTest() throws IOException {
        TrainingResult result;
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            result = trainer(m, opt, 3).optRunDirectory(dir).build().fit();
        }
        List<String> lines = Files.readAllLines(dir.resolve(Trainer.METRICS_FILE));
        assertEquals("epoch,train_loss,train_reconstruction,train_kl,test_loss,"
                + "test_reconstruction,test_kl,seconds,samples_per_sec", lines.get(0));
        assertEquals(4, lines.size());
        for (int e = 0; e < 3; e++) {
            String[] cells = lines.get(e + 1).split(",");
            assertEquals(9, cells.length);
            assertEquals(Integer.toString(e + 1), cells[0]);
            EpochSummary s = result.epochs().get(e);
            assertEquals(s.train().get("loss"), Double.parseDouble(cells[1]));
            assertEquals(s.train().get("reconstruction"), Double.parseDouble(cells[2]));
            assertEquals(s.train().get("kl"), Double.parseDouble(cells[3]));
            assertEquals(s.test().get("loss"), Double.parseDouble(cells[4]));
            assertEquals(s.test().get("reconstruction"), Double.parseDouble(cells[5]));
            assertEquals(s.test().get("kl"), Double.parseDouble(cells[6]));
            assertTrue(Double.parseDouble(cells[7]) >= 0);
            assertTrue(Double.parseDouble(cells[8]) > 0);
        }
        // Training makes progress on this easy problem.
        assertTrue(result.epochs().get(2).train().get("loss")
                < result.epochs().get(0).train().get("loss"));
    }

    @Test
    void trainAveragesAreWeightedByBatchSize() {
        List<StepInfo> steps = new ArrayList<>();
        TrainingResult result;
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            result = trainer(m, opt, 1).addListener(new TrainingListener() {
                @Override
                public void onStep(StepInfo step) {
                    steps.add(step);
                }
            }).build().fit();
        }
        assertEquals(7, steps.size());
        assertEquals(2, steps.get(6).batchSize());
        double sum = 0;
        for (StepInfo s : steps) {
            sum += s.values().get("loss") * s.batchSize();
        }
        assertEquals(sum / 50, result.finalTrain().get("loss"), 1e-12);
    }

    @Test
    void keepsOnlyTheNewestCheckpointsAndNoPartialFolders() throws IOException {
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, opt, 2).optRunDirectory(dir).optCheckpointEvery(3).optKeepCheckpoints(2)
                    .build().fit();
        }
        assertEquals(List.of("step-00000012", "step-00000014"), listCheckpoints(dir));
        Path last = Checkpoint.latest(dir).orElseThrow();
        TrainerState state = Checkpoint.readState(last);
        assertEquals(2, state.epoch());
        assertEquals(0, state.batch());
        assertEquals(14, state.step());
        assertEquals(2, state.history().size());
        assertEquals("reference", state.backend());
        assertEquals("Adam", state.optimizer());
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE,
                Checkpoint.STATE_FILE)) {
            assertTrue(Files.isRegularFile(last.resolve(f)), f);
        }
    }

    @Test
    void loggingListenerWritesPeriodicStepLinesAndOneLinePerEpoch() {
        List<String> lines = new ArrayList<>();
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, opt, 2).addListener(new LoggingListener(5, lines::add)).build().fit();
        }
        // start, steps 5 and 10, two epoch lines, end
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("training tiny-ae (45 parameters) on reference: 50"
                + " training examples, 13 test examples, batch 8 (7 per epoch), 2 epochs, seed 1"),
                lines.get(0));
        assertTrue(lines.get(1).matches("epoch 1/2 batch 5/7 step 5: loss=\\S+"
                + " reconstruction=\\S+ kl=\\S+ \\(\\d+ samples/s\\)"), lines.get(1));
        assertTrue(lines.get(2).startsWith("epoch 1/2 done in "), lines.get(2));
        assertTrue(lines.get(2).contains(": train loss="), lines.get(2));
        assertTrue(lines.get(2).contains(" | test loss="), lines.get(2));
        assertTrue(lines.get(3).startsWith("epoch 2/2 batch 3/7 step 10: "), lines.get(3));
        assertTrue(lines.get(5).startsWith("training finished: 2 epochs, 14 steps"),
                lines.get(5));
    }

    @Test
    void builderNamesWhatIsMissingOrWrong() {
        assertTrue(assertThrows(IllegalStateException.class,
                () -> Trainer.builder().build()).getMessage().contains("setModel"));
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.builder().setModel(
                            new TinyAutoencoder(Fixtures.config().with("input", 5), backend,
                                    new Rng(1)))
                            .setOptimizer(opt).setTrainData(Fixtures.train()).build());
            assertTrue(w.getMessage().contains("rows of 6 values but the tiny-ae model takes"
                    + " inputs of 5"), w.getMessage());
            assertTrue(assertThrows(IllegalStateException.class,
                    () -> trainer(m, opt, 1).optCheckpointEvery(5).build()).getMessage()
                    .contains("optRunDirectory"));
        }
    }

    @Test
    void fitCanBeCalledOnlyOnce() {
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(5));
             Adam opt = new Adam(m.parameters(), 0.01)) {
            Trainer t = trainer(m, opt, 1).build();
            t.fit();
            assertThrows(IllegalStateException.class, t::fit);
        }
    }
}
