package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The table of {@code vae4j compare}: one {@link Row} per model, written as Markdown (for the
 * terminal and the README), CSV and JSON. An undefined figure is "—" in Markdown and empty in
 * CSV (null in JSON); a model that failed has its error in its row.
 */
final class ComparisonTable {

    /** One model's row: its figures, or the error that stopped it (then figures is null). */
    record Row(String model, ComparisonMetrics.Figures figures, Long parameters,
            Double trainSeconds, String error) {

        static Row failed(String model, Long parameters, Double trainSeconds, String error) {
            return new Row(model, null, parameters, trainSeconds, error);
        }
    }

    private record Column(String key, String heading, Function<Row, Object> value,
            String format) {
    }

    private static Object figure(Row r, Function<ComparisonMetrics.Figures, Object> f) {
        return r.figures() == null ? null : f.apply(r.figures());
    }

    private final List<Column> columns;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> settings;

    /** A table whose IW-NLL column says its {@code iwSamples}; {@code settings} head the JSON. */
    ComparisonTable(int iwSamples, Map<String, Object> settings) {
        this.settings = settings;
        this.columns = List.of(
                new Column("model", "model", Row::model, "%s"),
                new Column("squared_error", "squared error", r -> figure(r,
                        ComparisonMetrics.Figures::squaredError), "%.2f"),
                new Column("negative_elbo", "−ELBO", r -> figure(r,
                        ComparisonMetrics.Figures::negativeElbo), "%.2f"),
                new Column("iw_nll", "IW NLL (K=" + iwSamples + ")", r -> figure(r,
                        ComparisonMetrics.Figures::iwNll), "%.2f"),
                new Column("sample_quality", "samples near a class", r -> figure(r,
                        ComparisonMetrics.Figures::sampleQuality), "%.3f"),
                new Column("classes_covered", "classes covered", r -> figure(r,
                        ComparisonMetrics.Figures::classesCovered), "%d"),
                new Column("kl", "KL", r -> figure(r, ComparisonMetrics.Figures::kl), "%.2f"),
                new Column("active_units", "active units", r -> figure(r,
                        ComparisonMetrics.Figures::activeUnits), "%d"),
                new Column("latent", "latent", r -> figure(r,
                        ComparisonMetrics.Figures::latent), "%d"),
                new Column("parameters", "parameters", Row::parameters, "%,d"),
                new Column("train_seconds", "train s", Row::trainSeconds, "%.1f"),
                new Column("error", "error", Row::error, "%s"));
    }

    void add(Row row) {
        rows.add(row);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The Markdown table; the error column only when a model failed. */
    String markdown() {
        List<Column> shown = columns.stream().filter(c -> !c.key().equals("error")
                || rows.stream().anyMatch(r -> r.error() != null)).toList();
        StringBuilder sb = new StringBuilder("|");
        shown.forEach(c -> sb.append(' ').append(c.heading()).append(" |"));
        sb.append("\n|");
        shown.forEach(c -> sb.append(c.key().equals("model") || c.key().equals("error")
                ? " --- |" : " ---: |"));
        sb.append('\n');
        for (Row r : rows) {
            sb.append('|');
            for (Column c : shown) {
                Object v = c.value().apply(r);
                String text = v == null ? "—" : String.format(Locale.ROOT, c.format(), v);
                sb.append(' ').append(text.replace("|", "\\|").replace("\n", " ")).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The CSV: a header of the column keys, one line per row, empty cells where undefined. */
    String csv() {
        StringBuilder sb = new StringBuilder(String.join(",",
                columns.stream().map(Column::key).toList())).append('\n');
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            for (Column c : columns) {
                Object v = c.value().apply(r);
                cells.add(v == null ? "" : csvCell(v instanceof Double d ? Double.toString(d)
                        : v.toString()));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** The JSON: {@code settings} and {@code rows}, each row an object of the column keys. */
    String json() throws java.io.IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.set("settings", mapper.valueToTree(settings));
        ArrayNode array = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode n = array.addObject();
            for (Column c : columns) {
                n.set(c.key(), mapper.valueToTree(c.value().apply(r)));
            }
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }
}
