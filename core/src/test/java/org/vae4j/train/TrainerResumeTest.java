package org.vae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.model.Model;
import org.vae4j.optim.Adam;
import org.vae4j.optim.Optimizer;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;

class TrainerResumeTest {

    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    private Model model(long initSeed) {
        return new TinyAutoencoder(Fixtures.config(), backend, new Rng(initSeed));
    }

    private Trainer.Builder trainer(Model model, Optimizer opt, int epochs, Path runDir) {
        return Trainer.builder().setModel(model).setOptimizer(opt)
                .setTrainData(Fixtures.train()).optTestData(Fixtures.test())
                .optBatchSize(8).optEpochs(epochs).optSeed(1).optRunDirectory(runDir);
    }

    private static void assertSameWeights(Map<String, float[]> want, Map<String, float[]> got) {
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k));
    }

    /** The metrics.csv rows without the timing columns, which legitimately differ. */
    private static List<String> metricsWithoutTiming(Path csv) throws IOException {
        return Files.readAllLines(csv).stream()
                .map(l -> l.substring(0, l.lastIndexOf(',', l.lastIndexOf(',') - 1)))
                .toList();
    }

    @Test
    void resumingAfterTwoEpochsToFourGivesBitIdenticalWeightsToFourInOneGo() throws IOException {
        Path straight = dir.resolve("straight");
        Map<String, float[]> want;
        TrainingResult full;
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            full = trainer(m, opt, 4, straight).build().fit();
            want = Fixtures.weights(m);
        }

        Path split = dir.resolve("split");
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            TrainingResult half = trainer(m, opt, 2, split).build().fit();
            assertEquals(2, half.epochs().size());
            assertEquals(14, half.finalStep());
        }
        // A fresh model with other initial weights and a fresh optimizer: all state comes from
        // the checkpoint.
        TrainingResult resumed;
        try (Model m = model(99); Adam opt = new Adam(m.parameters(), 0.01)) {
            resumed = trainer(m, opt, 4, split).optResumeFrom(split).build().fit();
            assertSameWeights(want, Fixtures.weights(m));
            assertEquals(28, opt.stepCount());
        }
        assertEquals(28, resumed.finalStep());
        assertEquals(4, resumed.epochs().size());
        for (int e = 0; e < 4; e++) {
            assertEquals(full.epochs().get(e).train(), resumed.epochs().get(e).train());
            assertEquals(full.epochs().get(e).test(), resumed.epochs().get(e).test());
        }
        assertEquals(metricsWithoutTiming(straight.resolve("metrics.csv")),
                metricsWithoutTiming(split.resolve("metrics.csv")));
    }

    @Test
    void resumingFromAMidEpochCheckpointAfterACrashMatchesAnUninterruptedRun()
            throws IOException {
        Path straight = dir.resolve("straight");
        Map<String, float[]> want;
        TrainingResult full;
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            full = trainer(m, opt, 3, straight).build().fit();
            want = Fixtures.weights(m);
        }

        Path crashed = dir.resolve("crashed");
        TrainingListener crash = new TrainingListener() {
            @Override
            public void onStep(StepInfo step) {
                if (step.step() == 12) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            Trainer t = trainer(m, opt, 3, crashed).optCheckpointEvery(5).addListener(crash)
                    .build();
            assertThrows(IllegalStateException.class, t::fit);
        }
        Path latest = Checkpoint.latest(crashed).orElseThrow();
        assertEquals("step-00000010", latest.getFileName().toString());
        TrainerState state = Checkpoint.readState(latest);
        assertEquals(1, state.epoch());
        assertEquals(3, state.batch());

        try (Model m = model(99); Adam opt = new Adam(m.parameters(), 0.01)) {
            TrainingResult resumed = trainer(m, opt, 3, crashed).optResumeFrom(crashed).build()
                    .fit();
            assertSameWeights(want, Fixtures.weights(m));
            for (int e = 0; e < 3; e++) {
                assertEquals(full.epochs().get(e).train(), resumed.epochs().get(e).train());
            }
        }
        assertEquals(metricsWithoutTiming(straight.resolve("metrics.csv")),
                metricsWithoutTiming(crashed.resolve("metrics.csv")));
    }

    @Test
    void resumingWithAnotherSeedOrBatchSizeIsRejected() throws IOException {
        Path run = dir.resolve("run");
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, opt, 1, run).build().fit();
        }
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> trainer(m, opt, 2, run).optSeed(2).optResumeFrom(run).build().fit());
            assertTrue(e.getMessage().contains("the run used seed 1 but this trainer has seed 2"),
                    e.getMessage());
            e = assertThrows(UncheckedIOException.class,
                    () -> trainer(m, opt, 2, run).optBatchSize(16).optResumeFrom(run).build()
                            .fit());
            assertTrue(e.getMessage().contains("the run used batch size 8 but this trainer has"
                    + " 16"), e.getMessage());
        }
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        Map<String, float[]> a;
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, opt, 1, null).build().fit();
            a = Fixtures.weights(m);
        }
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, opt, 1, null).optSeed(2).build().fit();
            assertNotEquals(List.of(a.get("encoder.weight")[0]),
                    List.of(Fixtures.weights(m).get("encoder.weight")[0]));
        }
    }

    @Test
    void aRequestedStopCheckpointsTheStepAndResumingMatchesAnUninterruptedRun()
            throws IOException {
        Map<String, float[]> want;
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            trainer(m, opt, 2, dir.resolve("straight")).build().fit();
            want = Fixtures.weights(m);
        }
        Path run = dir.resolve("stopped");
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            Trainer[] t = new Trainer[1];
            t[0] = trainer(m, opt, 2, run).addListener(new TrainingListener() {
                @Override
                public void onStep(StepInfo step) {
                    if (step.step() == 10) {
                        t[0].requestStop("test");
                    }
                }
            }).build();
            TrainingResult result = t[0].fit();
            assertTrue(result.stopped());
            assertEquals("test", result.stopReason());
            assertEquals(10, result.finalStep());
            assertEquals(1, result.epochs().size());
        }
        try (Model m = model(99); Adam opt = new Adam(m.parameters(), 0.01)) {
            TrainingResult resumed = trainer(m, opt, 2, run).optResumeFrom(run).build().fit();
            assertEquals(null, resumed.stopReason());
            assertEquals(14, resumed.finalStep());
            assertSameWeights(want, Fixtures.weights(m));
        }
    }

    @Test
    void aStopRequestedBeforeFitStopsBeforeTheFirstStep() {
        try (Model m = model(5); Adam opt = new Adam(m.parameters(), 0.01)) {
            Map<String, float[]> before = Fixtures.weights(m);
            Trainer t = trainer(m, opt, 2, dir.resolve("early")).build();
            t.requestStop("signal");
            TrainingResult result = t.fit();
            assertEquals("signal", result.stopReason());
            assertEquals(0, result.finalStep());
            assertSameWeights(before, Fixtures.weights(m));
        }
    }
}
