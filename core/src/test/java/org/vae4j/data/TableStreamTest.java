package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.NpyReader.Loading;
import org.vae4j.data.Preprocessing.ColumnType;
import org.vae4j.data.Preprocessing.Missing;

/**
 * A table streamed from its file ({@link TableStream}, onto the heap or into a memory-mapped
 * float32 file) gives exactly what the in-memory path gives ({@link CsvReader#readRaw},
 * {@link Preprocessing#fitTable}, {@link Preprocessing#apply(CsvReader.Raw, int[])}): the same
 * schema, split, means and standard deviations to the last bit, the same encoded rows and labels,
 * and the same error for each kind of bad table.
 */
class TableStreamTest {

    @TempDir
    Path dir;

    private static final double FRACTION = 0.25;
    private static final long SEED = 7;

    /** Every column kind, a label, a constant column and (when asked) missing values. */
    private Path mixed(String name, int rows, boolean withMissing) throws IOException {
        Random random = new Random(11);
        StringBuilder sb = new StringBuilder("amount,flag,size,colour,constant,id,label\n");
        String[] colours = {"red", "green", "blue", "violet"};
        for (int r = 0; r < rows; r++) {
            String amount = String.valueOf(random.nextGaussian() * 1e3 + 0.1 * r);
            String colour = colours[random.nextInt(colours.length)];
            if (withMissing && r % 7 == 3) {
                amount = "NA";
            }
            if (withMissing && r % 11 == 5) {
                colour = "";
            }
            sb.append(amount).append(',').append(random.nextBoolean() ? "1" : "0.0").append(',')
                    .append(random.nextBoolean() ? "small" : "large").append(',').append(colour)
                    .append(",2.5,").append(r).append(',').append(r % 3 == 0 ? "yes" : "no")
                    .append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb);
        return f;
    }

    private static Split split(Path f, int n) {
        return Split.of(f.toString(), n, FRACTION, SEED);
    }

    /** The in-memory path as the program took it before tables were streamed. */
    private static TableStream.Table inMemory(Path f, String label, Map<String, ColumnType> types,
            Missing missing) throws IOException {
        CsvReader.Raw raw = CsvReader.readRaw(f);
        int[] usable = Preprocessing.usableRows(raw, missing, label, types);
        Split s = split(f, usable.length);
        int[] train = Split.through(usable, s.train());
        int[] test = Split.through(usable, s.test());
        Preprocessing prep = Preprocessing.fitTable(raw, train, label, types, missing);
        return new TableStream.Table(prep.apply(raw, train), prep.apply(raw, test), prep, s);
    }

    private static TableStream.Table streamed(Path f, String label,
            Map<String, ColumnType> types, Missing missing, Loading loading) throws IOException {
        return TableStream.load(f, label, types, missing, null, n -> split(f, n), loading);
    }

