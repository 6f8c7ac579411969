package org.vae4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes one table record with a fitted {@link Preprocessing}: standardised numbers, 0/1
 * binaries, one-hot categories and the label's class id. One instance per file (it finds the
 * schema's columns in the file's header); the in-memory {@link Preprocessing#apply} and the
 * streamed {@link TableStream} encode through it, with the same errors naming the file, row,
 * line, column and value.
 */
final class TableEncoder {

    private final Preprocessing prep;
    private final Path file;
    private final List<String> header;
    private final List<TableSchema.Column> columns;
    private final int[] index;
    private final int labelIndex;
    private final Map<String, Integer> labelIds = new HashMap<>();
    private final List<Map<String, Integer>> positions = new ArrayList<>();

    /** An encoder of {@code file}'s records, whose columns {@code header} names. */
    TableEncoder(Preprocessing prep, Path file, List<String> header) throws DataFileException {
        this.prep = prep;
        this.file = file;
        this.header = header;
        TableSchema schema = prep.schema();
        this.columns = schema.columns();
        this.index = new int[columns.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = header.indexOf(columns.get(i).name());
            if (index[i] < 0) {
                throw new DataFileException(file, "has no column '" + columns.get(i).name()
                        + "', which the run was trained with; its columns are " + header);
            }
        }
        this.labelIndex = schema.labelColumn() == null ? -1
                : TableFit.labelIndex(file, header, schema.labelColumn());
        for (int k = 0; k < schema.labelClasses().size(); k++) {
            labelIds.put(schema.labelClasses().get(k), k);
        }
        for (TableSchema.Column col : columns) {
            Map<String, Integer> m = new HashMap<>();
            for (int k = 0; k < col.categories().size(); k++) {
                m.put(col.categories().get(k), k);
            }
            positions.add(m);
        }
    }

    /** Features per encoded record. */
    int width() {
        return prep.schema().width();
    }

    /** Whether records carry a label. */
    boolean labelled() {
        return labelIndex >= 0;
    }

    /**
     * Encodes record {@code row} (ending on {@code line}) into {@code dst[off .. off+width())},
     * which it overwrites, and returns its label's class id (-1 when unlabelled). A missing value
     * (unless the policy fills it), text in a numeric column, a value not seen in training or an
     * unknown label is an error naming the cell.
     */
    int encode(int row, long line, String[] values, float[] dst, int off)
            throws DataFileException {
        Arrays.fill(dst, off, off + width(), 0f);
        int at = off;
        for (int i = 0; i < index.length; i++) {
            TableSchema.Column col = columns.get(i);
            String v = values[index[i]];
            if (CsvReader.isMissingValue(v)) {
                if (prep.missing() != Preprocessing.Missing.MEAN) {
                    throw new DataFileException(file, where(row, line, index[i])
                            + " is missing ('" + v + "'); expected a value in every row and"
                            + " column, or --missing drop|mean");
                }
                v = prep.fill(i);
            }
            switch (col.kind()) {
                case NUMERIC -> {
                    Double d = CsvReader.numberOrNull(v);
                    if (d == null) {
                        throw new DataFileException(file, where(row, line, index[i]) + ": '" + v
                                + "' is not a number; expected a number (numeric column)");
                    }
                    dst[at] = (float) ((d - prep.mean(i)) / prep.std(i));
                }
                case BINARY -> {
                    Integer p = positions.get(i).get(Preprocessing.canonical(col, v));
                    if (p == null) {
                        throw new DataFileException(file, where(row, line, index[i])
                                + ": value '" + v + "' was not seen in training; the binary"
                                + " column's values are " + col.categories());
                    }
                    dst[at] = p;
                }
                case CATEGORICAL -> {
                    Integer p = positions.get(i).get(v);
                    if (p == null) {
                        throw new DataFileException(file, where(row, line, index[i])
                                + ": category '" + v + "' was not seen in training; the"
                                + " column's categories are "
                                + ColumnFit.shortList(col.categories()));
                    }
                    dst[at + p] = 1f;
                }
                default -> throw new IllegalStateException(col.kind().toString());
            }
            at += col.width();
        }
        if (labelIndex < 0) {
            return -1;
        }
        String v = values[labelIndex];
        Integer id = labelIds.get(v);
        if (id == null) {
            throw new DataFileException(file, where(row, line, labelIndex) + ": label '" + v
                    + "' is not one of the classes "
                    + ColumnFit.shortList(prep.schema().labelClasses()));
        }
        return id;
    }

    private String where(int row, long line, int column) {
        return CsvRecords.where(row, line, header, column);
    }
}
