package org.vae4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a table's columns become a row of features: each column's name and kind (numeric, binary
 * or categorical, with its categories in the sorted order of their one-hot positions), and the
 * label column with its classes. Inferred by {@link CsvReader} from a training table and saved
 * with {@link #toJson()}, it is re-applied to other tables with {@link CsvReader#readWith},
 * so that evaluation encodes exactly as training did; fitted
 * preprocessing (standardisation of numeric columns) is meant to join it here.
 */
public final class TableSchema {

    static final String FORMAT = "vae4j-table";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a column holds, and so how it is encoded. */
    public enum Kind {
        /** Numbers, taken as they are: one feature. */
        NUMERIC,
        /** Two values (0/1, or two words): one feature, 0 for the first, 1 for the second. */
        BINARY,
        /** A set of words: one feature per category, one-hot, categories sorted. */
        CATEGORICAL;

        String lowerName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One feature column: its header name, kind and (binary, categorical) its values. */
    public record Column(String name, Kind kind, List<String> categories) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            categories = List.copyOf(categories);
            if (kind == Kind.BINARY && categories.size() != 2) {
                throw new IllegalArgumentException("binary column " + name + " needs two values,"
                        + " got " + categories);
            }
            if (kind == Kind.CATEGORICAL && categories.isEmpty()) {
                throw new IllegalArgumentException("categorical column " + name
                        + " needs at least one category");
            }
        }

        /** The number of features the column encodes to. */
        public int width() {
            return kind == Kind.CATEGORICAL ? categories.size() : 1;
        }
    }

    private final List<Column> columns;
    private final String labelColumn;
    private final List<String> labelClasses;

    /**
     * @param columns the feature columns, in file order
     * @param labelColumn the label column's name, or null for an unlabelled table
     * @param labelClasses the label values in label-id order (empty without a label column)
     */
    public TableSchema(List<Column> columns, String labelColumn, List<String> labelClasses) {
        this.columns = List.copyOf(columns);
        this.labelColumn = labelColumn;
        this.labelClasses = List.copyOf(labelClasses);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one feature column");
        }
        if (labelColumn != null && this.labelClasses.isEmpty()) {
            throw new IllegalArgumentException("label column " + labelColumn + " has no classes");
        }
    }

    public List<Column> columns() {
        return columns;
    }

    /** The label column's name, or null. */
    public String labelColumn() {
        return labelColumn;
    }

    /** The label values, indexed by label id. */
    public List<String> labelClasses() {
        return labelClasses;
    }

    /** The number of features a row encodes to. */
    public int width() {
        return columns.stream().mapToInt(Column::width).sum();
    }

    /** The first feature of column {@code i} within an encoded row. */
    public int offset(int i) {
        int at = 0;
        for (int c = 0; c < i; c++) {
            at += columns.get(c).width();
        }
        return at;
    }

    /** One name per feature: the column, or {@code column=category} for one-hot features. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            if (c.kind() == Kind.CATEGORICAL) {
                c.categories().forEach(v -> names.add(c.name() + "=" + v));
            } else {
                names.add(c.name());
            }
        }
        return names;
    }

    /** One line per column: name, kind and values, then the label; for the user to check. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        int nameWidth = columns.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Column c : columns) {
            sb.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s  %-11s", c.name(),
                    c.kind().lowerName()));
            if (c.kind() != Kind.NUMERIC) {
                sb.append(' ').append(shortList(c.categories()));
            }
            sb.append('\n');
        }
        if (labelColumn != null) {
            sb.append("  label: ").append(labelColumn).append(", ").append(labelClasses.size())
                    .append(" classes ").append(shortList(labelClasses)).append('\n');
        }
        sb.append("  ").append(width()).append(" features per row");
        return sb.toString();
    }

    private static String shortList(List<String> values) {
        List<String> shown = values.size() <= 8 ? values : values.subList(0, 8);
        return "[" + String.join(", ", shown) + (values.size() > 8 ? ", ... ("
                + values.size() + ")" : "") + "]";
    }

    /** The schema as JSON, for a run folder. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode cols = root.putArray("columns");
        for (Column c : columns) {
            ObjectNode n = cols.addObject();
            n.put("name", c.name());
            n.put("kind", c.kind().lowerName());
            if (c.kind() != Kind.NUMERIC) {
                ArrayNode values = n.putArray("categories");
                c.categories().forEach(values::add);
            }
        }
        if (labelColumn != null) {
            ObjectNode label = root.putObject("label");
            label.put("name", labelColumn);
            ArrayNode classes = label.putArray("classes");
            labelClasses.forEach(classes::add);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@link #toJson()}'s output; {@code where} names the source in errors. */
    public static TableSchema fromJson(String text, String where) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new IllegalArgumentException(where + ": not a table schema (expected"
                        + " \"format\": \"" + FORMAT + "\")");
            }
            List<Column> cols = new ArrayList<>();
            for (JsonNode n : root.path("columns")) {
                Kind kind = Kind.valueOf(n.path("kind").asText().toUpperCase(Locale.ROOT));
                List<String> categories = new ArrayList<>();
                n.path("categories").forEach(v -> categories.add(v.asText()));
                cols.add(new Column(n.path("name").asText(), kind, categories));
            }
            JsonNode label = root.get("label");
            List<String> classes = new ArrayList<>();
            if (label != null) {
                label.path("classes").forEach(v -> classes.add(v.asText()));
            }
            return new TableSchema(cols, label == null ? null : label.path("name").asText(),
                    classes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSchema t && t.columns.equals(columns)
                && Objects.equals(t.labelColumn, labelColumn)
                && t.labelClasses.equals(labelClasses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, labelColumn, labelClasses);
    }

    @Override
    public String toString() {
        return describe();
    }
}
