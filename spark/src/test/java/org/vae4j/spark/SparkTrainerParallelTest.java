package org.vae4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.Batch;
import org.vae4j.model.Model;
import org.vae4j.model.StepContext;
import org.vae4j.optim.Adam;
import org.vae4j.optim.Optimizer;
import org.vae4j.optim.OptimizerState;
import org.vae4j.data.DataLoader;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.Optimizers;
import org.vae4j.train.StepEnvironment;
import org.vae4j.train.TrainingStep;

/**
 * Two workers on a local[2,2] master (each task may be tried twice): synchronous training
 * against the single-machine trainer on the same global batches, local SGD against its
 * definition, and a worker lost mid-step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTrainerParallelTest {
    private static final int ROWS = 400;
    private static final int BATCH = 50;
    private static final long SEED = 9;
    /**
     * Two workers sum two halves of each gradient in another order than one pass over the
     * batch: float rounding, which 16 Adam steps carry into the weights at this size.
     */
    private static final double TOLERANCE = 1e-5;
    private static final Map<String, Object> AE = Map.of("input", TrainingFixtures.WIDTH,
            "hidden", List.of(12), "latent", 3);
    private static final OptimizerFactory ADAM = p -> new Adam(p, 1e-2);

    @TempDir
    Path dir;

    @TempDir
    static Path shared;

    private SparkSession spark;
    private float[] x;
    private Path cleanRun;
    private float[] clean;

    @BeforeAll
    void setUp() {
        x = TrainingFixtures.rows(ROWS, 4);
        cleanRun = shared.resolve("clean");
        spark = SparkSession.builder().master("local[2,2]").appName("vae4j-spark-train-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("OFF");
    }

    @AfterAll
    void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    private SparkTrainer.Builder twoWorkers(Model m) {
        return SparkTrainer.builder().setModel(m).setOptimizer(ADAM)
                .setTrainData(TrainingFixtures.frame(spark, x, null, 2))
                .optFeatures(TrainingFixtures.names()).optBackend("ejml").optWorkers(2)
                .optBatchSize(BATCH).optSeed(SEED);
    }

    @Test
    void twoWorkersEqualTheSingleMachineTrainerWithinRounding() {
        float[] expected;
        try (Model m = TrainingFixtures.model("ae", AE)) {
            expected = TrainingFixtures.singleMachine(m, ADAM, TrainingFixtures.dataset(x, null,
                    0), BATCH, 2, SEED, null, null, null);
        }
        try (Model m = TrainingFixtures.model("ae", AE)) {
            float[] before = ParameterVectors.weights(m);
            twoWorkers(m).optEpochs(2).build().fit();
            float[] got = ParameterVectors.weights(m);
            double d = TrainingFixtures.maxDifference(expected, got);
            assertTrue(d <= TOLERANCE, "largest difference " + d);
            // and the training moved the weights by far more than that
            assertTrue(TrainingFixtures.maxDifference(before, got) > 1000 * TOLERANCE);
        }
    }

    @Test
    void localSgdIsTheExampleWeightedAverageOfTheWorkersOwnSteps() {
        int h = 3;
        float[] expected = localSgdByHand(h, 1);
        try (Model m = TrainingFixtures.model("ae", AE)) {
            SparkTrainer t = twoWorkers(m).optEpochs(1).optLocalSgd(h).build();
            t.fit();
            assertArrayEquals(expected, ParameterVectors.weights(m));
            assertEquals(3, t.times().updates()); // 8 batches: rounds of 3, 3 and 2
        }
    }

    /**
     * Local SGD written out: each half of the rows (the two shards) trains a copy of the model
     * with its own Adam on its part of each global batch; after each round of h batches the
     * copies' weights and Adam state are averaged, weighted by the examples each saw.
     */
    private float[] localSgdByHand(int h, int epochs) {
        try (Model driver = TrainingFixtures.model("ae", AE);
             Optimizer driverOpt = ADAM.create(driver.parameters())) {
            WorkerSetup setup = new WorkerSetup("by-hand", new byte[0], "ejml", SEED);
            int batches = (ROWS + BATCH - 1) / BATCH;
            long step = 0;
            for (int epoch = 0; epoch < epochs; epoch++) {
                int[] order = DataLoader.shuffledOrder(ROWS, SEED, epoch);
                for (int b = 0; b < batches; b += h) {
                    int steps = Math.min(h, batches - b);
                    OptimizerState start = ParameterVectors.sorted(driverOpt.state());
                    float[] w0 = ParameterVectors.weights(driver);
                    float[] sum = null;
                    long total = (long) Math.min(steps * BATCH, ROWS - b * BATCH);
                    List<String> names = null;
                    int[] sizes = null;
                    for (int p = 0; p < 2; p++) {
                        TrainingShard shard = halfOf(p);
                        try (Model w = TrainingFixtures.model("ae", AE);
                             Optimizer o = ADAM.create(w.parameters())) {
                            ParameterVectors.assignWeights(w, w0);
                            o.loadState(start);
                            long seen = 0;
                            for (int j = 0; j < steps; j++) {
                                int from = (b + j) * BATCH;
                                int[] batch = Arrays.copyOfRange(order, from,
                                        Math.min(from + BATCH, ROWS));
                                int[] pos = shard.positionsIn(batch);
                                try (TensorScope s = w.backend().newScope()) {
                                    Batch bt = new Batch(w.backend().fromArray(
                                            shard.features(batch, pos),
                                            Shape.of(pos.length, TrainingFixtures.WIDTH)));
                                    TrainingStep.standard().run(StepEnvironment.of(w, bt,
                                            StepContext.training(step + j,
                                                    setup.random(step + j, p)),
                                            Optimizers.of(o)));
                                }
                                seen += pos.length;
                            }
                            float share = (float) ((double) seen / total);
                            OptimizerState after = ParameterVectors.sorted(o.state());
                            names = ParameterVectors.names(after);
                            sizes = ParameterVectors.sizes(after);
                            float[] v = ParameterVectors.withState(ParameterVectors.scaled(
                                    ParameterVectors.weights(w), share), after, share);
                            if (sum == null) {
                                sum = v;
                            } else {
                                for (int i = 0; i < v.length; i++) {
                                    sum[i] += v[i];
                                }
                            }
                        }
                    }
                    ParameterVectors.assignWeights(driver, sum);
                    driverOpt.loadState(ParameterVectors.state(start.step() + steps, sum,
                            ParameterVectors.size(driver), names, sizes));
                    step += steps;
                }
            }
            return ParameterVectors.weights(driver);
        }
    }

    /** Shard {@code p} of two: the rows {@code [p * n / 2, (p + 1) * n / 2)}. */
    private TrainingShard halfOf(int p) {
        int lo = p * ROWS / 2;
        int hi = (p + 1) * ROWS / 2;
        int[] idx = new int[hi - lo];
        Arrays.setAll(idx, i -> lo + i);
        return new TrainingShard(p, TrainingFixtures.WIDTH, idx,
                Arrays.copyOfRange(x, lo * TrainingFixtures.WIDTH, hi * TrainingFixtures.WIDTH),
                null);
    }

    private static Map<String, Object> flaky(int failAtStep, int failAttempts) {
        Map<String, Object> c = new HashMap<>();
        c.put("input", TrainingFixtures.WIDTH);
        c.put("failAtStep", failAtStep);
        c.put("failAttempts", failAttempts);
        return c;
    }

    /** An epoch without failures, checkpointed every 3 steps: what the failing runs must give. */
    private float[] cleanRun() {
        if (clean == null) {
            try (Model m = TrainingFixtures.model(FlakyAutoencoder.TYPE, flaky(-1, 0))) {
                twoWorkers(m).optEpochs(1).optRunDirectory(cleanRun).optCheckpointEvery(3)
                        .optKeepCheckpoints(10).build().fit();
                clean = ParameterVectors.weights(m);
            }
        }
        return clean;
    }

    @Test
    void aTaskLostOnItsFirstAttemptIsRetriedAndTheStepIsExact() {
        float[] clean = cleanRun();
        int failuresBefore = FlakyAutoencoder.FAILURES.get();
        try (Model m = TrainingFixtures.model(FlakyAutoencoder.TYPE, flaky(3, 1))) {
            twoWorkers(m).optEpochs(1).build().fit();
            assertEquals(failuresBefore + 2, FlakyAutoencoder.FAILURES.get(),
                    "both workers' first attempts at step 3 failed");
            assertArrayEquals(clean, ParameterVectors.weights(m));
        }
    }

    @Test
    void aStepThatKeepsFailingEndsTheFitWithTheLastCheckpointIntact() throws Exception {
        float[] clean = cleanRun();
        Path run = dir.resolve("failing");
        try (Model m = TrainingFixtures.model(FlakyAutoencoder.TYPE, flaky(5, 2))) {
            SparkTrainingException e = assertThrows(SparkTrainingException.class,
                    () -> twoWorkers(m).optEpochs(1).optRunDirectory(run).optCheckpointEvery(3)
                            .build().fit());
            assertEquals(5, e.step());
            assertTrue(e.getMessage().startsWith("training step 5 failed on the cluster"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("worker lost at step 5"), e.getMessage());
            assertTrue(e.getMessage().contains("step-00000003, is intact"), e.getMessage());
            assertEquals(run.resolve("checkpoints").resolve("step-00000003"), e.lastCheckpoint());
        }
        try (var files = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of("step-00000003"), files.map(f -> f.getFileName().toString())
                    .toList());
        }
        // the checkpoint holds the clean run's weights at step 3, and the run resumes from it
        try (Model a = Checkpoint.loadModel(cleanRun.resolve("checkpoints/step-00000003"),
                org.vae4j.tensor.Backends.select("ejml"));
             Model b = Checkpoint.loadModel(run.resolve("checkpoints/step-00000003"),
                     org.vae4j.tensor.Backends.select("ejml"))) {
            assertArrayEquals(ParameterVectors.weights(a), ParameterVectors.weights(b));
        }
        try (Model m = TrainingFixtures.model(FlakyAutoencoder.TYPE, flaky(-1, 0))) {
            twoWorkers(m).optEpochs(1).optRunDirectory(run).optResumeFrom(run)
                    .optCheckpointEvery(3).build().fit();
            assertArrayEquals(clean, ParameterVectors.weights(m));
        }
    }
}
