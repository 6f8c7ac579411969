package org.vae4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.model.Encoder;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.optim.Adam;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.ModelWeights;
import org.vae4j.train.Trainer;

/**
 * Scores and latent codes of a DataFrame on a local[2] master against the single-machine
 * detector on the same backend, row by row, with the rows reordered and repartitioned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkScorerTest {
    private static final int ROWS = 1200;
    private static final int WIDTH = 6;

    @TempDir
    static Path run;

    private SparkSession spark;
    private float[] features;
    private float[] expectedScores;
    private float[] expectedZ;
    private int latent;
    private double threshold;

    @BeforeAll
    void setUp() throws Exception {
        Random r = new Random(7);
        features = new float[ROWS * WIDTH];
        for (int i = 0; i < ROWS; i++) {
            double t = r.nextGaussian();
            for (int j = 0; j < WIDTH; j++) {
                // correlated normal rows; every 50th row is off the pattern
                features[i * WIDTH + j] = (float) (t * (j + 1) / WIDTH + 0.1 * r.nextGaussian()
                        + (i % 50 == 0 ? 3 * r.nextGaussian() : 0));
            }
        }
        org.vae4j.data.Dataset data = org.vae4j.data.Dataset.unlabelled("synthetic", features,
                WIDTH);
        Backend be = Backends.select("ejml");
        try (Model m = Models.create("ae", ModelConfig.of(Map.of("input", WIDTH,
                "hidden", List.of(16), "latent", 2)), be, 1)) {
            try (Adam adam = new Adam(m.parameters(), 1e-2)) {
                Trainer.builder().setModel(m).setOptimizer(adam).setTrainData(data)
                        .optBatchSize(100).optEpochs(3).optSeed(1).build().fit();
            }
            ModelWeights.save(run.resolve("model.safetensors"), m);
            AnomalyDetector d = AnomalyDetector.of(m);
            DataLoader loader = DataLoader.builder(data, be).setBatchSize(500).build();
            d.fit(loader);
            d.saveThreshold(run);
            threshold = d.threshold().value();
            expectedScores = d.score(loader);
            latent = ((Encoder) m).latentSize();
            try (TensorScope s = be.newScope()) {
                expectedZ = ((Encoder) m).encode(new Batch(be.fromArray(features, ROWS, WIDTH)))
                        .toArray();
            }
        }
        spark = SparkSession.builder().master("local[2]").appName("vae4j-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll
    void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** Rows (id, f0..f5, tag) in a shuffled order over 3 partitions. */
    private Dataset<Row> columns() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false);
        for (int j = 0; j < WIDTH; j++) {
            schema = schema.add("f" + j, DataTypes.FloatType, false);
        }
        schema = schema.add("tag", DataTypes.StringType, false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            Object[] v = new Object[WIDTH + 2];
            v[0] = i;
            for (int j = 0; j < WIDTH; j++) {
                v[j + 1] = features[i * WIDTH + j];
            }
            v[WIDTH + 1] = "row" + i;
            rows.add(RowFactory.create(v));
        }
        return spark.createDataFrame(rows, schema).orderBy(functions.rand(3)).repartition(3);
    }

    private static String[] names() {
        String[] n = new String[WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            n[j] = "f" + j;
        }
        return n;
    }

    @Test
    void scoresEqualTheSingleMachineDetectorForEveryRow() throws Exception {
        List<Row> out = SparkScorer.forRun(run).backend("ejml").features(names())
                .score(columns()).collectAsList();
        assertEquals(ROWS, out.size());
        boolean[] seen = new boolean[ROWS];
        int flagged = 0;
        for (Row r : out) {
            int id = r.getInt(0);
            seen[id] = true;
            float s = r.getFloat(r.fieldIndex("score"));
            assertEquals(Float.floatToIntBits(expectedScores[id]), Float.floatToIntBits(s),
                    "row " + id);
            assertEquals(s > threshold, r.getBoolean(r.fieldIndex("flagged")), "row " + id);
            assertEquals("row" + id, r.getString(r.fieldIndex("tag")));
            flagged += r.getBoolean(r.fieldIndex("flagged")) ? 1 : 0;
        }
        for (boolean b : seen) {
            assertTrue(b);
        }
        assertTrue(flagged > 0 && flagged < ROWS / 5, "flagged " + flagged);
    }

    @Test
    void anArrayColumnAndAnotherBatchSizeGiveTheSameScoresWithinAnUlp() throws Exception {
        Dataset<Row> df = columns().select(functions.col("id"),
                functions.array(java.util.Arrays.stream(names()).map(functions::col)
                        .toArray(org.apache.spark.sql.Column[]::new)).as("features"));
        List<Row> out = SparkScorer.forRun(run).backend("ejml").batchSize(7).threshold(1e9)
                .score(df).collectAsList();
        for (Row r : out) {
            int id = r.getInt(0);
            // another batch size takes other matrix-product paths: equal up to rounding
            assertEquals(expectedScores[id], r.getFloat(2), Math.ulp(expectedScores[id]) * 2,
                    "row " + id);
            assertEquals(false, r.getBoolean(3));
        }
    }

    @Test
    void latentCodesEqualTheSingleMachineEncoder() throws Exception {
        List<Row> out = SparkScorer.forRun(run).backend("ejml").features(names())
                .embed(columns()).collectAsList();
        assertEquals(ROWS, out.size());
        for (Row r : out) {
            int id = r.getInt(0);
            List<Float> z = r.getList(r.fieldIndex("z"));
            float[] got = new float[z.size()];
            for (int k = 0; k < got.length; k++) {
                got[k] = z.get(k);
            }
            float[] want = java.util.Arrays.copyOfRange(expectedZ, id * latent,
                    (id + 1) * latent);
            assertArrayEquals(want, got, 1e-6f, "row " + id);
        }
    }

    @Test
    void badInputIsOneClearErrorOnTheDriver() {
        SparkScorer s = SparkScorer.forRun(run).backend("ejml");
        Dataset<Row> df = columns();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> s.features("f0", "nope").score(df));
        assertTrue(missing.getMessage().contains("no column 'nope'"), missing.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> s.features("f0", "f1").score(df));
        assertTrue(count.getMessage().contains("takes 6 features per row; got 2"),
                count.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> s.features("f0", "f1", "f2", "f3", "f4", "tag").score(df));
        assertTrue(type.getMessage().contains("'tag' is string; expected a number"),
                type.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> s.features(names()).score(df.limit(0)));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        java.io.IOException noRun = assertThrows(java.io.IOException.class,
                () -> SparkScorer.forRun(run.resolve("absent")).features(names()).score(df));
        assertTrue(noRun.getMessage().contains("does not exist"), noRun.getMessage());
    }
}
