package org.vae4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.anomaly.Threshold;
import org.vae4j.data.Batch;
import org.vae4j.model.Encoder;
import org.vae4j.model.Model;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * Scores or embeds the rows of a Spark DataFrame with a run's model, partition by partition in
 * batches. The run's weights (and threshold) are read once on the driver and broadcast; each
 * executor JVM loads the model once per task slot and keeps it for later partitions.
 *
 * <p>The features are either one array column (of numbers) or a list of numeric columns, in
 * the order the model was trained on; their count must be the model's input size. Every other
 * column is passed through. Scoring adds {@code score} (float) and, when the run has a
 * threshold or one is given, {@code flagged} (boolean); embedding adds {@code z}
 * (array of float, the encoder's mean).
 *
 * <pre>{@code
 * Dataset<Row> scored = SparkScorer.forRun(Path.of("runs/ae-1"))
 *         .features("f0", "f1", "f2")
 *         .score(spark.read().parquet("transactions.parquet"));
 * }</pre>
 */
public final class SparkScorer {
    /** Rows per batch handed to the model. */
    public static final int DEFAULT_BATCH = 500;

    private final Path run;
    private List<String> columns = List.of("features");
    private String backend;
    private String score;
    private Double threshold;
    private Integer samples;
    private long seed = 1;
    private int batchSize = DEFAULT_BATCH;

    private SparkScorer(Path run) {
        this.run = run;
    }

    /** A scorer for the run folder {@code run} (read on the driver). */
    public static SparkScorer forRun(Path run) {
        return new SparkScorer(run);
    }

    /** The feature columns: one array column, or numeric columns in the model's order. */
    public SparkScorer features(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("give at least one feature column");
        }
        this.columns = List.of(names);
        return this;
    }

    /** The backend the executors use (default: each executor's default choice). */
    public SparkScorer backend(String name) {
        this.backend = name;
        return this;
    }

    /** The score name (default: the run's calibrated score, else the model's first). */
    public SparkScorer score(String name) {
        this.score = name;
        return this;
    }

    /** Flags rows scoring above {@code value} (overrides the run's threshold). */
    public SparkScorer threshold(double value) {
        this.threshold = value;
        return this;
    }

    /** Draws of z per row for stochastic scores. */
    public SparkScorer samples(int k) {
        this.samples = k;
        return this;
    }

    /** The seed of stochastic scores' draws. */
    public SparkScorer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Rows per model batch, at least 1. */
    public SparkScorer batchSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + rows);
        }
        this.batchSize = rows;
        return this;
    }

    /** {@code df} with a {@code score} column and, with a threshold, a {@code flagged} one. */
    public Dataset<Row> score(Dataset<Row> df) throws IOException {
        Plan plan = plan(df);
        boolean flags = plan.flagAbove != null;
        StructType out = df.schema().add("score", DataTypes.FloatType, false);
        if (flags) {
            out = out.add("flagged", DataTypes.BooleanType, false);
        }
        Job job = new Job(plan.payload, backend, plan.score, plan.samples, seed, plan.flagAbove,
                batchSize, plan.indices, plan.arrayColumn, plan.width, false);
        return df.mapPartitions(job, Encoders.row(out));
    }

    /** {@code df} with a {@code z} column: the latent code (the encoder's mean) of each row. */
    public Dataset<Row> embed(Dataset<Row> df) throws IOException {
        Plan plan = plan(df);
        if (!plan.encodes) {
            throw new IllegalArgumentException("the model of " + run + " (" + plan.type
                    + ") has no encoder, so it gives no latent code");
        }
        StructType out = df.schema().add("z",
                DataTypes.createArrayType(DataTypes.FloatType, false), false);
        Job job = new Job(plan.payload, backend, plan.score, plan.samples, seed, plan.flagAbove,
                batchSize, plan.indices, plan.arrayColumn, plan.width, true);
        return df.mapPartitions(job, Encoders.row(out));
    }

    private record Plan(RunPayload payload, int[] indices, boolean arrayColumn, int width,
            String score, int samples, Double flagAbove, boolean encodes, String type) {
    }

    /** Checks the run and the DataFrame on the driver, before any task runs. */
    private Plan plan(Dataset<Row> df) throws IOException {
        RunPayload payload = RunPayload.read(run);
        StructType schema = df.schema();
        int[] idx = new int[columns.size()];
        for (int i = 0; i < idx.length; i++) {
            String c = columns.get(i);
            if (!Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("the DataFrame has no column '" + c
                        + "' (it has " + String.join(", ", schema.fieldNames()) + ")");
            }
            idx[i] = schema.fieldIndex(c);
        }
        boolean array = idx.length == 1 && schema.fields()[idx[0]].dataType() instanceof ArrayType;
        if (array) {
            DataType e = ((ArrayType) schema.fields()[idx[0]].dataType()).elementType();
            if (!(e instanceof NumericType)) {
                throw new IllegalArgumentException("the feature column '" + columns.get(0)
                        + "' is an array of " + e.simpleString() + "; expected an array of numbers");
            }
        } else {
            for (int i = 0; i < idx.length; i++) {
                StructField f = schema.fields()[idx[i]];
                if (!(f.dataType() instanceof NumericType)) {
                    throw new IllegalArgumentException("the feature column '" + f.name()
                            + "' is " + f.dataType().simpleString()
                            + "; expected a number (or one array column of numbers)");
                }
            }
        }
        for (String added : List.of("score", "flagged", "z")) {
            if (Arrays.asList(schema.fieldNames()).contains(added)) {
                throw new IllegalArgumentException("the DataFrame already has a column '"
                        + added + "'; rename it first");
            }
        }
        Backend b = backend == null ? Backends.select() : Backends.select(backend);
        Path local = payload.materialise(java.nio.file.Files.createTempDirectory("vae4j-run-"));
        try (AnomalyDetector d = AnomalyDetector.fromRun(local, b)) {
            Model m = d.model();
            int width = m.inputSize();
            if (!array && idx.length != width) {
                throw new IllegalArgumentException("the model of " + run + " takes " + width
                        + " features per row; got " + idx.length + " columns ("
                        + String.join(", ", columns) + ")");
            }
            if (score != null) {
                d.score(score);
            }
            if (samples != null) {
                d.samples(samples);
            }
            if (df.isEmpty()) {
                throw new IllegalArgumentException("the DataFrame is empty; nothing to score");
            }
            if (threshold != null) {
                d.threshold(threshold);
            }
            return new Plan(payload, idx, array, width, d.scoreName(), d.samples(),
                    d.hasThreshold() ? d.threshold().value() : null, m instanceof Encoder,
                    m.typeName());
        } finally {
            try (var files = java.nio.file.Files.list(local)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(local);
        }
    }

    /** The per-partition work, run on the executors. */
    private static final class Job implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<RunPayload> payload;
        private final String backend;
        private final String score;
        private final int samples;
        private final long seed;
        private final Double threshold;
        private final int batch;
        private final int[] idx;
        private final boolean array;
        private final int width;
        private final boolean embed;

        Job(RunPayload payload, String backend, String score, int samples, long seed,
                Double threshold, int batch, int[] idx, boolean array, int width, boolean embed) {
            SparkSession s = SparkSession.active();
            this.payload = s.sparkContext().broadcast(payload,
                    scala.reflect.ClassTag$.MODULE$.apply(RunPayload.class));
            this.backend = backend;
            this.score = score;
            this.samples = samples;
            this.seed = seed;
            this.threshold = threshold;
            this.batch = batch;
            this.idx = idx;
            this.array = array;
            this.width = width;
            this.embed = embed;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            RunPayload p = payload.value();
            AnomalyDetector d = ExecutorModels.borrow(p, backend);
            List<Row> out = new ArrayList<>();
            try {
                d.score(score).samples(samples).seed(seed);
                List<Row> pending = new ArrayList<>(batch);
                while (rows.hasNext()) {
                    pending.add(rows.next());
                    if (pending.size() == batch || !rows.hasNext()) {
                        emit(d, pending, out);
                        pending.clear();
                    }
                }
            } finally {
                ExecutorModels.giveBack(p, backend, d);
            }
            return out.iterator();
        }

        private void emit(AnomalyDetector d, List<Row> pending, List<Row> out) {
            int n = pending.size();
            float[] x = new float[n * width];
            for (int i = 0; i < n; i++) {
                features(pending.get(i), x, i * width);
            }
            Model m = d.model();
            Shape shape = m.inputShape();
            int[] dims = new int[shape.dims().length + 1];
            dims[0] = n;
            System.arraycopy(shape.dims(), 0, dims, 1, shape.dims().length);
            if (embed) {
                float[] z;
                int k;
                try (TensorScope scope = m.backend().newScope()) {
                    Tensor t = ((Encoder) m).encode(new Batch(m.backend().fromArray(x,
                            Shape.of(dims))));
                    z = t.toArray();
                    k = z.length / n;
                }
                for (int i = 0; i < n; i++) {
                    out.add(append(pending.get(i), (Object) Arrays.copyOfRange(z, i * k,
                            (i + 1) * k)));
                }
                return;
            }
            float[] s;
            try (TensorScope scope = m.backend().newScope()) {
                s = d.score(new Batch(m.backend().fromArray(x, Shape.of(dims))));
            }
            Threshold flag = threshold == null ? null
                    : new Threshold(score, threshold, 0, 0, "", samples);
            for (int i = 0; i < n; i++) {
                out.add(flag != null
                        ? append(pending.get(i), s[i], flag.flags(s[i]))
                        : append(pending.get(i), s[i]));
            }
        }

        private void features(Row r, float[] x, int at) {
            if (array) {
                List<Object> v = r.getList(idx[0]);
                if (v == null || v.size() != width) {
                    throw new IllegalArgumentException("a row's feature array has "
                            + (v == null ? "no value" : v.size() + " values")
                            + "; the model takes " + width);
                }
                for (int j = 0; j < width; j++) {
                    x[at + j] = number(v.get(j));
                }
            } else {
                for (int j = 0; j < width; j++) {
                    x[at + j] = number(r.get(idx[j]));
                }
            }
        }

        private static float number(Object o) {
            if (o == null) {
                throw new IllegalArgumentException("a row has a missing (null) feature value;"
                        + " fill or drop missing values first");
            }
            return ((Number) o).floatValue();
        }

        private static Row append(Row r, Object... extra) {
            Object[] v = new Object[r.length() + extra.length];
            for (int i = 0; i < r.length(); i++) {
                v[i] = r.get(i);
            }
            System.arraycopy(extra, 0, v, r.length(), extra.length);
            return RowFactory.create(v);
        }
    }
}
