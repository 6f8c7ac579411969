package org.vae4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.vae4j.model.Model;
import scala.Tuple2;

/**
 * A training DataFrame as {@code workers} cached shards of contiguous example ranges. Example
 * {@code i} is the DataFrame's row {@code i} in its own order (partition by partition), the
 * numbering the single-machine trainer gives the rows of the same data set; the shuffled order
 * of each epoch and so every batch are then the single-machine trainer's.
 */
final class ShardedData {
    final JavaRDD<TrainingShard> shards;
    final int size;
    final int width;
    final int classes;

    private ShardedData(JavaRDD<TrainingShard> shards, int size, int width, int classes) {
        this.shards = shards;
        this.size = size;
        this.width = width;
        this.classes = classes;
    }

    /**
     * Checks {@code df}'s columns against {@code model} on the driver, then numbers, splits and
     * caches its rows. {@code labels} is the label column of a conditional model, or null.
     */
    static ShardedData of(Dataset<Row> df, List<String> features, String labels, Model model,
            int workers) {
        StructType schema = df.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        for (String c : features) {
            if (!names.contains(c)) {
                throw new IllegalArgumentException("the DataFrame has no column '" + c
                        + "' (it has " + String.join(", ", schema.fieldNames()) + ")");
            }
        }
        int width = model.inputSize();
        boolean array = features.size() == 1
                && schema.apply(features.get(0)).dataType() instanceof ArrayType;
        if (array) {
            DataType e = ((ArrayType) schema.apply(features.get(0)).dataType()).elementType();
            if (!(e instanceof NumericType)) {
                throw new IllegalArgumentException("the feature column '" + features.get(0)
                        + "' is an array of " + e.simpleString()
                        + "; expected an array of numbers");
            }
        } else {
            for (String c : features) {
                StructField f = schema.apply(c);
                if (!(f.dataType() instanceof NumericType)) {
                    throw new IllegalArgumentException("the feature column '" + c + "' is "
                            + f.dataType().simpleString()
                            + "; expected a number (or one array column of numbers)");
                }
            }
            if (features.size() != width) {
                throw new IllegalArgumentException("the " + model.typeName() + " model takes "
                        + width + " features per row; got " + features.size() + " columns ("
                        + String.join(", ", features) + ")");
            }
        }
        if (labels != null) {
            if (!names.contains(labels)) {
                throw new IllegalArgumentException("the DataFrame has no label column '"
                        + labels + "' (it has " + String.join(", ", schema.fieldNames()) + ")");
            }
            DataType t = schema.apply(labels).dataType();
            if (!(t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType)
                    || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType))) {
                throw new IllegalArgumentException("the label column '" + labels + "' is "
                        + t.simpleString() + "; expected an integer class index");
            }
        }
        List<Column> cols = new ArrayList<>();
        features.forEach(c -> cols.add(functions.col(c)));
        if (labels != null) {
            cols.add(functions.col(labels));
        }
        JavaRDD<Row> rows = df.select(cols.toArray(Column[]::new)).javaRDD();
        long n = rows.count();
        if (n == 0) {
            throw new IllegalArgumentException("the DataFrame is empty; nothing to train on");
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the DataFrame has " + n + " rows; training takes"
                    + " at most " + Integer.MAX_VALUE);
        }
        int size = (int) n;
        boolean labelled = labels != null;
        int featureColumns = features.size();
        JavaPairRDD<Long, float[]> numbered = rows.zipWithIndex().mapToPair(t ->
                new Tuple2<>(t._2(), values(t._1(), array, width, featureColumns, labelled)));
        JavaRDD<TrainingShard> shards = numbered
                .partitionBy(new Contiguous(workers, size))
                .mapPartitionsWithIndex((p, it) -> shard(p, it, width, labelled), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        int classes = 0;
        try {
            if (labelled) {
                int[] range = shards.map(ShardedData::labelRange).reduce((a, b) ->
                        new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                if (range[0] < 0) {
                    throw new IllegalArgumentException("the label column '" + labels
                            + "' has the negative value " + range[0]
                            + "; labels are class indices 0..K-1");
                }
                classes = range[1] + 1;
            } else {
                shards.count();
            }
        } catch (Exception e) {
            // a bad row fails its task: Spark's checked exception, with the row's error inside
            shards.unpersist(false);
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            String m = String.valueOf(e.getMessage());
            int at = m.indexOf("IllegalArgumentException: ");
            throw new IllegalArgumentException("cannot read the training rows: "
                    + (at >= 0 ? m.substring(at + 26).split("\n")[0] : m.split("\n")[0]), e);
        }
        return new ShardedData(shards, size, width, classes);
    }

    /** Frees the cached shards. */
    void release() {
        shards.unpersist(false);
    }

    /** One row's features, then its label when labelled. */
    private static float[] values(Row r, boolean array, int width, int columns,
            boolean labelled) {
        float[] v = new float[width + (labelled ? 1 : 0)];
        if (array) {
            List<Object> a = r.getList(0);
            if (a == null || a.size() != width) {
                throw new IllegalArgumentException("a row's feature array has "
                        + (a == null ? "no value" : a.size() + " values") + "; the model takes "
                        + width);
            }
            for (int j = 0; j < width; j++) {
                v[j] = number(a.get(j));
            }
        } else {
            for (int j = 0; j < width; j++) {
                v[j] = number(r.get(j));
            }
        }
        if (labelled) {
            Object label = r.get(array ? 1 : columns);
            if (label == null) {
                throw new IllegalArgumentException("a row has a missing (null) label");
            }
            long l = ((Number) label).longValue();
            if (l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a row has the label " + l
                        + "; labels are class indices 0..K-1");
            }
            v[width] = Float.intBitsToFloat((int) l);
        }
        return v;
    }

    private static float number(Object o) {
        if (o == null) {
            throw new IllegalArgumentException("a row has a missing (null) feature value;"
                    + " fill or drop missing values first");
        }
        return ((Number) o).floatValue();
    }

    private static Iterator<TrainingShard> shard(int partition,
            Iterator<Tuple2<Long, float[]>> rows, int width, boolean labelled) {
        List<Tuple2<Long, float[]>> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        all.sort((a, b) -> Long.compare(a._1(), b._1()));
        int[] indices = new int[all.size()];
        float[] x = new float[all.size() * width];
        int[] y = labelled ? new int[all.size()] : null;
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (int) (long) all.get(i)._1();
            float[] v = all.get(i)._2();
            System.arraycopy(v, 0, x, i * width, width);
            if (labelled) {
                y[i] = Float.floatToRawIntBits(v[width]);
            }
        }
        return List.of(new TrainingShard(partition, width, indices, x, y)).iterator();
    }

    private static int[] labelRange(TrainingShard s) {
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        if (s.labels != null) {
            for (int l : s.labels) {
                lo = Math.min(lo, l);
                hi = Math.max(hi, l);
            }
        }
        return new int[] {lo, hi};
    }

    /** Example {@code i} of {@code n} goes to partition {@code i * parts / n}. */
    private static final class Contiguous extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int parts;
        private final long n;

        Contiguous(int parts, long n) {
            this.parts = parts;
            this.n = n;
        }

        @Override
        public int numPartitions() {
            return parts;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((Long) key * parts / n);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Contiguous c && c.parts == parts && c.n == n;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(n) * 31 + parts;
        }
    }
}
