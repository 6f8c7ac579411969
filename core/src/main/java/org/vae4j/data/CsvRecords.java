package org.vae4j.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * The records of a CSV ({@code .csv}, comma) or TSV ({@code .tsv}, tab) table with a header
 * row, streamed one at a time through Apache Commons CSV: the one parser every table reader
 * uses, whether it keeps the records ({@link CsvReader#readRaw}) or passes over the file again
 * and again without keeping them ({@link TableStream}). Values are trimmed; empty lines are
 * skipped; the header must name every column once (a byte-order mark is dropped). A record
 * with another number of fields than the header (a ragged row) and a file the parser cannot
 * read are {@link DataFileException}s naming the file, the row and its line.
 */
final class CsvRecords {

    /** Receives the header before any record. */
    @FunctionalInterface
    interface HeaderSink {
        void header(List<String> header) throws IOException;
    }

    /**
     * Receives each record in file order: its index (0 for the first after the header), the
     * line it ends on (1-based, as errors name it) and its trimmed values, one per column.
     */
    @FunctionalInterface
    interface RecordSink {
        void record(int row, long line, String[] values) throws IOException;
    }

    private CsvRecords() {
    }

    /** "row R (line L), column 'C'", as errors name a cell. */
    static String where(int row, long line, List<String> header, int column) {
        return "row " + (row + 1) + " (line " + line + "), column '" + header.get(column) + "'";
    }

    /**
     * Streams {@code file}: its header to {@code onHeader}, then every record to
     * {@code onRecord}; returns the number of records. Errors the sinks throw pass through as
     * they are.
     */
    static int read(Path file, HeaderSink onHeader, RecordSink onRecord) throws IOException {
        if (!Files.exists(file)) {
            throw new DataFileException(file, "no such file");
        }
        boolean tsv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv");
        CSVFormat format = (tsv ? CSVFormat.TDF : CSVFormat.DEFAULT).builder()
                .setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
                .setAllowMissingColumnNames(false).get();
        String kind = tsv ? "TSV" : "CSV";
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = open(file, kind, in, format)) {
            List<String> header = new ArrayList<>(parser.getHeaderNames());
            if (header.isEmpty()) {
                throw new DataFileException(file, "empty table; expected a header row naming"
                        + " the columns, then one row per example");
            }
            if (header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            List<String> names = List.copyOf(header);
            onHeader.header(names);
            Iterator<CSVRecord> records = parser.iterator();
            int row = 0;
            while (true) {
                CSVRecord r;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    r = records.next();
                } catch (UncheckedIOException e) {
                    throw unreadable(file, kind, e.getCause().getMessage(), e);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw unreadable(file, kind, e.getMessage(), e);
                }
                long line = parser.getCurrentLineNumber();
                if (r.size() != names.size()) {
                    throw new DataFileException(file, "row " + r.getRecordNumber() + " (line "
                            + line + ") has " + r.size() + " field" + (r.size() == 1 ? "" : "s")
                            + ", but the header has " + names.size() + " columns " + names);
                }
                onRecord.record(row, line, r.values());
                row = Math.addExact(row, 1);
            }
            return row;
        }
    }

    private static CSVParser open(Path file, String kind, Reader in, CSVFormat format)
            throws IOException {
        try {
            return CSVParser.builder().setReader(in).setFormat(format).get();
        } catch (UncheckedIOException e) {
            throw unreadable(file, kind, e.getCause().getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw unreadable(file, kind, e.getMessage(), e);
        }
    }

    private static DataFileException unreadable(Path file, String kind, String why,
            Exception e) {
        return new DataFileException(file, "not a readable " + kind + " table (" + why + ")", e);
    }
}
