package org.vae4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.model.Model;
import org.vae4j.optim.Adam;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.TrainerState;
import org.vae4j.train.TrainingResult;

/**
 * Distributed training with one worker on a local[1] master against the single-machine
 * trainer: the same weights bit for bit, synchronous and local SGD; checkpoints that either
 * trainer resumes; bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTrainerTest {
    private static final int ROWS = 600;
    private static final int BATCH = 64;
    private static final Map<String, Object> VAE = Map.of("input", TrainingFixtures.WIDTH,
            "hidden", List.of(12), "latent", 2);
    private static final OptimizerFactory ADAM = p -> new Adam(p, 1e-2);

    @TempDir
    Path dir;

    private SparkSession spark;
    private float[] x;

    @BeforeAll
    void setUp() {
        x = TrainingFixtures.rows(ROWS, 3);
        spark = SparkSession.builder().master("local[1]").appName("vae4j-spark-train-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll
    void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    private SparkTrainer.Builder spark(Model m, Dataset<Row> df) {
        return SparkTrainer.builder().setModel(m).setOptimizer(ADAM).setTrainData(df)
                .optFeatures(TrainingFixtures.names()).optBackend("ejml").optWorkers(1)
                .optBatchSize(BATCH).optSeed(5);
    }

    @Test
    void oneWorkerEqualsTheSingleMachineTrainerBitForBit() {
        TrainingResult[] local = new TrainingResult[1];
        float[] expected;
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            expected = TrainingFixtures.singleMachine(m, ADAM, TrainingFixtures.dataset(x, null,
                    0), BATCH, 2, 5, null, null, local);
        }
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            SparkTrainer t = spark(m, TrainingFixtures.frame(spark, x, null, 3)).optEpochs(2)
                    .build();
            TrainingResult result = t.fit();
            assertArrayEquals(expected, ParameterVectors.weights(m));
            assertEquals(local[0].finalStep(), result.finalStep());
            assertEquals(local[0].finalTrain().get("loss"), result.finalTrain().get("loss"),
                    1e-9 * Math.abs(local[0].finalTrain().get("loss")));
            assertEquals(result.finalStep(), t.times().updates());
            assertEquals(2L * ROWS, t.times().examples());
        }
    }

    @Test
    void localSgdWithOneWorkerEqualsTheSingleMachineTrainerBitForBit() {
        float[] expected;
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            expected = TrainingFixtures.singleMachine(m, ADAM, TrainingFixtures.dataset(x, null,
                    0), BATCH, 2, 5, null, null, null);
        }
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            SparkTrainer t = spark(m, TrainingFixtures.frame(spark, x, null, 2)).optEpochs(2)
                    .optLocalSgd(4).build();
            t.fit();
            assertArrayEquals(expected, ParameterVectors.weights(m));
            // 10 batches an epoch: rounds of 4, 4 and 2
            assertEquals(6, t.times().updates());
        }
    }

    @Test
    void aConditionalModelTrainsOnALabelColumnAsOnTheSingleMachine() {
        int[] labels = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = i % 3;
        }
        Map<String, Object> cvae = Map.of("input", TrainingFixtures.WIDTH, "hidden",
                List.of(8), "latent", 2, "classes", 3);
        float[] expected;
        try (Model m = TrainingFixtures.model("cvae", cvae)) {
            expected = TrainingFixtures.singleMachine(m, ADAM, TrainingFixtures.dataset(x,
                    labels, 3), BATCH, 1, 5, null, null, null);
        }
        try (Model m = TrainingFixtures.model("cvae", cvae)) {
            spark(m, TrainingFixtures.frame(spark, x, labels, 2)).optLabels("label")
                    .optEpochs(1).build().fit();
            assertArrayEquals(expected, ParameterVectors.weights(m));
        }
    }

    @Test
    void eachTrainerResumesTheOthersCheckpoints() throws Exception {
        org.vae4j.data.Dataset data = TrainingFixtures.dataset(x, null, 0);
        float[] uninterrupted;
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            uninterrupted = TrainingFixtures.singleMachine(m, ADAM, data, BATCH, 3, 5, null,
                    null, null);
        }
        Path run = dir.resolve("mixed");
        // epoch 1 on Spark, epoch 2 on the single machine, epoch 3 on Spark again
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            spark(m, TrainingFixtures.frame(spark, x, null, 2)).optEpochs(1)
                    .optRunDirectory(run).optCheckpointEvery(4).build().fit();
        }
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            TrainingFixtures.singleMachine(m, ADAM, data, BATCH, 2, 5, run, run, null);
        }
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            spark(m, TrainingFixtures.frame(spark, x, null, 2)).optEpochs(3)
                    .optRunDirectory(run).optResumeFrom(run).build().fit();
            assertArrayEquals(uninterrupted, ParameterVectors.weights(m));
        }
        TrainerState state = Checkpoint.readState(Checkpoint.latest(run).orElseThrow());
        assertEquals(3, state.epoch());
        assertEquals(30, state.step());
        assertEquals(3, state.history().size());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(4, metrics.size(), String.join("\n", metrics));
    }

    @Test
    void badInputIsOneClearErrorOnTheDriver() {
        Dataset<Row> df = TrainingFixtures.frame(spark, x, null, 2);
        try (Model m = TrainingFixtures.model("vae", VAE)) {
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> spark(m, df.limit(0)).optEpochs(1).build().fit());
            assertTrue(empty.getMessage().contains("the DataFrame is empty"),
                    empty.getMessage());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> spark(m, df).optFeatures("f0", "nope").build().fit());
            assertTrue(missing.getMessage().contains("no column 'nope'"), missing.getMessage());
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                    () -> spark(m, df).optFeatures("f0", "f1").build().fit());
            assertTrue(count.getMessage().contains("takes 6 features per row; got 2"),
                    count.getMessage());
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                    () -> spark(m, df).optFeatures("f0", "f1", "f2", "f3", "f4", "tag").build()
                            .fit());
            assertTrue(type.getMessage().contains("'tag' is string; expected a number"),
                    type.getMessage());
            IllegalArgumentException nulls = assertThrows(IllegalArgumentException.class,
                    () -> spark(m, df.withColumn("f2", functions.when(functions.col("tag")
                            .equalTo("row7"), functions.lit(null)).otherwise(functions.col(
                                    "f2")))).optEpochs(1).build().fit());
            assertTrue(nulls.getMessage().contains("missing (null) feature value"),
                    nulls.getMessage());
            IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                    () -> spark(m, df).optLabels("tag").build().fit());
            assertTrue(label.getMessage().contains("'tag' is string; expected an integer"),
                    label.getMessage());
        }
        try (Model vq = TrainingFixtures.model("vq-vae", Map.of("input", TrainingFixtures.WIDTH,
                "hidden", List.of(8), "code-dim", 2, "codebook-size", 4))) {
            IllegalArgumentException stateful = assertThrows(IllegalArgumentException.class,
                    () -> spark(vq, df).build().fit());
            assertTrue(stateful.getMessage().contains("outside gradient steps"),
                    stateful.getMessage());
        }
    }
}
