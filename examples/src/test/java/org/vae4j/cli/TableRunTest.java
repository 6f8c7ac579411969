package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vae4j.cli.Cli.Run;
import org.junit.jupiter.api.io.TempDir;

/** A VAE on a mixed-type table through the program: train, then eval on the stored split. */
class TableRunTest {

    @TempDir
    Path tmp;

    /**
     * 2000 rows driven by two latent factors: three correlated numeric columns, a binary and a
     * three-way categorical column that depend on them, an id to ignore and one missing cell.
     */
    private Path mixedTable() throws Exception {
        Random r = new Random(11);
        StringBuilder sb = new StringBuilder("id,a,b,c,flag,colour\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 2000; i++) {
            double f1 = r.nextGaussian();
            double f2 = r.nextGaussian();
            double a = 10 + 3 * f1 + 0.3 * r.nextGaussian();
            double b = -2 * f2 + 0.3 * r.nextGaussian();
            double c = f1 + f2 + 0.3 * r.nextGaussian();
            String flag = f1 + 0.3 * r.nextGaussian() > 0 ? "yes" : "no";
            double[] score = {1.5 * f2, -1.5 * f2, 0};
            int best = 0;
            for (int k = 1; k < 3; k++) {
                best = score[k] + 0.3 * r.nextGaussian() > score[best] ? k : best;
            }
            sb.append(String.format(Locale.ROOT, "%d,%s,%.4f,%.4f,%s,%s%n", i,
                    i == 7 ? "NA" : String.format(Locale.ROOT, "%.4f", a), b, c, flag,
                    colours[best]));
        }
        Path f = tmp.resolve("mixed.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void eachColumnsReconstructionBeatsItsMeanOrMode() throws Exception {
        Path csv = mixedTable();
        Path run = tmp.resolve("run");
        Run t = Cli.run("train", "--out", run.toString(), "--data", csv.toString(),
                "--column-types", "id:ignore", "--missing", "mean", "--hidden", "32",
                "--latent", "4", "--epochs", "15", "--batch-size", "64", "--backend", "ejml");
        Cli.assertOk(t);
        assertTrue(t.out().contains("split: 1800 training and 200 test examples"), t.out());
        assertTrue(t.out().contains("likelihood: per column"), t.out());

        JsonNode card = new ObjectMapper().readTree(run.resolve("data.json").toFile());
        assertEquals("table", card.path("kind").asText());
        assertEquals(5, card.path("columns").size());
        assertEquals("flag", card.path("columns").get(3).path("name").asText());
        assertEquals("binary", card.path("columns").get(3).path("type").asText());
        assertEquals(1800, card.path("counts").path("train").asInt());
        assertEquals(64, card.path("files").get(0).path("sha256").asText().length());
        assertTrue(Files.isRegularFile(run.resolve("preprocessing.json")));
        String metrics = Files.readString(run.resolve("metrics.csv"));
        assertTrue(metrics.contains("train_reconstruction_numeric")
                && metrics.contains("test_reconstruction_categorical"), metrics.lines().findFirst()
                .orElse(""));

        Run e = Cli.run("eval", "--run", run.toString(), "--json", "--iw-samples", "0");
        Cli.assertOk(e);
        JsonNode result = new ObjectMapper().readTree(e.out());
        assertEquals("row", result.path("per").asText());
        assertEquals(200, result.path("test_images").asInt());
        JsonNode columns = result.path("columns");
        assertEquals(5, columns.size());
        for (JsonNode c : columns) {
            double model = c.path("model").asDouble();
            double base = c.path("mean_or_mode").asDouble();
            boolean better = c.path("metric").asText().equals("rmse") ? model < base
                    : model > base;
            assertTrue(better, c.toString());
        }
        Run text = Cli.run("eval", "--run", run.toString(), "--iw-samples", "0");
        Cli.assertOk(text);
        assertTrue(text.out().contains("nats per row"), text.out());
        assertTrue(text.out().contains("mean/mode"), text.out());
    }

    @Test
    void anUnseenCategoryInTheTestDataIsOneErrorAndNothingIsWritten() throws Exception {
        Path train = tmp.resolve("train.csv");
        Files.writeString(train, "x,k\n1,a\n2,b\n3,c\n4,a\n");
        Path test = tmp.resolve("test.csv");
        Files.writeString(test, "x,k\n1,a\n2,z\n");
        Path run = tmp.resolve("run");
        Run r = Cli.run("train", "--out", run.toString(), "--data", train.toString(),
                "--test-data", test.toString(), "--epochs", "1", "--backend", "ejml");
        Cli.assertFailsWith(r, "test.csv", "column 'k'", "category 'z' was not seen in"
                + " training");
        assertFalse(Files.exists(run));
    }

    @Test
    void theSplitIsTheSameOnEveryRunAndRecorded() throws Exception {
        Path csv = mixedTable();
        Run a = Cli.run("train", "--out", tmp.resolve("a").toString(), "--data", csv.toString(),
                "--column-types", "id:ignore", "--missing", "mean", "--test-fraction", "0.25",
                "--split-seed", "5", "--epochs", "1", "--backend", "ejml");
        Cli.assertOk(a);
        Run b = Cli.run("train", "--out", tmp.resolve("b").toString(), "--data", csv.toString(),
                "--column-types", "id:ignore", "--missing", "mean", "--test-fraction", "0.25",
                "--split-seed", "5", "--epochs", "1", "--backend", "ejml", "--seed", "9");
        Cli.assertOk(b);
        assertEquals(Files.readString(tmp.resolve("a").resolve("preprocessing.json")),
                Files.readString(tmp.resolve("b").resolve("preprocessing.json")));
        assertTrue(RunFolder.open(tmp.resolve("a")).config().dataset()
                .contains("test-fraction=0.25&split-seed=5"));
        JsonNode card = new ObjectMapper().readTree(tmp.resolve("a").resolve("data.json")
                .toFile());
        assertEquals(500, card.path("counts").path("test").asInt());
        assertEquals(5, card.path("split").path("seed").asInt());
    }
}
