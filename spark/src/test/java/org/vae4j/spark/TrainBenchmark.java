package org.vae4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import org.vae4j.optim.Adam;
import org.vae4j.optim.Optimizer;
import org.vae4j.tensor.Backends;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingResult;

/**
 * The README's training measurements: the classic MLP VAE (784-400-20, Adam 1e-3) on ROWS
 * random rows in [0, 1], batch BATCH, EJML, one warm-up epoch then EPOCHS measured: the
 * single-machine trainer, then SparkTrainer on local[1] (1 worker) and local[2] (2 workers,
 * synchronous and local SGD every 8 steps), with where each update's time goes.
 * Usage: {@code TrainBenchmark ROWS BATCH EPOCHS}.
 */
public final class TrainBenchmark {
    private static final Map<String, Object> VAE = Map.of("input", 784, "hidden", List.of(400),
            "latent", 20);
    private static final OptimizerFactory ADAM = p -> new Adam(p, 1e-3);

    private TrainBenchmark() {
    }

    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int epochs = Integer.parseInt(args[2]);
        float[] x = new float[rows * 784];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        org.vae4j.data.Dataset data = org.vae4j.data.Dataset.unlabelled("random", x, 784);
        for (int round = 0; round < 2; round++) {
            try (Model m = model(); Optimizer o = ADAM.create(m.parameters())) {
                TrainingResult t = Trainer.builder().setModel(m).setOptimizer(o)
                        .setTrainData(data).optBatchSize(batch).optEpochs(round == 0 ? 1
                                : epochs).optSeed(1).build().fit();
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "single machine: %.0f samples/s (%.2f ms per"
                            + " step)%n", (double) rows * epochs / t.seconds(),
                            t.seconds() * 1e3 / t.finalStep());
                }
            }
        }
        spark("local[1]", x, rows, batch, epochs, 1, 1);
        spark("local[2]", x, rows, batch, epochs, 2, 1);
        spark("local[2]", x, rows, batch, epochs, 2, 8);
    }

    private static Model model() {
        return Models.create("vae", ModelConfig.of(VAE), Backends.select("ejml"), 1);
    }

    private static void spark(String master, float[] x, int rows, int batch, int epochs,
            int workers, int localSgd) {
        SparkSession spark = SparkSession.builder().master(master).appName("vae4j-train-bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        try {
            StructType schema = new StructType().add("x",
                    DataTypes.createArrayType(DataTypes.FloatType, false), false);
            List<Row> list = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                Float[] v = new Float[784];
                for (int j = 0; j < 784; j++) {
                    v[j] = x[i * 784 + j];
                }
                list.add(RowFactory.create((Object) v));
            }
            Dataset<Row> df = spark.createDataFrame(list, schema).cache();
            df.count();
            for (int round = 0; round < 2; round++) {
                try (Model m = model()) {
                    SparkTrainer t = SparkTrainer.builder().setModel(m).setOptimizer(ADAM)
                            .setTrainData(df).optFeatures("x").optBackend("ejml")
                            .optWorkers(workers).optLocalSgd(localSgd).optBatchSize(batch)
                            .optEpochs(round == 0 ? 1 : epochs).optSeed(1).build();
                    t.fit();
                    if (round == 1) {
                        SparkTrainingTimes s = t.times();
                        System.out.printf(Locale.ROOT, "%s, %d worker(s)%s: %.0f samples/s"
                                + " (%.2f ms per step); %s%n", master, workers,
                                localSgd > 1 ? ", local SGD every " + localSgd : "",
                                s.samplesPerSecond(), s.total() * 1e3 / (s.updates()
                                        * (double) Math.max(1, localSgd)), s.perUpdate());
                    }
                }
            }
        } finally {
            spark.stop();
        }
    }
}
