package org.vae4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a CSV ({@code .csv}, comma) or TSV ({@code .tsv}, tab) table with a header row, through
 * Apache Commons CSV, as a data set of one row per record. Each column's kind is inferred
 * ({@link TableSchema.Kind}): all numbers is numeric, unless the numbers are only 0 and 1
 * (binary); words are binary when there are two of them, else categorical, one-hot encoded in
 * sorted order. Numeric values are kept as they are. An optional label column (by name) gives
 * the labels, its distinct values in sorted order (numerically when all are numbers) being the
 * classes. Ragged rows, missing values (empty, NA, N/A, NaN, null, ?) and text among numbers
 * are errors naming the row and column.
 */
public final class CsvReader {

    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "?");

    /** A table read as data: the data set and the schema that encoded it. */
    public record Table(Dataset data, TableSchema schema) {
    }

    private CsvReader() {
    }

    /** Reads {@code file}, inferring its columns; {@code labelColumn} may be null. */
    public static Table read(Path file, String labelColumn) throws IOException {
        Raw p = parse(file);
        List<String> header = p.header;
        int labelIndex = -1;
        if (labelColumn != null) {
            labelIndex = header.indexOf(labelColumn);
            if (labelIndex < 0) {
                throw new DataFileException(file, "has no column '" + labelColumn
                        + "' for the labels; its columns are " + header);
            }
        }
        List<TableSchema.Column> columns = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c != labelIndex) {
                columns.add(infer(file, p, c));
            }
        }
        if (columns.isEmpty()) {
            throw new DataFileException(file, "has only the label column " + labelColumn
                    + "; expected at least one feature column");
        }
        List<String> classes = labelIndex < 0 ? List.of() : classes(p, labelIndex);
        TableSchema schema = new TableSchema(columns, labelColumn, classes);
        return new Table(encode(file, p, schema), schema);
    }

    /**
     * Reads {@code file} with a schema saved from another table: the same columns must be
     * there, and values outside the schema (an unseen category) are errors.
     */
    public static Table readWith(Path file, TableSchema schema) throws IOException {
        return new Table(encode(file, parse(file), schema), schema);
    }

    /**
     * A parsed table before any encoding: the header and each record as trimmed strings (missing
     * values kept as they are), with each record's line, for {@link Preprocessing} to fit on and
     * apply to.
     */
    public record Raw(Path file, List<String> header, List<String[]> rows, List<Long> lines) {

        /** "row R (line L), column 'C'", as errors name a cell. */
        public String where(int row, int column) {
            return CsvRecords.where(row, lines.get(row), header, column);
        }

        /** The value in record {@code row}, column {@code column}. */
        public String value(int row, int column) {
            return rows.get(row)[column];
        }
    }

    /**
     * Parses {@code file} (header, ragged rows and at least two records checked) without
     * refusing missing values, which the caller's {@code --missing} policy handles.
     */
    public static Raw readRaw(Path file) throws IOException {
        return parseKeepingMissing(file);
    }

    /** Whether {@code v} is one of the spellings of a missing value (empty, NA, NaN, ?, ...). */
    public static boolean isMissingValue(String v) {
        return isMissing(v);
    }

    /** {@code v} as a finite number, or null. */
    static Double numberOrNull(String v) {
        return number(v);
    }

    private static Raw parse(Path file) throws IOException {
        Raw p = parseKeepingMissing(file);
        for (int r = 0; r < p.rows().size(); r++) {
            for (int c = 0; c < p.header().size(); c++) {
                if (isMissing(p.rows().get(r)[c])) {
                    throw new DataFileException(file, where(p, r, c) + " is missing ('"
                            + p.rows().get(r)[c] + "'); expected a value in every row and column");
                }
            }
        }
        return p;
    }

    private static Raw parseKeepingMissing(Path file) throws IOException {
        List<String> header = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        CsvRecords.read(file, header::addAll, (row, line, values) -> {
            rows.add(values);
            lines.add(line);
        });
        DataChecks.enoughRows(file, rows.size(), "rows");
        return new Raw(file, List.copyOf(header), rows, lines);
    }

    private static String where(Raw p, int row, int column) {
        return p.where(row, column);
    }

    private static boolean isMissing(String v) {
        return MISSING.contains(v.toLowerCase(Locale.ROOT));
    }

    private static Double number(String v) {
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static TableSchema.Column infer(Path file, Raw p, int c) throws IOException {
        return inferColumn(p, c, null);
    }

    /**
     * Infers column {@code c}'s kind from the records {@code rows} (all when null), skipping
     * missing values, as {@link Preprocessing#fitTable} does ({@link ColumnFit}).
     */
    static TableSchema.Column inferColumn(Raw p, int c, int[] rows) throws IOException {
        ColumnFit fit = new ColumnFit(p.file, p.header, c, null);
        int n = rows == null ? p.rows.size() : rows.length;
        for (int k = 0; k < n; k++) {
            int r = rows == null ? k : rows[k];
            fit.add(r, p.lines.get(r), p.rows.get(r)[c]);
        }
        return fit.resolve();
    }

    private static List<String> classes(Raw p, int c) {
        Set<String> distinct = new HashSet<>();
        boolean allNumbers = true;
        for (String[] row : p.rows) {
            distinct.add(row[c]);
            allNumbers &= number(row[c]) != null;
        }
        List<String> sorted = new ArrayList<>(distinct);
        sorted.sort(allNumbers ? Comparator.comparingDouble(Double::parseDouble)
                : Comparator.naturalOrder());
        return sorted;
    }

    private static Dataset encode(Path file, Raw p, TableSchema schema) throws IOException {
        int[] index = new int[schema.columns().size()];
        for (int i = 0; i < index.length; i++) {
            String name = schema.columns().get(i).name();
            index[i] = p.header.indexOf(name);
            if (index[i] < 0) {
                throw new DataFileException(file, "has no column '" + name + "', which the"
                        + " schema expects; its columns are " + p.header);
            }
        }
        int labelIndex = -1;
        Map<String, Integer> labelIds = new HashMap<>();
        if (schema.labelColumn() != null) {
            labelIndex = p.header.indexOf(schema.labelColumn());
            if (labelIndex < 0) {
                throw new DataFileException(file, "has no column '" + schema.labelColumn()
                        + "' for the labels; its columns are " + p.header);
            }
            for (int k = 0; k < schema.labelClasses().size(); k++) {
                labelIds.put(schema.labelClasses().get(k), k);
            }
        }
        int width = schema.width();
        int rows = p.rows.size();
        float[] values = new float[Math.multiplyExact(rows, width)];
        int[] labels = labelIndex < 0 ? null : new int[rows];
        List<Map<String, Integer>> positions = new ArrayList<>();
        for (TableSchema.Column col : schema.columns()) {
            Map<String, Integer> m = new HashMap<>();
            for (int k = 0; k < col.categories().size(); k++) {
                m.put(col.categories().get(k), k);
            }
            positions.add(m);
        }
        for (int r = 0; r < rows; r++) {
            String[] row = p.rows.get(r);
            int at = r * width;
            for (int i = 0; i < index.length; i++) {
                TableSchema.Column col = schema.columns().get(i);
                String v = row[index[i]];
                switch (col.kind()) {
                    case NUMERIC -> {
                        Double d = number(v);
                        if (d == null) {
                            throw new DataFileException(file, where(p, r, index[i]) + ": '" + v
                                    + "' is not a number; expected a number (numeric column)");
                        }
                        values[at] = d.floatValue();
                    }
                    case BINARY -> {
                        Integer k = positions.get(i).get(v);
                        Double d = number(v);
                        if (k == null && col.categories().equals(List.of("0", "1")) && d != null
                                && (d == 0.0 || d == 1.0)) {
                            k = d.intValue();
                        }
                        if (k == null) {
                            throw new DataFileException(file, where(p, r, index[i]) + ": '" + v
                                    + "' is neither of the binary column's values "
                                    + col.categories());
                        }
                        values[at] = k;
                    }
                    case CATEGORICAL -> {
                        Integer k = positions.get(i).get(v);
                        if (k == null) {
                            throw new DataFileException(file, where(p, r, index[i]) + ": '" + v
                                    + "' is not one of the column's categories "
                                    + col.categories());
                        }
                        values[at + k] = 1f;
                    }
                    default -> throw new IllegalStateException(col.kind().toString());
                }
                at += col.width();
            }
            if (labels != null) {
                Integer k = labelIds.get(row[labelIndex]);
                if (k == null) {
                    throw new DataFileException(file, where(p, r, labelIndex) + ": label '"
                            + row[labelIndex] + "' is not one of the classes "
                            + schema.labelClasses());
                }
                labels[r] = k;
            }
        }
        String name = file.getFileName().toString().replaceFirst("\\.(csv|tsv)$", "");
        Dataset data = Dataset.create(name, values, width, labels,
                labels == null ? 0 : schema.labelClasses().size());
        return labels == null ? data : data.withClassNames(schema.labelClasses());
    }
}
