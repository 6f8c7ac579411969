package org.vae4j.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.data.DataLoader;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.train.ModelWeights;

/**
 * Writes the inputs of the README's scoring measurements: a run folder with an autoencoder of
 * 32 inputs (hidden 64, latent 8) and a Parquet file of random rows f0..f31.
 * Usage: {@code BenchData RUN_DIR PARQUET ROWS}.
 */
public final class BenchData {
    private BenchData() {
    }

    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        long rows = Long.parseLong(args[2]);
        int width = 32;
        java.nio.file.Files.createDirectories(run);
        Backend be = Backends.select("ejml");
        try (Model m = Models.create("ae", ModelConfig.of(Map.of("input", width,
                "hidden", List.of(64), "latent", 8)), be, 1)) {
            ModelWeights.save(run.resolve("model.safetensors"), m);
            float[] calib = new float[1000 * width];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < calib.length; i++) {
                calib[i] = (float) r.nextGaussian();
            }
            AnomalyDetector d = AnomalyDetector.of(m);
            d.fit(DataLoader.builder(org.vae4j.data.Dataset.unlabelled("calib", calib, width), be)
                    .setBatchSize(500).build());
            d.saveThreshold(run);
        }
        SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df = spark.range(rows).toDF();
        for (int j = 0; j < width; j++) {
            df = df.withColumn("f" + j, functions.randn(j).cast("float"));
        }
        df.write().parquet(args[1]);
        spark.stop();
    }
}
