package org.vae4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vae4j.data.Preprocessing;
import org.vae4j.data.TableSchema;

/**
 * How well a model reconstructs each column of a table, next to predicting the training
 * mean (numeric) or mode (binary, categorical): RMSE in the column's own units for numeric
 * columns, accuracy for the others. Reconstructions are in the encoded space: standardised
 * means, probabilities for binaries, a probability per category (the largest is the guess).
 */
public final class ColumnReport {

    /** One column's figures; {@code metric} is "rmse" or "accuracy". */
    public record Row(String column, String type, String metric, double model, double baseline) {

        /** Whether the model does better than the baseline (lower RMSE, higher accuracy). */
        public boolean beatsBaseline() {
            return metric.equals("rmse") ? model < baseline : model > baseline;
        }
    }

    private ColumnReport() {
    }

    /**
     * The report of {@code rows} encoded examples {@code truth} and their reconstructions
     * {@code reconstructed} (both row-major, the schema's width), under {@code p}.
     */
    public static List<Row> of(Preprocessing p, float[] truth, float[] reconstructed, int rows) {
        TableSchema schema = p.schema();
        int width = schema.width();
        if (truth.length != (long) rows * width || reconstructed.length != truth.length) {
            throw new IllegalArgumentException("column report: " + truth.length + " and "
                    + reconstructed.length + " values for " + rows + " rows of " + width);
        }
        List<Row> report = new ArrayList<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            TableSchema.Column c = schema.columns().get(i);
            int at = schema.offset(i);
            String type = c.kind().name().toLowerCase(Locale.ROOT);
            switch (c.kind()) {
                case NUMERIC -> {
                    double err = 0;
                    double base = 0;
                    for (int r = 0; r < rows; r++) {
                        double t = p.originalUnits(i, truth[r * width + at]);
                        double m = p.originalUnits(i, reconstructed[r * width + at]);
                        err += (m - t) * (m - t);
                        base += (p.mean(i) - t) * (p.mean(i) - t);
                    }
                    report.add(new Row(c.name(), type, "rmse", Math.sqrt(err / rows),
                            Math.sqrt(base / rows)));
                }
                case BINARY -> {
                    int mode = c.categories().indexOf(p.fill(i));
                    int right = 0;
                    int baseRight = 0;
                    for (int r = 0; r < rows; r++) {
                        int t = truth[r * width + at] > 0.5f ? 1 : 0;
                        right += (reconstructed[r * width + at] > 0.5f ? 1 : 0) == t ? 1 : 0;
                        baseRight += mode == t ? 1 : 0;
                    }
                    report.add(new Row(c.name(), type, "accuracy", (double) right / rows,
                            (double) baseRight / rows));
                }
                case CATEGORICAL -> {
                    int mode = c.categories().indexOf(p.fill(i));
                    int right = 0;
                    int baseRight = 0;
                    for (int r = 0; r < rows; r++) {
                        int t = argmax(truth, r * width + at, c.width());
                        right += argmax(reconstructed, r * width + at, c.width()) == t ? 1 : 0;
                        baseRight += mode == t ? 1 : 0;
                    }
                    report.add(new Row(c.name(), type, "accuracy", (double) right / rows,
                            (double) baseRight / rows));
                }
                default -> throw new IllegalStateException(c.kind().toString());
            }
        }
        return report;
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (v[from + k] > v[from + best]) {
                best = k;
            }
        }
        return best;
    }

    /** The report as aligned lines for a terminal. */
    public static String format(List<Row> report) {
        int w = Math.max(6, report.stream().mapToInt(r -> r.column().length()).max().orElse(6));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "  %-" + w + "s  %-11s  %-8s  %10s  %14s%n", "column", "type", "metric",
                "model", "mean/mode"));
        for (Row r : report) {
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %-11s  %-8s  %10.4f  %14.4f%n",
                    r.column(), r.type(), r.metric(), r.model(), r.baseline()));
        }
        return sb.toString();
    }
}
