package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {

    @TempDir
    Path tmp;

    private Path csv(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void standardisationIsFittedOnTheTrainingRowsOnly() throws IOException {
        Path f = csv("t.csv", "x,c\n1,a\n2,b\n3,a\n1000,b\n");
        CsvReader.Raw raw = CsvReader.readRaw(f);
        int[] train = {0, 1, 2};
        Preprocessing p = Preprocessing.fitTable(raw, train, null, Map.of(),
                Preprocessing.Missing.ERROR);
        assertEquals(2.0, p.mean(0), 1e-12);
        assertEquals(Math.sqrt(2.0 / 3), p.std(0), 1e-12);
        Dataset test = p.apply(raw, new int[] {3});
        assertEquals((float) ((1000 - 2) / Math.sqrt(2.0 / 3)), test.row(0)[0], 1e-3);
        assertEquals(2, test.features());
        assertEquals(1f, test.row(0)[1], 0f);
        assertEquals(1000.0, p.originalUnits(0, test.row(0)[0]), 1e-3);
    }

    @Test
    void aCategoryUnseenInTrainingIsAnErrorNamingColumnAndValue() throws IOException {
        Path f = csv("t.csv", "x,colour\n1,red\n2,blue\n3,green\n4,yellow\n");
        CsvReader.Raw raw = CsvReader.readRaw(f);
        Preprocessing p = Preprocessing.fitTable(raw, new int[] {0, 1, 3}, null, Map.of(),
                Preprocessing.Missing.ERROR);
        var e = assertThrows(DataFileException.class, () -> p.apply(raw, new int[] {2}));
        assertTrue(e.getMessage().contains("column 'colour'"), e.getMessage());
        assertTrue(e.getMessage().contains("category 'green' was not seen in training"),
                e.getMessage());
        assertTrue(e.getMessage().contains("row 3"), e.getMessage());
    }

    @Test
    void aMissingColumnIsAnErrorNamingIt() throws IOException {
        CsvReader.Raw raw = CsvReader.readRaw(csv("a.csv", "x,y\n1,2\n3,4\n"));
        Preprocessing p = Preprocessing.fitTable(raw, new int[] {0, 1}, null, Map.of(),
                Preprocessing.Missing.ERROR);
        Path other = csv("b.csv", "x,z\n1,2\n3,4\n");
        var e = assertThrows(DataFileException.class, () -> p.apply(other));
        assertTrue(e.getMessage().contains("has no column 'y'"), e.getMessage());
    }

    @Test
    void missingValuesAreAnErrorOrDroppedOrFilledWithTheTrainingMean() throws IOException {
        Path f = csv("m.csv", "x,k\n1,a\nNA,b\n3,b\n5,\n");
        CsvReader.Raw raw = CsvReader.readRaw(f);
        int[] all = {0, 1, 2, 3};
        Preprocessing strict = Preprocessing.fitTable(raw, all, null, Map.of(),
                Preprocessing.Missing.ERROR);
        var e = assertThrows(DataFileException.class, () -> strict.apply(raw, all));
        assertTrue(e.getMessage().contains("row 2 (line 3), column 'x' is missing ('NA')"),
                e.getMessage());

        int[] kept = Preprocessing.usableRows(raw, Preprocessing.Missing.DROP, null, Map.of());
        assertArrayEquals(new int[] {0, 2}, kept);
        Preprocessing dropped = Preprocessing.fitTable(raw, kept, null, Map.of(),
                Preprocessing.Missing.DROP);
        assertEquals(2, dropped.apply(raw, kept).size());
        assertEquals(2.0, dropped.mean(0), 1e-12);

        Preprocessing filled = Preprocessing.fitTable(raw, all, null, Map.of(),
                Preprocessing.Missing.MEAN);
        assertEquals(3.0, filled.mean(0), 1e-12);
        Dataset d = filled.apply(raw, all);
        assertEquals(0f, d.row(1)[0], 0f);
        // k is binary (a, b) with mode b (two of three values): the empty cell becomes b = 1.
        assertEquals(1f, d.row(3)[1], 0f);
    }

    @Test
    void columnTypesCanBeOverriddenOrIgnored() throws IOException {
        Path f = csv("c.csv", "zip,id,v\n10,1,0.5\n20,2,0.1\n30,3,0.7\n10,4,0.2\n");
        CsvReader.Raw raw = CsvReader.readRaw(f);
        Preprocessing p = Preprocessing.fitTable(raw, new int[] {0, 1, 2, 3}, null,
                Preprocessing.ColumnType.parseList("zip:categorical,id:ignore"),
                Preprocessing.Missing.ERROR);
        assertEquals(List.of("zip", "v"), p.schema().columns().stream()
                .map(TableSchema.Column::name).toList());
        assertEquals(TableSchema.Kind.CATEGORICAL, p.schema().columns().get(0).kind());
        assertEquals(4, p.schema().width());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.ColumnType.parseList("zip:text"));
        assertTrue(e.getMessage().contains("type 'text' of column 'zip'"), e.getMessage());
    }

    @Test
    void aConstantColumnKeepsStdOneAndSaysSo() throws IOException {
        CsvReader.Raw raw = CsvReader.readRaw(csv("k.csv", "x,y\n4,1\n4,2\n4,3\n"));
        Preprocessing p = Preprocessing.fitTable(raw, new int[] {0, 1, 2}, null, Map.of(),
                Preprocessing.Missing.ERROR);
        assertEquals(1.0, p.std(0), 0);
        assertTrue(p.notes().get(0).contains("column 'x' is constant"), p.notes().toString());
    }

    @Test
    void savedAndLoadedPreprocessingEncodesTheSame() throws IOException {
        Path f = csv("s.csv", "x,c,b,y\n1.5,a,yes,p\n2,b,no,q\n-3,c,yes,p\n");
        CsvReader.Raw raw = CsvReader.readRaw(f);
        int[] all = {0, 1, 2};
        Preprocessing p = Preprocessing.fitTable(raw, all, "y", Map.of(),
                Preprocessing.Missing.MEAN);
        Path saved = tmp.resolve(Preprocessing.FILE);
        p.save(saved);
        Preprocessing q = Preprocessing.load(saved);
        assertEquals(p, q);
        assertArrayEquals(p.apply(raw, all).rows(0, 3), q.apply(f).rows(0, 3));
        assertArrayEquals(p.apply(raw, all).labels(), q.apply(f).labels());
    }
}
