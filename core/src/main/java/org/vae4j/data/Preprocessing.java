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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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

    /** A table's preprocessing from its parts; for {@link TableFit}. */
    static Preprocessing table(TableSchema schema, double[] means, double[] stds, String[] fills,
            Missing missing, List<String> notes) {
        return new Preprocessing(Shape.of(schema.width()), false, schema, means, stds, fills,
                missing, notes);
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
        boolean[] used = usedColumns(raw.header(), labelColumn, types);
        return java.util.stream.IntStream.range(0, n)
                .filter(r -> complete(raw.rows().get(r), used))
                .toArray();
    }

    /**
     * Which of {@code header}'s columns a row needs a value in to be kept under
     * {@link Missing#DROP}: the label column and every column {@code types} does not ignore.
     */
    static boolean[] usedColumns(List<String> header, String labelColumn,
            Map<String, ColumnType> types) {
        boolean[] used = new boolean[header.size()];
        for (int c = 0; c < used.length; c++) {
            String name = header.get(c);
            used[c] = name.equals(labelColumn) || types.get(name) != ColumnType.IGNORE;
        }
        return used;
    }

    /** Whether {@code values} has a value in every {@code used} column. */
    static boolean complete(String[] values, boolean[] used) {
        for (int c = 0; c < used.length; c++) {
            if (used[c] && CsvReader.isMissingValue(values[c])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fits a table's preprocessing on the records {@code trainRows} of {@code raw} only: column
     * kinds ({@code types} overriding the inferred ones), categories, means and standard
     * deviations. Label classes come from all records (labels are not features).
     */
    public static Preprocessing fitTable(CsvReader.Raw raw, int[] trainRows, String labelColumn,
            Map<String, ColumnType> types, Missing missing) throws IOException {
        TableFit fit = new TableFit(raw.file(), raw.header(), labelColumn, types, missing);
        for (int r : trainRows) {
            fit.addTrainingRecord(r, raw.lines().get(r), raw.rows().get(r));
        }
        for (String[] row : raw.rows()) {
            fit.addLabel(row);
        }
        return fit.result();
    }

    /** A binary 0/1 column's value as its category ("1.0" is "1"); others as they are. */
    static String canonical(TableSchema.Column col, String v) {
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

    /**
     * Reads {@code file} (a CSV/TSV table) and applies this preprocessing to all its rows (under
     * {@link Missing#DROP}, those with a value in each of the run's columns), streamed: onto
     * the heap, or when the encoded rows would take more than a quarter of it into a file read
     * memory-mapped ({@link TableStream#apply}).
     */
    public Dataset apply(Path file) throws IOException {
        requireTable();
        return TableStream.apply(file, this, NpyReader.Loading.AUTO);
    }

    /**
     * Encodes the records {@code rows} of {@code raw}: standardised numbers, 0/1 binaries,
     * one-hot categories, labels as class ids.
     */
    public Dataset apply(CsvReader.Raw raw, int[] rows) throws IOException {
        requireTable();
        TableEncoder encoder = new TableEncoder(this, raw.file(), raw.header());
        int width = encoder.width();
        float[] values = new float[Math.multiplyExact(rows.length, width)];
        int[] labels = encoder.labelled() ? new int[rows.length] : null;
        for (int k = 0; k < rows.length; k++) {
            int r = rows[k];
            int label = encoder.encode(r, raw.lines().get(r), raw.rows().get(r), values,
                    k * width);
            if (labels != null) {
                labels[k] = label;
            }
        }
        return TableStream.named(raw.file(), schema, Dataset.create(TableStream.name(raw.file()),
                values, width, labels, labels == null ? 0 : schema.labelClasses().size()));
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
