package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.anomaly.Threshold;
import org.vae4j.cli.Cli.Run;

/** calibrate and score on a quick AE and VAE run: complete, atomic output and clear errors. */
class ScoreCommandTest {

    @TempDir
    static Path shared;

    static Path ae;
    static Path vae;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() {
        ae = shared.resolve("ae");
        vae = shared.resolve("vae");
        Cli.assertOk(Cli.quickTrain(ae, "--model", "ae"));
        Cli.assertOk(Cli.quickTrain(vae));
    }

    @Test
    void theCsvHasExactlyOneRowPerRecordAcrossSeveralBatches() throws Exception {
        // 1,234 records: two whole batches of 500 and a partial one
        Path out = tmp.resolve("s.csv");
        Run r = Cli.run("score", "--run", ae.toString(), "--limit", "1234", "--out",
                out.toString(), "--top", "2", "--threshold", "20", "--backend", "ejml");
        Cli.assertOk(r);
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,score,flagged,top_features", lines.get(0));
        assertEquals(1235, lines.size());
        Set<Integer> rows = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(4, f.length, line);
            rows.add(Integer.parseInt(f[0]));
            double s = Double.parseDouble(f[1]);
            assertTrue(s >= 0, line);
            assertEquals(s > 20, Boolean.parseBoolean(f[2]), line);
            assertEquals(2, f[3].split(" ").length, line);
        }
        assertEquals(1234, rows.size(), "no row lost or duplicated");
        assertTrue(rows.contains(0) && rows.contains(1233));
        assertTrue(r.out().contains("1234 records"), r.out());
    }

    @Test
    void anExistingOutputIsRefusedWithoutForce() throws Exception {
        Path out = tmp.resolve("s.csv");
        Files.writeString(out, "keep me");
        Cli.assertFailsWith(Cli.run("score", "--run", ae.toString(), "--limit", "10", "--out",
                out.toString(), "--backend", "ejml"), "exists", "--force");
        assertEquals("keep me", Files.readString(out));
        Cli.assertOk(Cli.run("score", "--run", ae.toString(), "--limit", "10", "--out",
                out.toString(), "--backend", "ejml", "--force"));
        assertEquals(11, Files.readAllLines(out).size());
    }

    @Test
    void calibrateStoresTheQuantileAndScoreFlagsWithIt() throws Exception {
        Path run = tmp.resolve("vae-copy");
        copyRun(vae, run);
        Run c = Cli.run("calibrate", "--run", run.toString(), "--limit", "600",
                "--contamination", "0.1", "--samples", "2", "--backend", "ejml");
        Cli.assertOk(c);
        Threshold t = Threshold.load(run);
        assertEquals("elbo", t.score());
        assertEquals(0.9, t.quantile(), 1e-12);
        assertEquals(600, t.count());
        Path out = tmp.resolve("s.jsonl");
        Cli.assertOk(Cli.run("score", "--run", run.toString(), "--limit", "600", "--json",
                "--out", out.toString(), "--backend", "ejml"));
        List<String> lines = Files.readAllLines(out);
        assertEquals(600, lines.size());
        int flagged = 0;
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            if (n.get("flagged").asBoolean()) {
                flagged++;
            }
        }
        // the same records, draws and seed as the calibration: 10 % of 600 lie above it
        assertEquals(60, flagged);
    }

    @Test
    void badInputGivesOneClearError() {
        Cli.assertFailsWith(Cli.run("score", "--run", ae.toString(), "--score", "elbo",
                "--limit", "5", "--out", tmp.resolve("x.csv").toString(), "--backend", "ejml"),
                "ae has no score 'elbo'", "reconstruction-error");
        Cli.assertFailsWith(Cli.run("calibrate", "--run", ae.toString(), "--contamination", "2",
                "--backend", "ejml"), "strictly between 0 and 1");
        assertTrue(!Files.exists(tmp.resolve("x.csv")));
    }

    @Test
    void evalWithNormalClassesReportsAucAndApAndDrawsBothPictures() throws Exception {
        Path run = tmp.resolve("ae-copy");
        copyRun(ae, run);
        Cli.assertOk(Cli.run("calibrate", "--run", run.toString(), "--normal-classes", "1",
                "--limit", "1000", "--backend", "ejml"));
        Run r = Cli.run("eval", "--run", run.toString(), "--limit", "1000", "--iw-samples", "0",
                "--normal-classes", "1", "--json", "--backend", "ejml");
        Cli.assertOk(r);
        JsonNode a = new ObjectMapper().readTree(r.out()).get("anomaly");
        assertEquals("reconstruction-error", a.get("score").asText());
        // the first 1,000 MNIST test images hold 126 ones
        assertEquals(126, a.get("normal").asInt());
        assertEquals(874, a.get("anomalous").asInt());
        // the quick run is barely trained, so its AUC says little; it must be the AUC of the
        // scores 'score' writes against the labels
        Path csv = tmp.resolve("s.csv");
        Cli.assertOk(Cli.run("score", "--run", run.toString(), "--limit", "1000", "--out",
                csv.toString(), "--backend", "ejml"));
        List<String> lines = Files.readAllLines(csv);
        org.vae4j.data.Dataset test = org.vae4j.data.Mnist.test().take(1000);
        float[] scores = new float[1000];
        boolean[] anomalous = new boolean[1000];
        for (int i = 0; i < 1000; i++) {
            scores[i] = Float.parseFloat(lines.get(i + 1).split(",")[1]);
            anomalous[i] = test.label(i) != 1;
        }
        assertEquals(org.vae4j.anomaly.AnomalyMetrics.rocAuc(scores, anomalous),
                a.get("roc_auc").asDouble(), 1e-9);
        assertEquals(org.vae4j.anomaly.AnomalyMetrics.averagePrecision(scores, anomalous),
                a.get("average_precision").asDouble(), 1e-9);
        assertTrue(a.has("f1") && a.has("precision") && a.has("recall"));
        Cli.assertPng(run.resolve("roc.png"));
        Cli.assertPng(run.resolve("scores.png"));
        Run table = Cli.run("eval", "--run", run.toString(), "--limit", "1000",
                "--iw-samples", "0", "--normal-classes", "1", "--backend", "ejml");
        Cli.assertOk(table);
        assertTrue(table.out().contains("ROC AUC") && table.out().contains("F1"), table.out());
    }

    @Test
    void evalRefusesLabelsOfOneClassAndALabelFileOfTheWrongLength() throws Exception {
        Path labels = tmp.resolve("labels.txt");
        Files.writeString(labels, "0\n".repeat(20));
        Cli.assertFailsWith(Cli.run("eval", "--run", ae.toString(), "--limit", "20",
                "--iw-samples", "0", "--anomaly-labels", labels.toString(), "--backend", "ejml"),
                "all normal", "undefined");
        Cli.assertFailsWith(Cli.run("eval", "--run", ae.toString(), "--limit", "21",
                "--iw-samples", "0", "--anomaly-labels", labels.toString(), "--backend", "ejml"),
                "20 labels", "21 examples");
    }

    @Test
    void trainCanCalibrateAtTheEnd() throws Exception {
        Path run = tmp.resolve("calibrated");
        Cli.assertOk(Cli.quickTrain(run, "--model", "ae", "--limit", "300", "--calibrate",
                "0.2"));
        Threshold t = Threshold.load(run);
        assertEquals("reconstruction-error", t.score());
        assertEquals(0.8, t.quantile(), 1e-12);
        assertEquals(10_000, t.count());
        Cli.assertFailsWith(Cli.quickTrain(tmp.resolve("x"), "--calibrate", "1"),
                "--calibrate must lie strictly between 0 and 1");
    }

    @Test
    void theOneClassBenchmarkPrintsAnAucPerClassAndTheMean() {
        Run r = Cli.run("benchmark", "one-class", "--model", "ae", "--classes", "1",
                "--epochs", "1", "--hidden", "16", "--latent", "4", "--backend", "ejml");
        Cli.assertOk(r);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(1).contains("reconstruction-error"), r.out());
        String[] one = lines.get(2).trim().split("\\s+");
        assertEquals("1", one[0]);
        double auc = Double.parseDouble(one[1]);
        // one epoch of a 784-16-4 AE on the ones: measured 0.80, better than chance
        assertTrue(auc > 0.6 && auc <= 1, r.out());
        assertEquals("mean", lines.get(3).trim().split("\\s+")[0]);
        assertEquals(auc, Double.parseDouble(lines.get(3).trim().split("\\s+")[1]), 1e-4);
        Cli.assertFailsWith(Cli.run("benchmark", "one-class", "--classes", "12",
                "--backend", "ejml"), "class 12");
    }

    @Test
    void theOneClassBenchmarkHasThePcaBaseline() {
        Run r = Cli.run("benchmark", "one-class", "--model", "pca", "--classes", "1",
                "--latent", "4", "--backend", "ejml");
        Cli.assertOk(r);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains("4 components"), r.out());
        assertTrue(lines.get(1).contains("reconstruction-error"), r.out());
        String[] one = lines.get(2).trim().split("\\s+");
        assertEquals("1", one[0]);
        double auc = Double.parseDouble(one[1]);
        // four components of the ones leave the other digits far off: measured 0.99
        assertTrue(auc > 0.9 && auc <= 1, r.out());
        Cli.assertFailsWith(Cli.run("benchmark", "one-class", "--model", "pca", "--hidden", "8",
                "--backend", "ejml"), "--hidden does not apply to pca");
    }

    static void copyRun(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }
}
