package org.vae4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.vae4j.tensor.Shape;

/**
 * The preprocessing a run was trained with, fitted on its training split only and saved in the
 * run ({@code preprocessing.json}), so that evaluation, scoring and serving apply exactly what
 * training applied and never refit:
 *
 * <ul>
 *   <li>images and arrays: the example shape and the pixel scaling the reader applied
 *       (uint8 / 255 into [0, 1]); {@link #apply(Dataset)} checks the shape;</li>
 *   <li>tables: the {@link TableSchema} (column kinds, the categories seen in training), the
 *       training mean and standard deviation of each numeric column (standardised to
 *       {@code (x − mean) / std}; a constant column keeps std 1, noted in {@link #notes()}), and
 *       the {@link Missing} policy with its fill values (training mean, or training mode for
 *       binary and categorical columns). {@link #apply(Path)} reads another table with it; a
 *       category not seen in training, a missing column or a missing value (policy
 *       {@code error}) is a {@link DataFileException} naming the file, row, column and value.</li>
 * </ul>
 *
 * <p>Use: {@code Preprocessing.load(run.resolve(Preprocessing.FILE)).apply(csv)}.
 */
public final class Preprocessing {

    /** The file name in a run folder. */
    public static final String FILE = "preprocessing.json";

    static final String FORMAT = "vae4j-preprocessing";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do with a missing value in a table (empty, NA, N/A, NaN, null, ?). */
    public enum Missing {
        /** Refuse the table, naming the row and column. */
        ERROR,
        /** Leave out every row with a missing value (in a feature or the label column). */
        DROP,
        /** Fill numeric columns with the training mean, others with the training mode. */
        MEAN;

