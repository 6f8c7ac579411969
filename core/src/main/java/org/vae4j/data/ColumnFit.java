package org.vae4j.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one table column's values say, gathered a value at a time, so that the same column kind,
 * categories, mean, standard deviation and mode come out whether the records are in memory
 * ({@link Preprocessing#fitTable}) or streamed from the file ({@link TableStream}): counts of
 * present and numeric values, which of 0 and 1 occur, the distinct words with their counts,
 * and the numbers' sum (the mean is {@code sum / count}) and sum of squared deviations
 * (Welford's update, so one pass suffices), all in double, in record order.
 *
 * <p>An inferred column keeps at most {@link #MAX_NUMBER_WORDS} distinct numeric spellings (a
 * numeric column holds millions, and needs none); they matter only when the column turns out
 * categorical, and a categorical column with more distinct numbers than that is refused,
 * pointing to {@code --column-types}. Text values and the values of a column typed binary or
 * categorical are all kept.
 */
final class ColumnFit {

    /** Distinct numbers an inferred column keeps as words (for a categorical outcome). */
    static final int MAX_NUMBER_WORDS = 1000;

    private final Path file;
    private final List<String> header;
    private final int column;
    private final Preprocessing.ColumnType given;

    private int present;
    private int numbers;
    private boolean positiveZero;
    private boolean negativeZero;
    private boolean one;
    private boolean otherNumber;
    private int zeros;
    private int ones;
    private final TreeMap<String, Integer> textWords = new TreeMap<>();
    private Map<String, Integer> numberWords = new HashMap<>();

    private int firstTextRow = -1;
    private long firstTextLine;
    private String firstText;

    private int count;
    private double sum;
    private double runningMean;
    private double squares;

    private int badRow = -1;
    private long badLine;
    private String badValue;

    /**
     * Gathers column {@code column} of {@code file} (whose header is {@code header}); its kind is
     * {@code given}, or inferred when null.
     */
    ColumnFit(Path file, List<String> header, int column, Preprocessing.ColumnType given) {
        this.file = file;
        this.header = header;
        this.column = column;
        this.given = given;
    }

    String name() {
        return header.get(column);
    }

    int column() {
        return column;
    }

    /** Takes this column's value {@code v} of record {@code row} (ending on {@code line}). */
    void add(int row, long line, String v) {
        if (CsvReader.isMissingValue(v)) {
            return;
        }
        present++;
        Double d = CsvReader.numberOrNull(v);
        if (d == null) {
            if (firstText == null) {
                firstTextRow = row;
                firstTextLine = line;
                firstText = v;
            }
            if (given != Preprocessing.ColumnType.NUMERIC) {
                textWords.merge(v, 1, Integer::sum);
            }
            if (badValue == null) {
                badRow = row;
                badLine = line;
                badValue = v;
            }
            return;
        }
        numbers++;
        double x = d;
        if (x == 0.0) {
            zeros++;
            if (Double.doubleToRawLongBits(x) == 0L) {
                positiveZero = true;
            } else {
                negativeZero = true;
            }
        } else if (x == 1.0) {
            ones++;
            one = true;
        } else {
            otherNumber = true;
        }
        if (numberWords != null && given != Preprocessing.ColumnType.NUMERIC) {
            numberWords.merge(v, 1, Integer::sum);
            if (given == null && numberWords.size() > MAX_NUMBER_WORDS) {
                numberWords = null;
            }
        }
        count++;
        sum += x;
        double delta = x - runningMean;
        runningMean += delta / count;
        squares += delta * (x - runningMean);
    }

    /**
     * The column's kind and categories, as the values say or as {@code --column-types} gave it:
     * all numbers is numeric unless they are exactly two of 0 and 1 (binary); mostly text is
     * binary with two distinct values, else categorical; a column with no value, or with text
     * among a majority of numbers, is an error naming the first text value's row and line.
     */
    TableSchema.Column resolve() throws DataFileException {
        String name = name();
        if (given != null) {
            return resolveGiven(name);
        }
        if (present == 0) {
            throw new DataFileException(file, "column '" + name + "' has no values (all are"
                    + " missing); expected at least one, or --column-types " + name + ":ignore");
        }
        if (numbers == present) {
            int distinct = (positiveZero ? 1 : 0) + (negativeZero ? 1 : 0) + (one ? 1 : 0);
            return !otherNumber && distinct == 2
                    ? new TableSchema.Column(name, TableSchema.Kind.BINARY, List.of("0", "1"))
                    : new TableSchema.Column(name, TableSchema.Kind.NUMERIC, List.of());
        }
        if (2L * numbers > present) {
            throw new DataFileException(file, CsvRecords.where(firstTextRow, firstTextLine,
                    header, column) + ": '" + firstText + "' is not a number, but " + numbers
                    + " of the column's " + present + " values are; expected a number");
        }
        if (numberWords == null) {
            throw new DataFileException(file, "column '" + name + "' is mostly text ("
                    + (present - numbers) + " of its " + present + " values), so categorical,"
                    + " but it also holds more than " + MAX_NUMBER_WORDS + " distinct numbers;"
                    + " expected fewer categories: give --column-types " + name
                    + ":categorical to keep every value as a category, or " + name + ":ignore");
        }
        List<String> words = words();
        return new TableSchema.Column(name, words.size() == 2 ? TableSchema.Kind.BINARY
                : TableSchema.Kind.CATEGORICAL, words);
    }

    private TableSchema.Column resolveGiven(String name) throws DataFileException {
        switch (given) {
            case NUMERIC -> {
                return new TableSchema.Column(name, TableSchema.Kind.NUMERIC, List.of());
            }
            case BINARY -> {
                List<String> values = words();
                if (textWords.isEmpty() && !otherNumber) {
                    return new TableSchema.Column(name, TableSchema.Kind.BINARY,
                            List.of("0", "1"));
                }
                if (values.size() != 2) {
                    throw new DataFileException(file, "--column-types " + name + ":binary, but"
                            + " the column holds " + values.size() + " values in training "
                            + shortList(values) + "; expected two");
                }
                return new TableSchema.Column(name, TableSchema.Kind.BINARY, values);
            }
            case CATEGORICAL -> {
                return new TableSchema.Column(name, TableSchema.Kind.CATEGORICAL, words());
            }
            default -> throw new IllegalStateException(given.toString());
        }
    }

    /**
     * Refuses a text value in a column typed numeric ({@code --column-types}), naming the first
     * one's row and line; an inferred numeric column holds numbers only.
     */
    void checkNumbers() throws DataFileException {
        if (badValue != null) {
            throw new DataFileException(file, CsvRecords.where(badRow, badLine, header, column)
                    + ": '" + badValue + "' is not a number; expected a number (numeric column)");
        }
    }

    /** The mean of the numbers, 0 when there are none. */
    double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /** The population standard deviation of the numbers, 0 when there are none. */
    double std() {
        return count == 0 ? 0 : Math.sqrt(squares / count);
    }

    /**
     * The most frequent of {@code col}'s categories among the values (the first in category
     * order on a tie): a 0/1 column counts every spelling of 0 and of 1.
     */
    String mode(TableSchema.Column col) {
        boolean zeroOne = col.kind() == TableSchema.Kind.BINARY
                && col.categories().equals(List.of("0", "1"));
        String best = col.categories().get(0);
        int most = -1;
        for (String category : col.categories()) {
            int n = zeroOne ? (category.equals("0") ? zeros : ones) : occurrences(category);
            if (n > most) {
                best = category;
                most = n;
            }
        }
        return best;
    }

    private int occurrences(String word) {
        Integer n = textWords.get(word);
        if (n == null && numberWords != null) {
            n = numberWords.get(word);
        }
        return n == null ? 0 : n;
    }

    /** The distinct present values, sorted as words. */
    private List<String> words() {
        TreeSet<String> all = new TreeSet<>(textWords.keySet());
        if (numberWords != null) {
            all.addAll(numberWords.keySet());
        }
        return List.copyOf(all);
    }

    static String shortList(List<String> values) {
        List<String> shown = values.size() <= 8 ? values : values.subList(0, 8);
        return "[" + String.join(", ", shown) + (values.size() > 8 ? ", ... ("
                + values.size() + ")" : "") + "]";
    }
}