    private static void assertSameData(Dataset expected, Dataset actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.features(), actual.features());
        assertArrayEquals(expected.rows(0, expected.size()), actual.rows(0, actual.size()));
        assertEquals(expected.hasLabels(), actual.hasLabels());
        if (expected.hasLabels()) {
            assertArrayEquals(expected.labels(), actual.labels());
            assertEquals(expected.classNames(), actual.classNames());
        }
    }

    private static void assertSameFit(Preprocessing expected, Preprocessing actual) {
        assertEquals(expected.toJson(), actual.toJson());
        for (int i = 0; i < expected.schema().columns().size(); i++) {
            assertEquals(Double.doubleToRawLongBits(expected.mean(i)),
                    Double.doubleToRawLongBits(actual.mean(i)), "mean of column " + i);
            assertEquals(Double.doubleToRawLongBits(expected.std(i)),
                    Double.doubleToRawLongBits(actual.std(i)), "std of column " + i);
        }
    }

    @Test
    void streamedTablesEqualTheInMemoryPathBitForBitUnderEveryMissingPolicy()
            throws IOException {
        Map<String, ColumnType> types = Map.of("id", ColumnType.IGNORE);
        for (Missing missing : Missing.values()) {
            Path f = mixed("t-" + missing + ".csv", 301, missing != Missing.ERROR);
            TableStream.Table expected = inMemory(f, "label", types, missing);
            for (Loading loading : new Loading[] {Loading.MAP, Loading.HEAP}) {
                TableStream.Table actual = streamed(f, "label", types, missing, loading);
                String what = missing + " " + loading;
                assertEquals(loading == Loading.HEAP, actual.train().inMemory(), what);
                assertEquals(loading == Loading.HEAP, actual.test().inMemory(), what);
                assertSameFit(expected.preprocessing(), actual.preprocessing());
                assertArrayEquals(expected.split().train(), actual.split().train(), what);
                assertArrayEquals(expected.split().test(), actual.split().test(), what);
                assertSameData(expected.train(), actual.train());
                assertSameData(expected.test(), actual.test());
            }
        }
        Split dropped = streamed(dir.resolve("t-DROP.csv"), "label", types, Missing.DROP,
                Loading.MAP).split();
        // rows 3, 10, ... miss an amount (43), rows 5, 16, ... a colour (27), 4 rows miss both
        assertEquals(301 - 43 - 27 + 4, dropped.train().length + dropped.test().length);
    }

    @Test
    void inferredKindsAndTheConstantColumnNoteComeOutOfTheStreamedFit() throws IOException {
        Path f = mixed("kinds.csv", 120, false);
        Preprocessing p = streamed(f, null, Map.of(), Missing.ERROR, Loading.MAP).preprocessing();
        List<TableSchema.Kind> kinds = new ArrayList<>();
        p.schema().columns().forEach(c -> kinds.add(c.kind()));
        assertEquals(List.of(TableSchema.Kind.NUMERIC, TableSchema.Kind.BINARY,
                TableSchema.Kind.BINARY, TableSchema.Kind.CATEGORICAL, TableSchema.Kind.NUMERIC,
                TableSchema.Kind.NUMERIC, TableSchema.Kind.BINARY), kinds);
        assertEquals(List.of("blue", "green", "red", "violet"),
                p.schema().columns().get(3).categories());
        assertTrue(p.notes().get(0).contains("'constant' is constant (2.5)"), p.notes().get(0));
    }

    @Test
    void aRunsPreprocessingAppliedToAStreamedTableEqualsTheInMemoryApply() throws IOException {
        Path train = mixed("train.csv", 200, true);
        Path other = mixed("other.csv", 90, true);
        for (Missing missing : new Missing[] {Missing.DROP, Missing.MEAN}) {
            Preprocessing prep = inMemory(train, "label", Map.of("id", ColumnType.IGNORE),
                    missing).preprocessing();
            CsvReader.Raw raw = CsvReader.readRaw(other);
            Map<String, ColumnType> ignored = Map.of("id", ColumnType.IGNORE);
            Dataset expected = prep.apply(raw, Preprocessing.usableRows(raw, missing, "label",
                    ignored));
            assertSameData(expected, TableStream.apply(other, prep, Loading.MAP));
            assertSameData(expected, TableStream.apply(other, prep, Loading.HEAP));
            assertSameData(expected, prep.apply(other));
            // the run's own data, loaded again with its preprocessing: the same split and rows
            TableStream.Table again = TableStream.load(train, null, ignored, null, prep,
                    n -> split(train, n), Loading.MAP);
            TableStream.Table first = inMemory(train, "label", ignored, missing);
            assertSameData(first.train(), again.train());
            assertSameData(first.test(), again.test());
        }
    }

    @Test
    void withoutASplitEveryUsableRowIsATrainingRow() throws IOException {
        Path f = mixed("all.csv", 50, false);
        TableStream.Table t = TableStream.load(f, "label", Map.of(), Missing.ERROR, null, null,
                Loading.MAP);
        assertNull(t.test());
        assertNull(t.split());
        CsvReader.Raw raw = CsvReader.readRaw(f);
        int[] all = Preprocessing.usableRows(raw, Missing.ERROR, "label", Map.of());
        Preprocessing prep = Preprocessing.fitTable(raw, all, "label", Map.of(), Missing.ERROR);
        assertSameFit(prep, t.preprocessing());
        assertSameData(prep.apply(raw, all), t.train());
    }

    @Test
    void theEncodedFileIsDeletedOnceMappedAndOnAnError() throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            Path f = mixed("m.csv", 80, false);
            Dataset train = streamed(f, "label", Map.of(), Missing.ERROR, Loading.MAP).train();
            assertFalse(train.inMemory());
            assertEquals(0, count(tmp), "the mapped file is unlinked; the mapping still reads it");
            assertEquals(train.features(), train.row(train.size() - 1).length);
            Path bad = dir.resolve("bad.csv");
            Files.writeString(bad, Files.readString(f).replace("\nred", "\nNA")
                    + "1,1,small,red,2.5,99,yes\n" + "x,1,small,red,2.5,99,yes\n");
            assertThrows(DataFileException.class,
                    () -> streamed(bad, "label", Map.of(), Missing.ERROR, Loading.MAP));
            assertEquals(0, count(tmp), "a refused table leaves no encoded file behind");
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    /** Each kind of bad table gives the streamed path the in-memory path's message. */
    @Test
    void badTablesGiveTheSameErrorsOnBothPaths() throws IOException {
        String good = "x,c,label\n1,a,p\n2,b,q\n3,a,p\n4,b,q\n5,a,p\n6,b,q\n7,a,q\n8,b,p\n";
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("ragged", good + "9,a\n");
        bad.put("text among numbers", good.replace("3,a,p", "three,a,p"));
        bad.put("missing value", good.replace("5,a,p", "NA,a,p"));
        bad.put("all missing", "x,c,label\nNA,a,p\n?,b,q\n,a,p\nnull,b,q\n");
        bad.put("one row", "x,c,label\n1,a,p\n");
        bad.put("empty", "");
        int testRow = split(dir.resolve("bad.csv"), 8).test()[0];
        String[] lines = good.split("\n");
        String unseen = lines[1 + testRow].replace(",a,", ",z,").replace(",b,", ",z,");
        bad.put("unseen category in a test row", good.replace(lines[1 + testRow], unseen));
        bad.put("missing label", good.replace("2,b,q", "2,b,NA"));
        bad.put("two faults: a test row's before a training row's",
                good.replace("1,a,p", "1,z,p").replace("8,b,p", "8,NA,p"));
        bad.put("quote", good + "\"9,a,p\n");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Path f = dir.resolve("bad.csv");
            Files.writeString(f, e.getValue());
            String expected = assertThrows(IOException.class,
                    () -> inMemory(f, "label", Map.of(), Missing.ERROR), e.getKey()).getMessage();
            for (Loading loading : new Loading[] {Loading.MAP, Loading.HEAP}) {
                String actual = assertThrows(IOException.class,
                        () -> streamed(f, "label", Map.of(), Missing.ERROR, loading),
                        e.getKey()).getMessage();
                assertEquals(expected, actual, e.getKey());
            }
            assertTrue(expected.startsWith(f.toString()), expected);
        }
        for (String label : new String[] {"nope"}) {
            Path f = dir.resolve("label.csv");
            Files.writeString(f, good);
            assertEquals(assertThrows(IOException.class,
                    () -> inMemory(f, label, Map.of(), Missing.ERROR)).getMessage(),
                    assertThrows(IOException.class,
                            () -> streamed(f, label, Map.of(), Missing.ERROR, Loading.MAP))
                            .getMessage());
        }
        Path typed = dir.resolve("typed.csv");
        Files.writeString(typed, good.replace("\n6,", "\nsix,"));
        Map<String, ColumnType> numeric = Map.of("c", ColumnType.NUMERIC);
        assertEquals(assertThrows(IOException.class,
                () -> inMemory(typed, "label", numeric, Missing.ERROR)).getMessage(),
                assertThrows(IOException.class,
                        () -> streamed(typed, "label", numeric, Missing.ERROR, Loading.MAP))
                        .getMessage());
    }

    @Test
    void aMostlyTextColumnWithTooManyDistinctNumbersIsRefusedOnBothPaths() throws IOException {
        StringBuilder sb = new StringBuilder("code,x\n");
        int rows = 4 * ColumnFit.MAX_NUMBER_WORDS + 1;
        for (int r = 0; r < rows; r++) {
            sb.append(r % 2 == 0 ? "n" + r : Integer.toString(r)).append(',').append(r)
                    .append('\n');
        }
        Path f = dir.resolve("codes.csv");
        Files.writeString(f, sb);
        String expected = assertThrows(DataFileException.class,
                () -> inMemory(f, null, Map.of(), Missing.ERROR)).getMessage();
        assertTrue(expected.contains("column 'code' is mostly text"), expected);
        assertTrue(expected.contains("--column-types code:categorical"), expected);
        assertEquals(expected, assertThrows(DataFileException.class,
                () -> streamed(f, null, Map.of(), Missing.ERROR, Loading.MAP)).getMessage());
        // typed categorical, every value is a category
        Preprocessing p = TableStream.load(f, null, Map.of("code", ColumnType.CATEGORICAL),
                Missing.ERROR, null, null, Loading.MAP).preprocessing();
        assertEquals(rows, p.schema().columns().get(0).categories().size());
    }
}
