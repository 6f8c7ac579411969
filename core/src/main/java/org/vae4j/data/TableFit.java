package org.vae4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table's preprocessing fitted a record at a time: the training records go to
 * {@link #addTrainingRecord}, every record's label to {@link #addLabel}, in file order, and
 * {@link #result()} gives the {@link Preprocessing}. Both the in-memory fit
 * ({@link Preprocessing#fitTable}) and the streamed one ({@link TableStream}) are this class fed
 * the same records in the same order, so they give the same schema, means, standard deviations,
 * fills and errors, to the last bit. The header is checked when it is given (the label column
 * and the columns {@code --column-types} names must exist).
 */
final class TableFit {

    private final Path file;
    private final List<String> header;
    private final String labelColumn;
    private final int labelIndex;
    private final Preprocessing.Missing missing;
    private final List<ColumnFit> columns = new ArrayList<>();
    private final Set<String> labels = new LinkedHashSet<>();
    private boolean labelsAllNumbers = true;

    /**
     * Starts a fit of {@code file}'s columns ({@code header}) but {@code labelColumn} (null for
     * none) and those {@code types} ignores, of the kinds {@code types} gives or inferred.
     */
    TableFit(Path file, List<String> header, String labelColumn,
            Map<String, Preprocessing.ColumnType> types, Preprocessing.Missing missing)
            throws DataFileException {
        this.file = file;
        this.header = header;
        this.labelColumn = labelColumn;
        this.missing = missing;
        this.labelIndex = labelColumn == null ? -1 : labelIndex(file, header, labelColumn);
        for (String name : types.keySet()) {
            if (!header.contains(name)) {
                throw new DataFileException(file, "--column-types names '" + name + "', which is"
                        + " not a column; its columns are " + header);
            }
            if (name.equals(labelColumn)) {
                throw new DataFileException(file, "--column-types gives a type to '" + name
                        + "', the label column; give types to feature columns only");
            }
        }
        for (int c = 0; c < header.size(); c++) {
            Preprocessing.ColumnType t = types.get(header.get(c));
            if (c != labelIndex && t != Preprocessing.ColumnType.IGNORE) {
                columns.add(new ColumnFit(file, header, c, t));
            }
        }
    }

    /** {@code labelColumn}'s index in {@code header}; its absence is an error naming both. */
    static int labelIndex(Path file, List<String> header, String labelColumn)
            throws DataFileException {
        int i = header.indexOf(labelColumn);
        if (i < 0) {
            throw new DataFileException(file, "has no column '" + labelColumn
                    + "' for the labels; its columns are " + header);
        }
        return i;
    }

    /** Takes training record {@code row} (ending on {@code line}). */
    void addTrainingRecord(int row, long line, String[] values) {
        for (ColumnFit c : columns) {
            c.add(row, line, values[c.column()]);
        }
    }

    /** Takes a record's label (every record's, not only training ones: labels are no features). */
    void addLabel(String[] values) {
        if (labelIndex < 0) {
            return;
        }
        String v = values[labelIndex];
        if (!CsvReader.isMissingValue(v)) {
            labels.add(v);
            labelsAllNumbers &= CsvReader.numberOrNull(v) != null;
        }
    }

    /**
     * The fitted preprocessing: column kinds (errors in column order), then each numeric column's
     * mean and standard deviation (a text value in a column typed numeric is an error; a constant
     * column keeps standard deviation 1, with a note) and each column's fill value.
     */
    Preprocessing result() throws DataFileException {
        List<TableSchema.Column> schemaColumns = new ArrayList<>();
        for (ColumnFit c : columns) {
            schemaColumns.add(c.resolve());
        }
        if (schemaColumns.isEmpty()) {
            throw new DataFileException(file, "has no feature column left (label and ignored"
                    + " columns taken out); expected at least one");
        }
        List<String> classes = new ArrayList<>(labels);
        classes.sort(labelsAllNumbers ? Comparator.comparingDouble(Double::parseDouble)
                : Comparator.naturalOrder());
        TableSchema schema = new TableSchema(schemaColumns, labelColumn,
                labelIndex < 0 ? List.of() : classes);
        int k = schemaColumns.size();
        double[] means = new double[k];
        double[] stds = new double[k];
        String[] fills = new String[k];
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            TableSchema.Column col = schemaColumns.get(i);
            ColumnFit fit = columns.get(i);
            if (col.kind() == TableSchema.Kind.NUMERIC) {
                fit.checkNumbers();
                double mean = fit.mean();
                double std = fit.std();
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
                fills[i] = fit.mode(col);
            }
        }
        return Preprocessing.table(schema, means, stds, fills, missing, notes);
    }
}
