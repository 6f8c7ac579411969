package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * The AE and DAE on the same table: per-column losses from the stored schema, each group's
     * term logged, and each column's reconstruction beats predicting its mean or mode.
     */
    @Test
    void theAutoencodersUsePerColumnLossesAndBeatTheMeanOrMode() throws Exception {
        Path csv = mixedTable();
        for (String model : new String[] {"ae", "dae"}) {
            Path run = tmp.resolve(model);
            Run t = Cli.run("train", "--model", model, "--out", run.toString(), "--data",
                    csv.toString(), "--column-types", "id:ignore", "--missing", "mean",
                    "--hidden", "32", "--latent", "4", "--epochs", "15", "--batch-size", "64",
                    "--backend", "ejml");
            Cli.assertOk(t);
            assertTrue(t.out().contains("loss: per column"), t.out());
            assertEquals("n,n,n,b,c3", RunFolder.open(run).config().modelConfig()
                    .getString("table-columns", ""));
            String header = Files.readString(run.resolve("metrics.csv")).lines().findFirst()
                    .orElse("");
            assertTrue(header.contains("train_reconstruction_numeric")
                    && header.contains("train_reconstruction_binary")
                    && header.contains("test_reconstruction_categorical"), header);

            Run e = Cli.run("eval", "--run", run.toString(), "--json");
            Cli.assertOk(e);
            JsonNode columns = new ObjectMapper().readTree(e.out()).path("columns");
            assertEquals(5, columns.size());
            for (JsonNode c : columns) {
                double fit = c.path("model").asDouble();
                double base = c.path("mean_or_mode").asDouble();
                boolean better = c.path("metric").asText().equals("rmse") ? fit < base
                        : fit > base;
                assertTrue(better, model + ": " + c);
            }
        }
    }

    /**
     * {@code score} on a table names the columns: a row whose column {@code b} is far off is
     * scored with {@code b} as its top feature, and each row's column contributions (one-hot
     * blocks summed) add up to its score; for the AE's squared error and for the VAE's
     * per-column likelihood terms ({@code reconstruction-probability}).
     */
    @Test
    void scoreNamesTheColumnThatMadeARowAnomalous() throws Exception {
        Path csv = mixedTable();
        List<String> lines = Files.readAllLines(csv);
        StringBuilder fresh = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 100; i < 120; i++) {
            String line = lines.get(i);
            if (i == 105) {
                String[] f = line.split(",");
                f[2] = "40.0"; // column b: about 20 standard deviations off
                line = String.join(",", f);
            }
            fresh.append(line).append('\n');
        }
        Path data = tmp.resolve("new.csv");
        Files.writeString(data, fresh.toString());
        for (String[] m : new String[][] {{"ae", "reconstruction-error"},
                {"vae", "reconstruction-probability"}}) {
            Path run = tmp.resolve(m[0]);
            Cli.assertOk(Cli.run("train", "--model", m[0], "--out", run.toString(), "--data",
                    csv.toString(), "--column-types", "id:ignore", "--missing", "mean",
                    "--hidden", "32", "--latent", "4", "--epochs", "8", "--batch-size", "64",
                    "--backend", "ejml"));
            Path out = tmp.resolve(m[0] + "-scores.csv");
            Cli.assertOk(Cli.run("score", "--run", run.toString(), "--data", data.toString(),
                    "--score", m[1], "--out", out.toString(), "--top", "5"));
            List<String> rows = Files.readAllLines(out);
            assertEquals("row,score,top_features", rows.get(0));
            assertEquals(21, rows.size());
            int worst = -1;
            double worstScore = Double.NEGATIVE_INFINITY;
            for (int r = 1; r < rows.size(); r++) {
                String[] f = rows.get(r).split(",");
                double score = Double.parseDouble(f[1]);
                double sum = 0;
                for (String part : f[2].split(" ")) {
                    String name = part.substring(0, part.indexOf(':'));
                    assertTrue(List.of("a", "b", "c", "flag", "colour").contains(name), part);
                    sum += Double.parseDouble(part.substring(part.indexOf(':') + 1));
                }
                assertEquals(score, sum, 1e-3 * Math.max(1, Math.abs(score)),
                        m[1] + ": " + rows.get(r));
                if (score > worstScore) {
                    worstScore = score;
                    worst = r;
                }
            }
            assertEquals(6, worst, m[1] + ": the changed row is the sixth record");
            assertTrue(rows.get(worst).split(",")[2].startsWith("b:"), rows.get(worst));
        }
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