        /** {@code error}, {@code drop} or {@code mean}; anything else is an error. */
        public static Missing parse(String text) {
            for (Missing m : values()) {
                if (m.name().equalsIgnoreCase(text.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--missing must be error, drop or mean, got '"
                    + text + "'");
        }

        String lowerName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A column type given by the user ({@code --columns name:type}) instead of inferred. */
    public enum ColumnType {
        NUMERIC, BINARY, CATEGORICAL, IGNORE;

        /**
         * Parses {@code name:type,name:type,...}; an unknown type or a malformed pair is an
         * error naming it.
         */
        public static Map<String, ColumnType> parseList(String text) {
            Map<String, ColumnType> types = new LinkedHashMap<>();
            if (text == null || text.isBlank()) {
                return types;
            }
            for (String pair : text.split(",")) {
                int colon = pair.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("--column-types: '" + pair.trim() + "' is not"
                            + " name:type; expected e.g. age:numeric,zip:categorical");
                }
                String name = pair.substring(0, colon).trim();
                String type = pair.substring(colon + 1).trim();
                ColumnType t = Arrays.stream(values())
                        .filter(v -> v.name().equalsIgnoreCase(type)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("--column-types: type '" + type
                                + "' of column '" + name + "' is not one of numeric, binary,"
                                + " categorical, ignore"));
                types.put(name, t);
            }
            return types;
        }
    }

    private final Shape exampleShape;
    private final boolean pixelScaling;
    private final TableSchema schema;
    private final double[] means;
    private final double[] stds;
    private final String[] fills;
    private final Missing missing;
    private final List<String> notes;

    private Preprocessing(Shape exampleShape, boolean pixelScaling, TableSchema schema,
            double[] means, double[] stds, String[] fills, Missing missing, List<String> notes) {
        this.exampleShape = exampleShape;
        this.pixelScaling = pixelScaling;
        this.schema = schema;
        this.means = means;
        this.stds = stds;
        this.fills = fills;
        this.missing = missing;
        this.notes = List.copyOf(notes);
    }

    /**
     * The preprocessing of an image or array data set: its example shape, and whether the
     * reader scaled pixels into [0, 1] (images, uint8 arrays), which is all that was fitted.
     */
    public static Preprocessing forExamples(Dataset train, boolean pixelScaling) {
        return new Preprocessing(train.exampleShape(), pixelScaling, null, null, null, null,
                null, List.of());
    }

    /**
     * The records of {@code raw} a table is made of under {@code missing}: all of them, or for
     * {@link Missing#DROP} those with a value in every used column (features and label).
     */
    public static int[] usableRows(CsvReader.Raw raw, Missing missing, String labelColumn,
            Map<String, ColumnType> types) {
        int n = raw.rows().size();
        if (missing != Missing.DROP) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        List<Integer> used = new ArrayList<>();
        for (int c = 0; c < raw.header().size(); c++) {
            String name = raw.header().get(c);
            if (name.equals(labelColumn) || types.get(name) != ColumnType.IGNORE) {
                used.add(c);
            }
        }
        return java.util.stream.IntStream.range(0, n)
                .filter(r -> used.stream().noneMatch(c -> CsvReader.isMissingValue(
                        raw.value(r, c))))
                .toArray();
    }

    /**
     * Fits a table's preprocessing on the records {@code trainRows} of {@code raw} only: column
     * kinds ({@code types} overriding the inferred ones), categories, means and standard
     * deviations. Label classes come from all records (labels are not features).
     */
    public static Preprocessing fitTable(CsvReader.Raw raw, int[] trainRows, String labelColumn,
            Map<String, ColumnType> types, Missing missing) throws IOException {
        Path file = raw.file();
        List<String> header = raw.header();
        int labelIndex = -1;
        if (labelColumn != null) {
            labelIndex = header.indexOf(labelColumn);
            if (labelIndex < 0) {
                throw new DataFileException(file, "has no column '" + labelColumn
                        + "' for the labels; its columns are " + header);
            }
        }
        for (String name : types.keySet()) {
            if (!header.contains(name)) {
                throw new DataFileException(file, "--column-types names '" + name + "', which is not"
                        + " a column; its columns are " + header);
            }
            if (name.equals(labelColumn)) {
                throw new DataFileException(file, "--column-types gives a type to '" + name
                        + "', the label column; give types to feature columns only");
            }
        }
        List<TableSchema.Column> columns = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c == labelIndex) {
                continue;
            }
            ColumnType t = types.get(header.get(c));
            if (t == ColumnType.IGNORE) {
                continue;
            }
            columns.add(t == null ? CsvReader.inferColumn(raw, c, trainRows)
                    : given(raw, c, trainRows, t));
            indices.add(c);
        }
        if (columns.isEmpty()) {
            throw new DataFileException(file, "has no feature column left (label and ignored"
                    + " columns taken out); expected at least one");
        }
        List<String> classes = labelIndex < 0 ? List.of() : labelClasses(raw, labelIndex);
        TableSchema schema = new TableSchema(columns, labelColumn, classes);
        int k = columns.size();
        double[] means = new double[k];
        double[] stds = new double[k];
        String[] fills = new String[k];
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            TableSchema.Column col = columns.get(i);
            int c = indices.get(i);
            if (col.kind() == TableSchema.Kind.NUMERIC) {
                double sum = 0;
                int count = 0;
                for (int r : trainRows) {
                    Double d = numeric(raw, r, c);
                    if (d != null) {
                        sum += d;
                        count++;
                    }
                }
                double mean = count == 0 ? 0 : sum / count;
                double squares = 0;
                for (int r : trainRows) {
                    Double d = numeric(raw, r, c);
                    if (d != null) {
                        squares += (d - mean) * (d - mean);
                    }
                }
                double std = count == 0 ? 0 : Math.sqrt(squares / count);
                if (!(std > 0)) {
                    notes.add("column '" + col.name() + "' is constant (" + mean + ") in the"
                            + " training split: it is centred and its standard deviation taken"
                            + " as 1");
                    std = 1;
                }
                means[i] = mean;
                stds[i] = std;
                fills[i] = Double.toString(mean);
            } else {
                means[i] = Double.NaN;
                stds[i] = Double.NaN;
                fills[i] = mode(raw, c, trainRows, col);
            }
        }
        return new Preprocessing(Shape.of(schema.width()), false, schema, means, stds, fills,
                missing, notes);
    }

    private static TableSchema.Column given(CsvReader.Raw raw, int c, int[] rows, ColumnType t)
            throws IOException {
        String name = raw.header().get(c);
        switch (t) {
            case NUMERIC -> {
                return new TableSchema.Column(name, TableSchema.Kind.NUMERIC, List.of());
            }
            case BINARY -> {
                List<String> values = CsvReader.valuesOf(raw, c, rows);
                boolean zeroOne = values.stream().allMatch(v -> {
                    Double d = CsvReader.numberOrNull(v);
                    return d != null && (d == 0.0 || d == 1.0);
                });
                if (zeroOne) {
                    return new TableSchema.Column(name, TableSchema.Kind.BINARY,
                            List.of("0", "1"));
                }
                if (values.size() != 2) {
                    throw new DataFileException(raw.file(), "--column-types " + name + ":binary, but"
                            + " the column holds " + values.size() + " values in training "
                            + shortList(values) + "; expected two");
                }
                return new TableSchema.Column(name, TableSchema.Kind.BINARY, values);
            }
            case CATEGORICAL -> {
                return new TableSchema.Column(name, TableSchema.Kind.CATEGORICAL,
                        CsvReader.valuesOf(raw, c, rows));
            }
            default -> throw new IllegalStateException(t.toString());
        }
    }

    private static List<String> labelClasses(CsvReader.Raw raw, int c) {
        Set<String> distinct = new LinkedHashSet<>();
        boolean allNumbers = true;
        for (String[] row : raw.rows()) {
            if (!CsvReader.isMissingValue(row[c])) {
                distinct.add(row[c]);
                allNumbers &= CsvReader.numberOrNull(row[c]) != null;
            }
        }
        List<String> sorted = new ArrayList<>(distinct);
        sorted.sort(allNumbers ? Comparator.comparingDouble(Double::parseDouble)
                : Comparator.naturalOrder());
        return sorted;
    }

    private static Double numeric(CsvReader.Raw raw, int r, int c) throws DataFileException {
        String v = raw.value(r, c);
        if (CsvReader.isMissingValue(v)) {
            return null;
        }
        Double d = CsvReader.numberOrNull(v);
        if (d == null) {
            throw new DataFileException(raw.file(), raw.where(r, c) + ": '" + v
                    + "' is not a number; expected a number (numeric column)");
        }
        return d;
    }

    private static String mode(CsvReader.Raw raw, int c, int[] rows, TableSchema.Column col) {
        Map<String, Integer> counts = new HashMap<>();
        for (int r : rows) {
            String v = raw.value(r, c);
            if (!CsvReader.isMissingValue(v)) {
                counts.merge(canonical(col, v), 1, Integer::sum);
            }
        }
        String best = col.categories().get(0);
        int most = -1;
        for (String category : col.categories()) {
            int n = counts.getOrDefault(category, 0);
            if (n > most) {
                best = category;
                most = n;
            }
        }
        return best;
    }

    /** A binary 0/1 column's value as its category ("1.0" is "1"); others as they are. */
    private static String canonical(TableSchema.Column col, String v) {
        if (col.kind() == TableSchema.Kind.BINARY && col.categories().equals(List.of("0", "1"))) {
            Double d = CsvReader.numberOrNull(v);
            if (d != null && (d == 0.0 || d == 1.0)) {
                return d == 0.0 ? "0" : "1";
            }
        }
        return v;
    }

    /** Whether this is a table's preprocessing (else images or arrays). */
    public boolean isTable() {
        return schema != null;
    }

    /** The table's schema (null for images and arrays). */
    public TableSchema schema() {
        return schema;
    }

    /** The shape of one preprocessed example. */
    public Shape exampleShape() {
        return exampleShape;
    }

    /** Whether pixels were scaled into [0, 1] by the reader. */
    public boolean pixelScaling() {
        return pixelScaling;
    }

    /** The missing-value policy (null for images and arrays). */
    public Missing missing() {
        return missing;
    }

    /** The training mean of feature column {@code i} (NaN when not numeric). */
    public double mean(int i) {
        return means[i];
    }

    /** The training standard deviation of column {@code i} (1 when constant, NaN if not numeric). */
    public double std(int i) {
        return stds[i];
    }

    /**
     * The value a missing cell of column {@code i} is filled with: the training mean (numeric)
     * or the training mode (binary, categorical), which is also the mean/mode baseline.
     */
    public String fill(int i) {
        return fills[i];
    }

    /** What the fit decided that a user should know (e.g. constant columns). */
    public List<String> notes() {
        return notes;
    }

    /** Reads {@code file} (a CSV/TSV table) and applies this preprocessing to all its rows. */
    public Dataset apply(Path file) throws IOException {
        requireTable();
        CsvReader.Raw raw = CsvReader.readRaw(file);
        Map<String, ColumnType> none = Map.of();
        int[] rows = missing == Missing.DROP ? usableRows(raw, missing, schema.labelColumn(),
                ignoredExcept(raw)) : usableRows(raw, Missing.ERROR, null, none);
        return apply(raw, rows);
    }

    /** Columns of {@code raw} this preprocessing does not use, as ignored, for dropping rows. */
    private Map<String, ColumnType> ignoredExcept(CsvReader.Raw raw) {
        Set<String> used = new LinkedHashSet<>();
        schema.columns().forEach(c -> used.add(c.name()));
        Map<String, ColumnType> types = new HashMap<>();
        for (String h : raw.header()) {
            if (!used.contains(h) && !h.equals(schema.labelColumn())) {
                types.put(h, ColumnType.IGNORE);
            }
        }
        return types;
    }

    /**
     * Encodes the records {@code rows} of {@code raw}: standardised numbers, 0/1 binaries,
     * one-hot categories, labels as class ids.
     */
    public Dataset apply(CsvReader.Raw raw, int[] rows) throws IOException {
        requireTable();
        Path file = raw.file();
        List<TableSchema.Column> columns = schema.columns();
        int[] index = new int[columns.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = raw.header().indexOf(columns.get(i).name());
            if (index[i] < 0) {
                throw new DataFileException(file, "has no column '" + columns.get(i).name()
                        + "', which the run was trained with; its columns are " + raw.header());
            }
        }
        int labelIndex = -1;
        Map<String, Integer> labelIds = new HashMap<>();
        if (schema.labelColumn() != null) {
            labelIndex = raw.header().indexOf(schema.labelColumn());
            if (labelIndex < 0) {
                throw new DataFileException(file, "has no column '" + schema.labelColumn()
                        + "' for the labels; its columns are " + raw.header());
            }
            for (int k = 0; k < schema.labelClasses().size(); k++) {
                labelIds.put(schema.labelClasses().get(k), k);
            }
        }
        List<Map<String, Integer>> positions = new ArrayList<>();
        for (TableSchema.Column col : columns) {
            Map<String, Integer> m = new HashMap<>();
            for (int k = 0; k < col.categories().size(); k++) {
                m.put(col.categories().get(k), k);
            }
            positions.add(m);
        }
        int width = schema.width();
        float[] values = new float[Math.multiplyExact(rows.length, width)];
        int[] labels = labelIndex < 0 ? null : new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            int r = rows[k];
            int at = k * width;
            for (int i = 0; i < index.length; i++) {
                TableSchema.Column col = columns.get(i);
                String v = raw.value(r, index[i]);
                if (CsvReader.isMissingValue(v)) {
                    if (missing != Missing.MEAN) {
                        throw new DataFileException(file, raw.where(r, index[i])
                                + " is missing ('" + v + "'); expected a value in every row and"
                                + " column, or --missing drop|mean");
                    }
                    v = fills[i];
                }
                switch (col.kind()) {
                    case NUMERIC -> {
                        Double d = CsvReader.numberOrNull(v);
                        if (d == null) {
                            throw new DataFileException(file, raw.where(r, index[i]) + ": '" + v
                                    + "' is not a number; expected a number (numeric column)");
                        }
                        values[at] = (float) ((d - means[i]) / stds[i]);
                    }
                    case BINARY -> {
                        Integer p = positions.get(i).get(canonical(col, v));
                        if (p == null) {
                            throw new DataFileException(file, raw.where(r, index[i])
                                    + ": value '" + v + "' was not seen in training; the binary"
                                    + " column's values are " + col.categories());
                        }
                        values[at] = p;
                    }
                    case CATEGORICAL -> {
                        Integer p = positions.get(i).get(v);
                        if (p == null) {
                            throw new DataFileException(file, raw.where(r, index[i])
                                    + ": category '" + v + "' was not seen in training; the"
                                    + " column's categories are " + shortList(col.categories()));
                        }
                        values[at + p] = 1f;
                    }
                    default -> throw new IllegalStateException(col.kind().toString());
                }
                at += col.width();
            }
            if (labels != null) {
                String v = raw.value(r, labelIndex);
                Integer id = labelIds.get(v);
                if (id == null) {
                    throw new DataFileException(file, raw.where(r, labelIndex) + ": label '" + v
                            + "' is not one of the classes " + shortList(schema.labelClasses()));
                }
                labels[k] = id;
            }
        }
        String name = file.getFileName().toString().replaceFirst("\\.(csv|tsv)$", "");
        Dataset data = Dataset.create(name, values, width, labels,
                labels == null ? 0 : schema.labelClasses().size());
        return labels == null ? data : data.withClassNames(schema.labelClasses());
    }

    /**
     * Checks an image or array data set against the stored example shape (there is nothing to
     * refit: the reader scales pixels); a table is applied with {@link #apply(Path)} instead.
     */
    public Dataset apply(Dataset data) {
        if (isTable()) {
            if (data.features() != exampleShape.size()) {
                throw new IllegalArgumentException("data set " + data.name() + " has "
                        + data.features() + " features per row, but the run's table encodes to "
                        + exampleShape.size());
            }
            return data;
        }
        if (data.exampleShape().size() != exampleShape.size()) {
            throw new IllegalArgumentException("data set " + data.name() + " holds examples of"
                    + " shape " + data.exampleShape() + ", but the run was trained on examples"
                    + " of shape " + exampleShape);
        }
        return data;
    }

    /** A standardised value of numeric column {@code i} back in the column's own units. */
    public double originalUnits(int i, double standardised) {
        return standardised * stds[i] + means[i];
    }

    private void requireTable() {
        if (!isTable()) {
            throw new IllegalStateException("this preprocessing is for examples of shape "
                    + exampleShape + ", not a table");
        }
    }

    private static String shortList(List<String> values) {
        List<String> shown = values.size() <= 8 ? values : values.subList(0, 8);
        return "[" + String.join(", ", shown) + (values.size() > 8 ? ", ... ("
                + values.size() + ")" : "") + "]";
    }

    // ------------------------------------------------------------------------------ JSON

    /** The preprocessing as JSON. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        try {
            if (!isTable()) {
                root.put("kind", pixelScaling ? "pixels" : "values");
                ArrayNode shape = root.putArray("example_shape");
                for (int d = 0; d < exampleShape.rank(); d++) {
                    shape.add(exampleShape.dim(d));
                }
                if (pixelScaling) {
                    root.put("scaling", "uint8 values divided by 255 into [0, 1]");
                }
            } else {
                root.put("kind", "table");
                root.set("schema", JSON.readTree(schema.toJson()));
                root.put("missing", missing.lowerName());
                ArrayNode cols = root.putArray("columns");
                for (int i = 0; i < schema.columns().size(); i++) {
                    ObjectNode n = cols.addObject();
                    n.put("name", schema.columns().get(i).name());
                    if (schema.columns().get(i).kind() == TableSchema.Kind.NUMERIC) {
                        n.put("mean", means[i]);
                        n.put("std", stds[i]);
                    }
                    n.put("fill", fills[i]);
                }
                ArrayNode noteArray = root.putArray("notes");
                notes.forEach(noteArray::add);
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@link #toJson()}'s output; {@code where} names the source in errors. */
    public static Preprocessing fromJson(String text, String where) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new IllegalArgumentException(where + ": not a preprocessing file (expected"
                        + " \"format\": \"" + FORMAT + "\")");
            }
            String kind = root.path("kind").asText();
            if (!kind.equals("table")) {
                List<Integer> dims = new ArrayList<>();
                root.path("example_shape").forEach(d -> dims.add(d.asInt()));
                return new Preprocessing(Shape.of(dims.stream().mapToInt(Integer::intValue)
                        .toArray()), kind.equals("pixels"), null, null, null, null, null,
                        List.of());
            }
            TableSchema schema = TableSchema.fromJson(root.get("schema").toString(), where);
            int k = schema.columns().size();
            double[] means = new double[k];
            double[] stds = new double[k];
            String[] fills = new String[k];
            JsonNode cols = root.path("columns");
            if (cols.size() != k) {
                throw new IllegalArgumentException(where + ": " + cols.size() + " column entries"
                        + " for " + k + " schema columns");
            }
            for (int i = 0; i < k; i++) {
                JsonNode n = cols.get(i);
                means[i] = n.has("mean") ? n.get("mean").asDouble() : Double.NaN;
                stds[i] = n.has("std") ? n.get("std").asDouble() : Double.NaN;
                fills[i] = n.path("fill").asText();
            }
            List<String> notes = new ArrayList<>();
            root.path("notes").forEach(n -> notes.add(n.asText()));
            return new Preprocessing(Shape.of(schema.width()), false, schema, means, stds, fills,
                    Missing.parse(root.path("missing").asText("error")), notes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
    }

    /** Writes {@link #toJson()} to {@code file} atomically (temporary file, then rename). */
    public void save(Path file) throws IOException {
        org.vae4j.io.AtomicFiles.writeString(file, toJson());
    }

    /** Reads a saved preprocessing, e.g. a run's {@link #FILE}. */
    public static Preprocessing load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DataFileException(file, "no such file; expected the preprocessing a run"
                    + " saved when it was trained");
        }
        return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toJson());
    }
}
