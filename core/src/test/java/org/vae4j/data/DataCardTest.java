package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCardTest {

    @TempDir
    Path tmp;

    @Test
    void theCardNamesSourceColumnsCountsSplitAndTheFilesDigest() throws Exception {
        String text = "x,c,y\n1,a,p\n2,b,q\n3,c,p\n4,a,q\n5,b,p\n";
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, text);
        CsvReader.Raw raw = CsvReader.readRaw(f);
        Split split = Split.of("t", 5, 0.4, 3);
        Preprocessing p = Preprocessing.fitTable(raw, split.train(), "y", Map.of(),
                Preprocessing.Missing.ERROR);
        Dataset train = p.apply(raw, split.train());
        Dataset test = p.apply(raw, split.test());
        JsonNode card = new ObjectMapper().readTree(DataCard.toJson(f.toString(), "table",
                train, test, p, split, List.of(f)));
        assertEquals(f.toString(), card.path("source").asText());
        assertEquals("table", card.path("kind").asText());
        assertEquals(1 + train.features() - 1, card.path("example_shape").get(0).asInt());
        assertEquals("x", card.path("columns").get(0).path("name").asText());
        assertEquals("numeric", card.path("columns").get(0).path("type").asText());
        assertEquals("categorical", card.path("columns").get(1).path("type").asText());
        assertEquals("y", card.path("label_column").asText());
        assertEquals("[\"p\",\"q\"]", card.path("label_names").toString());
        assertEquals(3, card.path("counts").path("train").asInt());
        assertEquals(2, card.path("counts").path("test").asInt());
        assertEquals(0.4, card.path("split").path("test_fraction").asDouble(), 0);
        assertEquals(3, card.path("split").path("seed").asLong());
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(f)));
        assertEquals(expected, card.path("files").get(0).path("sha256").asText());
    }
}
