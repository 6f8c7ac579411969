package org.vae4j.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: scores (or embeds) a Parquet or CSV input with a run
 * and writes the result as Parquet. Spark's output committer moves the files into place only
 * when every task has succeeded, so a failed job leaves no partial output table.
 *
 * <pre>
 * spark-submit --class org.vae4j.spark.ScoreJob vae4j-spark.jar \
 *     --run runs/ae-1 --input transactions.parquet --features f0,f1,f2 --output scored.parquet
 * </pre>
 */
public final class ScoreJob {
    private static final List<String> KEYS = List.of("--run", "--input", "--output",
            "--features", "--format", "--backend", "--score", "--threshold", "--batch",
            "--embed");

    private ScoreJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        SparkSession spark = SparkSession.builder().appName("vae4j score").getOrCreate();
        try {
            String format = a.getOrDefault("--format", a.get("--input").endsWith(".csv")
                    ? "csv" : "parquet");
            Dataset<Row> in = switch (format) {
                case "parquet" -> spark.read().parquet(a.get("--input"));
                case "csv" -> spark.read().option("header", "true").option("inferSchema", "true")
                        .csv(a.get("--input"));
                default -> throw new IllegalArgumentException("--format must be parquet or csv,"
                        + " got " + format);
            };
            SparkScorer s = SparkScorer.forRun(Path.of(a.get("--run")));
            if (a.containsKey("--features")) {
                s.features(a.get("--features").split(","));
            }
            if (a.containsKey("--backend")) {
                s.backend(a.get("--backend"));
            }
            if (a.containsKey("--score")) {
                s.score(a.get("--score"));
            }
            if (a.containsKey("--threshold")) {
                s.threshold(Double.parseDouble(a.get("--threshold")));
            }
            if (a.containsKey("--batch")) {
                s.batchSize(Integer.parseInt(a.get("--batch")));
            }
            long t0 = System.nanoTime();
            Dataset<Row> out = a.containsKey("--embed") ? s.embed(in) : s.score(in);
            out.write().mode(SaveMode.ErrorIfExists).parquet(a.get("--output"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long rows = spark.read().parquet(a.get("--output")).count();
            System.out.printf(Locale.ROOT, "wrote %s (%d rows in %.2f s, %.0f rows/s)%n",
                    a.get("--output"), rows, seconds, rows / seconds);
        } finally {
            spark.stop();
        }
    }

    private static Map<String, String> parse(String[] args) {
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
            if (k.equals("--embed")) {
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
        for (String k : List.of("--run", "--input", "--output")) {
            if (!a.containsKey(k)) {
                throw new IllegalArgumentException(k + " is required (usage: --run DIR --input"
                        + " PATH --output PATH [--features a,b,c] [--backend NAME] [--embed])");
            }
        }
        return a;
    }
}
