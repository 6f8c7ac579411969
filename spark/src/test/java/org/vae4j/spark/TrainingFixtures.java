package org.vae4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.optim.Optimizer;
import org.vae4j.tensor.Backends;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingResult;

/** Tiny data, models and single-machine reference runs for the distributed training tests. */
final class TrainingFixtures {
    static final int WIDTH = 6;

    private TrainingFixtures() {
    }

    /** {@code rows} correlated rows of {@link #WIDTH} values in [0, 1]. */
    static float[] rows(int rows, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * WIDTH];
        for (int i = 0; i < rows; i++) {
            double t = r.nextDouble();
            for (int j = 0; j < WIDTH; j++) {
                x[i * WIDTH + j] = (float) Math.min(1, Math.max(0, t * (j + 1) / WIDTH
                        + 0.1 * r.nextGaussian()));
            }
        }
        return x;
    }

    static String[] names() {
        String[] n = new String[WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            n[j] = "f" + j;
        }
        return n;
    }

    /** Rows (f0..f5[, label], tag) in the order of {@code x}, over {@code partitions}. */
    static Dataset<Row> frame(SparkSession spark, float[] x, int[] labels, int partitions) {
        StructType schema = new StructType();
        for (String n : names()) {
            schema = schema.add(n, DataTypes.FloatType, false);
        }
        if (labels != null) {
            schema = schema.add("label", DataTypes.IntegerType, false);
        }
        schema = schema.add("tag", DataTypes.StringType, false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length / WIDTH; i++) {
            List<Object> v = new ArrayList<>();
            for (int j = 0; j < WIDTH; j++) {
                v.add(x[i * WIDTH + j]);
            }
            if (labels != null) {
                v.add(labels[i]);
            }
            v.add("row" + i);
            rows.add(RowFactory.create(v.toArray()));
        }
        return spark.createDataFrame(rows, schema).coalesce(partitions);
    }

    static Model model(String type, Map<String, Object> config) {
        return Models.create(type, ModelConfig.of(config), Backends.select("ejml"), 1);
    }

    static org.vae4j.data.Dataset dataset(float[] x, int[] labels, int classes) {
        return labels == null ? org.vae4j.data.Dataset.unlabelled("rows", x, WIDTH)
                : org.vae4j.data.Dataset.of("rows", x, WIDTH, labels, classes);
    }

    /** The single-machine trainer's run: its weights, and the result. */
    static float[] singleMachine(Model m, OptimizerFactory optimizer,
            org.vae4j.data.Dataset data, int batch, int epochs, long seed, Path run,
            Path resume, TrainingResult[] result) {
        try (Optimizer o = optimizer.create(m.parameters())) {
            Trainer.Builder b = Trainer.builder().setModel(m).setOptimizer(o).setTrainData(data)
                    .optBatchSize(batch).optEpochs(epochs).optSeed(seed).optRunDirectory(run)
                    .optResumeFrom(resume);
            TrainingResult r = b.build().fit();
            if (result != null) {
                result[0] = r;
            }
        }
        return ParameterVectors.weights(m);
    }

    static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
