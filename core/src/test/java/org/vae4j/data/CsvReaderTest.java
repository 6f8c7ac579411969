package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.TableSchema.Kind;

class CsvReaderTest {

    @TempDir
    Path dir;

    private static final String TABLE = """
            age,smoker,colour,member,"city, region",label
            31.5,yes,red,1,"Bern, BE",cat
            40,no,blue,0,"Genf, GE",dog
            22,no,green,1,"Bern, BE",cat
            57,yes,blue,0,"Chur, GR",bird
            """;

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void everyColumnTypeIsInferredListedAndEncoded() throws IOException {
        CsvReader.Table t = CsvReader.read(file("t.csv", TABLE), "label");
        TableSchema s = t.schema();
        assertEquals(List.of(Kind.NUMERIC, Kind.BINARY, Kind.CATEGORICAL, Kind.BINARY,
                Kind.CATEGORICAL), s.columns().stream().map(TableSchema.Column::kind).toList());
        assertEquals(List.of("no", "yes"), s.columns().get(1).categories());
        assertEquals(List.of("blue", "green", "red"), s.columns().get(2).categories());
        assertEquals(List.of("age", "smoker", "colour=blue", "colour=green", "colour=red",
                "member", "city, region=Bern, BE", "city, region=Chur, GR",
                "city, region=Genf, GE"), s.featureNames());
        assertEquals(9, s.width());
        assertEquals(5, s.offset(3));
        Dataset d = t.data();
        assertEquals(4, d.size());
        assertEquals(9, d.features());
        assertArrayEquals(new float[] {31.5f, 1, 0, 0, 1, 1, 1, 0, 0}, d.row(0), 0f);
        assertArrayEquals(new float[] {40, 0, 1, 0, 0, 0, 0, 0, 1}, d.row(1), 0f);
        assertEquals(List.of("bird", "cat", "dog"), d.classNames());
        assertArrayEquals(new int[] {1, 2, 1, 0}, d.labels());
        String listing = s.describe();
        assertTrue(listing.contains("colour        categorical [blue, green, red]"), listing);
        assertTrue(listing.contains("label: label, 3 classes [bird, cat, dog]"), listing);
    }

    @Test
    void tsvNumericLabelsSortNumericallyAndNoLabelMeansUnlabelled() throws IOException {
        Path f = file("t.tsv", "x\ty\tk\n1\t2\t10\n3\t4\t9\n5\t6\t10\n");
        CsvReader.Table t = CsvReader.read(f, "k");
        assertEquals(List.of("9", "10"), t.schema().labelClasses());
        assertArrayEquals(new int[] {1, 0, 1}, t.data().labels());
        CsvReader.Table unlabelled = CsvReader.read(f, null);
        assertFalse(unlabelled.data().hasLabels());
        assertEquals(3, unlabelled.data().features());
    }

    @Test
    void aSavedSchemaIsReappliedAndRefusesUnseenCategories() throws IOException {
        TableSchema s = CsvReader.read(file("train.csv", TABLE), "label").schema();
        TableSchema again = TableSchema.fromJson(s.toJson(), "schema.json");
        assertEquals(s, again);
        Path test = file("test.csv", """
                label,colour,age,smoker,member,"city, region"
                dog,green,19,yes,1,"Chur, GR"
                cat,red,20,no,0,"Bern, BE"
                """);
        Dataset d = CsvReader.readWith(test, again).data();
        assertArrayEquals(new float[] {19, 1, 0, 1, 0, 1, 0, 1, 0}, d.row(0), 0f);
        assertArrayEquals(new int[] {2, 1}, d.labels());
        Path unseen = file("unseen.csv", """
                age,smoker,colour,member,"city, region",label
                1,yes,purple,1,"Bern, BE",cat
                2,no,red,1,"Bern, BE",cat
                """);
        DataFileException e = assertThrows(DataFileException.class,
                () -> CsvReader.readWith(unseen, again));
        assertEquals(unseen + ": row 1 (line 2), column 'colour': 'purple' is not one of the"
                + " column's categories [blue, green, red]", e.getMessage());
    }

    @Test
    void raggedRowsAreNamedWithTheHeader() throws IOException {
        Path f = file("r.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
        DataFileException e = assertThrows(DataFileException.class,
                () -> CsvReader.read(f, null));
        assertEquals(f + ": row 2 (line 3) has 2 fields, but the header has 3 columns [a, b, c]",
                e.getMessage());
    }

    @Test
    void textInANumericColumnNamesRowAndColumn() throws IOException {
        Path f = file("n.csv", "a,b\n1,2\n3,4\n5,oops\n7,8\n");
        DataFileException e = assertThrows(DataFileException.class,
                () -> CsvReader.read(f, null));
        assertEquals(f + ": row 3 (line 4), column 'b': 'oops' is not a number, but 3 of the"
                + " column's 4 values are; expected a number", e.getMessage());
    }

    @Test
    void missingValuesNameRowAndColumn() throws IOException {
        Path f = file("m.csv", "a,b\n1,2\n3,\n");
        DataFileException e = assertThrows(DataFileException.class,
                () -> CsvReader.read(f, null));
        assertEquals(f + ": row 2 (line 3), column 'b' is missing (''); expected a value in"
                + " every row and column", e.getMessage());
        Path na = file("na.csv", "a,b\n1,NA\n3,4\n");
        e = assertThrows(DataFileException.class, () -> CsvReader.read(na, null));
        assertTrue(e.getMessage().startsWith(na + ": row 1 (line 2), column 'b' is missing"),
                e.getMessage());
    }

    @Test
    void aMissingLabelColumnOneRowAndAMissingFileAreRefused() throws IOException {
        Path f = file("t.csv", TABLE);
        DataFileException e = assertThrows(DataFileException.class,
                () -> CsvReader.read(f, "species"));
        assertEquals(f + ": has no column 'species' for the labels; its columns are [age,"
                + " smoker, colour, member, city, region, label]", e.getMessage());
        Path one = file("one.csv", "a,b\n1,2\n");
        e = assertThrows(DataFileException.class, () -> CsvReader.read(one, null));
        assertEquals(one + ": holds 1 row; expected at least 2 (one to train on and one to"
                + " evaluate)", e.getMessage());
        Path none = dir.resolve("none.csv");
        e = assertThrows(DataFileException.class, () -> CsvReader.read(none, null));
        assertEquals(none + ": no such file", e.getMessage());
        Path empty = file("empty.csv", "");
        e = assertThrows(DataFileException.class, () -> CsvReader.read(empty, null));
        assertTrue(e.getMessage().startsWith(empty + ": empty table"), e.getMessage());
    }
}
