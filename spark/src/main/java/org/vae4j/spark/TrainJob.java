package org.vae4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Models;
import org.vae4j.optim.Adam;
import org.vae4j.optim.Sgd;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.LoggingListener;
import org.vae4j.train.ModelWeights;
import org.vae4j.train.TrainingResult;

/**
 * The {@code spark-submit} entry point for training: trains a model on a Parquet or CSV input
 * with {@link SparkTrainer} into a run folder on the driver ({@code checkpoints/},
 * {@code metrics.csv} and, at the end, {@code model.safetensors}, which {@link ScoreJob} and
 * {@code vae4j score} read). {@code --resume} continues the run folder's newest checkpoint.
 *
 * <pre>
 * spark-submit --class org.vae4j.spark.TrainJob vae4j-spark.jar \
 *     --input train.parquet --features f0,f1,f2 --model ae \
 *     --config '{"input":3,"hidden":[16],"latent":2}' --run runs/ae-spark \
 *     --workers 16 --batch 512 --epochs 10 --lr 1e-3
 * </pre>
 */
public final class TrainJob {
    private static final List<String> KEYS = List.of("--input", "--format", "--features",
            "--labels", "--model", "--config", "--run", "--resume", "--optimizer", "--lr",
            "--workers", "--batch", "--epochs", "--seed", "--local-sgd", "--checkpoint-every",
            "--backend", "--log-every");
    private static final String USAGE = "usage: --input PATH --model TYPE --run DIR"
            + " [--config JSON] [--features a,b,c | --features arraycol] [--labels COL]"
            + " [--optimizer adam|sgd] [--lr X] [--workers N] [--batch N] [--epochs N]"
            + " [--seed N] [--local-sgd H] [--checkpoint-every N] [--backend NAME] [--resume]";

    private TrainJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String type = a.get("--model");
        ModelConfig config = ModelConfig.fromJson(a.getOrDefault("--config", "{}"));
        double lr = number(a, "--lr", 1e-3);
        String optimizer = a.getOrDefault("--optimizer", "adam");
        OptimizerFactory factory = switch (optimizer) {
            case "adam" -> p -> new Adam(p, lr);
            case "sgd" -> p -> new Sgd(p, lr);
            default -> throw new IllegalArgumentException("--optimizer must be adam or sgd, got "
                    + optimizer);
        };
        long seed = (long) number(a, "--seed", 1);
        Path run = Path.of(a.get("--run"));
        boolean resume = a.containsKey("--resume");
        if (!resume && Files.isDirectory(run.resolve(Checkpoint.FOLDER))) {
            throw new IllegalArgumentException(run + " already holds a run; give --resume to"
                    + " continue it, or another --run folder");
        }
        SparkSession spark = SparkSession.builder().appName("vae4j train").getOrCreate();
        Backend driver = a.containsKey("--backend") ? Backends.select(a.get("--backend"))
                : Backends.select();
        try (Model model = Models.create(type, config, driver, seed)) {
            Dataset<Row> in = read(spark, a);
            SparkTrainer.Builder b = SparkTrainer.builder().setModel(model)
                    .setOptimizer(factory).setTrainData(in).optSeed(seed)
                    .optBackend(a.get("--backend")).optRunDirectory(run)
                    .optBatchSize((int) number(a, "--batch", 128))
                    .optEpochs((int) number(a, "--epochs", 10))
                    .optLocalSgd((int) number(a, "--local-sgd", 1))
                    .optCheckpointEvery((long) number(a, "--checkpoint-every", 0))
                    .addListener(new LoggingListener((int) number(a, "--log-every", 100)));
            if (a.containsKey("--features")) {
                b.optFeatures(a.get("--features").split(","));
            }
            if (a.containsKey("--labels")) {
                b.optLabels(a.get("--labels"));
            }
            if (a.containsKey("--workers")) {
                b.optWorkers((int) number(a, "--workers", 1));
            }
            if (resume) {
                b.optResumeFrom(run);
            }
            SparkTrainer trainer = b.build();
            TrainingResult result = trainer.fit();
            ModelWeights.save(run.resolve(Checkpoint.MODEL_FILE), model);
            SparkTrainingTimes t = trainer.times();
            System.out.printf(Locale.ROOT, "trained %s to step %d in %.1f s (%.0f samples/s);"
                    + " %s; wrote %s%n", type, result.finalStep(), t.total(),
                    t.samplesPerSecond(), t.perUpdate(), run.resolve(Checkpoint.MODEL_FILE));
        } finally {
            spark.stop();
        }
    }

    private static Dataset<Row> read(SparkSession spark, Map<String, String> a) {
        String input = a.get("--input");
        String format = a.getOrDefault("--format", input.endsWith(".csv") ? "csv" : "parquet");
        return switch (format) {
            case "parquet" -> spark.read().parquet(input);
            case "csv" -> spark.read().option("header", "true").option("inferSchema", "true")
                    .csv(input);
            default -> throw new IllegalArgumentException("--format must be parquet or csv, got "
                    + format);
        };
    }

    private static double number(Map<String, String> a, String key, double otherwise) {
        String v = a.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            String v = null;
            int eq = k.indexOf('=');
            if (eq > 0) {
                v = k.substring(eq + 1);
                k = k.substring(0, eq);
            }
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown option " + k + "; expected one of "
                        + String.join(", ", KEYS));
            }
            if (k.equals("--resume")) {
                a.put(k, "true");
                continue;
            }
            if (v == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(k + " needs a value");
                }
                v = args[++i];
            }
            a.put(k, v);
        }
        for (String k : List.of("--input", "--model", "--run")) {
            if (!a.containsKey(k)) {
                throw new IllegalArgumentException(k + " is required (" + USAGE + ")");
            }
        }
        return a;
    }
}
