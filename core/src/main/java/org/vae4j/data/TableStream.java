package org.vae4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A CSV/TSV table read without holding its records: the file is streamed
 * ({@link CsvRecords}) once per pass, and only the encoded rows are kept, on the heap or, when
 * they would take more than a quarter of it ({@link NpyReader.Loading#AUTO}, as for a
 * {@code .npy} file), in a float32 file read memory-mapped a batch at a time.
 *
 * <ol>
 *   <li>Pass 1 checks every record (the header, ragged rows, the parser's errors), counts them,
 *       marks the complete ones under {@code --missing drop} and gathers the label classes; the
 *       seeded split is drawn over the count of usable rows.</li>
 *   <li>Pass 2 (unless a run's preprocessing is given) fits the preprocessing on the training
 *       records only ({@link TableFit}, the same accumulator as the in-memory fit).</li>
 *   <li>Pass 3 encodes every usable record ({@link TableEncoder}) in file order; the training
 *       and test sets are the split's rows of it ({@link Dataset#select}).</li>
 * </ol>
 *
 * <p>The results equal those of {@link CsvReader#readRaw} with {@link Preprocessing#fitTable}
 * and {@link Preprocessing#apply(CsvReader.Raw, int[])} bit for bit, errors included (an error
 * in a training record is reported before one in a test record, as the in-memory path encodes
 * the training rows first). The encoded file is made in {@code java.io.tmpdir}
 * ({@code vae4j-table-*.f32}) and deleted as soon as it is mapped: the mapping keeps its pages
 * readable, and the system frees the space when the mapping is collected or the JVM exits, so a
 * run that is killed leaves nothing behind.
 */
public final class TableStream {

    /**
     * A table read for training: the training and test sets (test null when there was nothing to
     * split), the preprocessing fitted on the training records (or the one given) and the split.
     */
    public record Table(Dataset train, Dataset test, Preprocessing preprocessing, Split split) {
    }

    private static final int WRITE_BUFFER_BYTES = 1 << 20;

    private TableStream() {
    }

    /**
     * Reads {@code file} as training data: records with a value in every used column under
     * {@code missing} (at least two), split by {@code split} (given the count of usable rows;
     * null: all are training rows), preprocessed with {@code stored} or else with a
     * preprocessing fitted on the training rows ({@code labelColumn}, may be null;
     * {@code types} overriding inferred column kinds). With {@code stored}, its label column
     * and missing-value policy are used.
     */
    public static Table load(Path file, String labelColumn,
            Map<String, Preprocessing.ColumnType> types, Preprocessing.Missing missing,
            Preprocessing stored, IntFunction<Split> split, NpyReader.Loading loading)
            throws IOException {
        if (stored != null) {
            labelColumn = stored.schema().labelColumn();
            missing = stored.missing();
        }
        Usable usable = passOne(file, missing, labelColumn, types, stored);
        if (usable.count < DataChecks.MIN_ROWS) {
            throw new DataFileException(file, usable.count + " of its " + usable.records
                    + " rows are complete (--missing drop); expected at least 2 (one to train on"
                    + " and one to evaluate)");
        }
        Split s = split == null ? null : split.apply(usable.count);
        BitSet training = new BitSet(usable.count);
        if (s == null) {
            training.set(0, usable.count);
        } else {
            for (int k : s.train()) {
                training.set(k);
            }
        }
        Preprocessing prep = stored != null ? stored : fit(file, usable, training);
        Dataset all = encode(file, prep, usable, training, loading);
        if (s == null) {
            return new Table(all, null, prep, null);
        }
        return new Table(all.select(s.train()), all.select(s.test()), prep, s);
    }

    /**
     * Applies a run's preprocessing to every record of {@code file} (under
     * {@link Preprocessing.Missing#DROP}, those with a value in each of the run's columns and
     * its label column), onto the heap or memory-mapped as {@code loading} says.
     */
    public static Dataset apply(Path file, Preprocessing prep, NpyReader.Loading loading)
            throws IOException {
        Usable usable = passOne(file, prep.missing(), prep.schema().labelColumn(), null, prep);
        BitSet all = new BitSet(usable.count);
        all.set(0, usable.count);
        return encode(file, prep, usable, all, loading);
    }

    /** The records pass 1 found: how many, which are usable, and the fit begun on the header. */
    private static final class Usable {
        int records;
        int count;
        BitSet rows;
        List<String> header;
        TableFit fit;
    }

    private static Usable passOne(Path file, Preprocessing.Missing missing, String labelColumn,
            Map<String, Preprocessing.ColumnType> types, Preprocessing stored)
            throws IOException {
        Usable u = new Usable();
        u.rows = new BitSet();
        boolean[][] used = new boolean[1][];
        u.records = CsvRecords.read(file, header -> {
            u.header = header;
            if (stored == null) {
                u.fit = new TableFit(file, header, labelColumn, types, missing);
            } else {
                new TableEncoder(stored, file, header);
            }
            if (missing == Preprocessing.Missing.DROP) {
                used[0] = types != null ? Preprocessing.usedColumns(header, labelColumn, types)
                        : schemaColumns(header, stored.schema());
            }
        }, (row, line, values) -> {
            if (used[0] == null || Preprocessing.complete(values, used[0])) {
                u.rows.set(row);
                u.count++;
            }
            if (u.fit != null) {
                u.fit.addLabel(values);
            }
        });
        DataChecks.enoughRows(file, u.records, "rows");
        return u;
    }

    /** The columns of {@code header} that {@code schema} encodes, and its label column. */
    private static boolean[] schemaColumns(List<String> header, TableSchema schema) {
        Set<String> names = new HashSet<>();
        schema.columns().forEach(c -> names.add(c.name()));
        if (schema.labelColumn() != null) {
            names.add(schema.labelColumn());
        }
        boolean[] used = new boolean[header.size()];
        for (int c = 0; c < used.length; c++) {
            used[c] = names.contains(header.get(c));
        }
        return used;
    }

    private static Preprocessing fit(Path file, Usable usable, BitSet training)
            throws IOException {
        int[] next = {0};
        CsvRecords.read(file, header -> { }, (row, line, values) -> {
            if (usable.rows.get(row)) {
                if (training.get(next[0])) {
                    usable.fit.addTrainingRecord(row, line, values);
                }
                next[0]++;
            }
        });
        return usable.fit.result();
    }

    /** Where pass 3 puts the encoded rows: a heap array, or a float32 file. */
    private interface Sink extends AutoCloseable {
        void put(int k, float[] row) throws IOException;

        Rows finish() throws IOException;

        @Override
        void close() throws IOException;
    }

    private static Dataset encode(Path file, Preprocessing prep, Usable usable, BitSet training,
            NpyReader.Loading loading) throws IOException {
        TableEncoder encoder = new TableEncoder(prep, file, usable.header);
        int width = encoder.width();
        int n = usable.count;
        long floatBytes = (long) n * width * 4;
        boolean map = n > 0 && (loading == NpyReader.Loading.MAP
                || loading == NpyReader.Loading.AUTO
                && floatBytes > Runtime.getRuntime().maxMemory() / 4);
        int[] labels = encoder.labelled() ? new int[n] : null;
        float[] row = new float[width];
        DataFileException[] deferred = new DataFileException[1];
        int[] next = {0};
        try (Sink sink = map ? new FileSink(file, n, width) : new HeapSink(n, width)) {
            CsvRecords.read(file, header -> { }, (r, line, values) -> {
                if (!usable.rows.get(r)) {
                    return;
                }
                int k = next[0]++;
                try {
                    int label = encoder.encode(r, line, values, row, 0);
                    if (labels != null) {
                        labels[k] = label;
                    }
                    sink.put(k, row);
                } catch (DataFileException e) {
                    if (training.get(k)) {
                        throw e;
                    }
                    if (deferred[0] == null) {
                        deferred[0] = e;
                    }
                }
            });
            if (deferred[0] != null) {
                throw deferred[0];
            }
            Rows rows = sink.finish();
            TableSchema schema = prep.schema();
            int classes = labels == null ? 0 : schema.labelClasses().size();
            Dataset data = rows instanceof MappedRows m
                    ? Dataset.mapped(name(file), m, width, labels, classes)
                    : Dataset.create(name(file), ((Rows.OnHeap) rows).values(), width, labels,
                            classes);
            return named(file, schema, data);
        }
    }

    /** A table's data set with its label classes' names. */
    static Dataset named(Path file, TableSchema schema, Dataset data) {
        return data.hasLabels() ? data.withClassNames(schema.labelClasses()) : data;
    }

    /** The data set name of a table file: its file name without {@code .csv} / {@code .tsv}. */
    static String name(Path file) {
        return file.getFileName().toString().replaceFirst("\\.(csv|tsv)$", "");
    }

    private static final class HeapSink implements Sink {
        private final float[] values;
        private final int width;

        HeapSink(int rows, int width) {
            this.values = new float[Math.multiplyExact(rows, width)];
            this.width = width;
        }

        @Override
        public void put(int k, float[] row) {
            System.arraycopy(row, 0, values, k * width, width);
        }

        @Override
        public Rows finish() {
            return new Rows.OnHeap(values);
        }

        @Override
        public void close() {
        }
    }

    /** Rows written little-endian to a temporary file, then mapped and the file deleted. */
    private static final class FileSink implements Sink {
        private final Path source;
        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer buffer;
        private final long rows;
        private final int width;

        FileSink(Path source, long rows, int width) throws IOException {
            this.source = source;
            this.rows = rows;
            this.width = width;
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            this.file = Files.createTempFile(dir, "vae4j-table-", ".f32");
            file.toFile().deleteOnExit();
            this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
            this.buffer = ByteBuffer.allocateDirect(Math.max(WRITE_BUFFER_BYTES, 4 * width))
                    .order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void put(int k, float[] row) throws IOException {
            if (buffer.remaining() < 4 * row.length) {
                flush();
            }
            buffer.asFloatBuffer().put(row);
            buffer.position(buffer.position() + 4 * row.length);
        }

        private void flush() throws IOException {
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw new DataFileException(file, "cannot write the encoded rows of " + source
                        + " (" + e.getMessage() + "); expected " + rows * width * 4L
                        + " bytes of free space in java.io.tmpdir (-Djava.io.tmpdir=DIR moves"
                        + " it)", e);
            }
            buffer.clear();
        }

        @Override
        public Rows finish() throws IOException {
            flush();
            channel.close();
            MappedRows mapped = new MappedRows(file, 0, "<f4", rows, width);
            Files.deleteIfExists(file);
            return mapped;
        }

        @Override
        public void close() throws IOException {
            channel.close();
            Files.deleteIfExists(file);
        }
    }
}
