package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.data.Mnist;
import org.vae4j.io.Safetensors;
import org.vae4j.model.Model;
import org.vae4j.model.Reconstructor;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.TensorScope;

class CompareCommandTest {

    private static final int TEST_IMAGES = 200;

    @TempDir
    Path tmp;

    private static Run compare(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("compare", "--out", out.toString()));
        String[] quick = {"--limit", "256", "--test-limit", String.valueOf(TEST_IMAGES),
            "--epochs", "1", "--hidden", "32", "--latent", "4", "--backend", "ejml",
            "--iw-samples", "5", "--draws", "100"};
        List<String> given = List.of(more);
        for (int i = 0; i < quick.length; i += 2) {
            if (!given.contains(quick[i])) {
                args.add(quick[i]);
                args.add(quick[i + 1]);
            }
        }
        args.addAll(given);
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void tableHasARowPerModelWithItsCapabilitiesFigures() throws Exception {
        Path out = tmp.resolve("cmp");
        Run r = compare(out, "--models", "ae,vae,cvae");
        Cli.assertOk(r);
        List<String> csv = Files.readAllLines(out.resolve(CompareCommand.CSV));
        assertEquals("model,squared_error,negative_elbo,iw_nll,sample_quality,classes_covered,kl,"
                + "active_units,"
                + "latent,parameters,train_seconds,error", csv.get(0));
        assertEquals(4, csv.size(), csv.toString());
        JsonNode root = new ObjectMapper().readTree(out.resolve(CompareCommand.JSON).toFile());
        assertEquals(1, root.get("settings").get("epochs").asInt());
        assertEquals(TEST_IMAGES, root.get("settings").get("test_examples").asInt());
        JsonNode rows = root.get("rows");
        assertEquals(List.of("ae", "vae", "cvae"), List.of(rows.get(0).get("model").asText(),
                rows.get(1).get("model").asText(), rows.get(2).get("model").asText()));
        JsonNode ae = rows.get(0);
        assertTrue(ae.get("squared_error").asDouble() > 0);
        assertTrue(ae.get("negative_elbo").isNull(), "an AE has no likelihood");
        assertTrue(ae.get("iw_nll").isNull());
        assertTrue(ae.get("sample_quality").isNull(), "an AE does not sample");
        assertTrue(ae.get("active_units").isNull(), "an AE has no Gaussian posterior");
        for (JsonNode vae : List.of(rows.get(1), rows.get(2))) {
            assertTrue(vae.get("error").isNull(), vae.toString());
            double elbo = vae.get("negative_elbo").asDouble();
            double nll = vae.get("iw_nll").asDouble();
            assertTrue(nll > 0 && nll <= elbo + 1, "IW NLL " + nll + " vs -ELBO " + elbo);
            double q = vae.get("sample_quality").asDouble();
            assertTrue(q >= 0 && q <= 1, "share " + q);
            int covered = vae.get("classes_covered").asInt();
            assertTrue(covered >= 0 && covered <= 10, "classes " + covered);
            int active = vae.get("active_units").asInt();
            assertTrue(active >= 0 && active <= 4, "active units " + active);
            assertEquals(4, vae.get("latent").asInt());
            assertTrue(vae.get("kl").asDouble() >= 0);
        }
        for (JsonNode row : rows) {
            assertTrue(row.get("parameters").asLong() > 0);
            assertTrue(row.get("train_seconds").asDouble() > 0);
            assertTrue(Files.isRegularFile(out.resolve(row.get("model").asText())
                    .resolve("model.safetensors")), "each model's run folder");
        }
        String md = Files.readString(out.resolve(CompareCommand.MARKDOWN));
        assertTrue(r.out().contains(md.trim()), "the same table on stdout");
        assertEquals(2 + 3, md.lines().filter(l -> l.startsWith("|")).count(), md);
        assertTrue(md.lines().skip(2).findFirst().orElseThrow().startsWith("| ae |"), md);
        assertTrue(md.contains("—"), "undefined figures are dashes");
        assertFalse(md.contains("| error |"), "no error column when nothing failed");
    }

    @Test
    void aesFiguresMatchAnIndependentComputation() throws Exception {
        Path out = tmp.resolve("cmp");
        Cli.assertOk(compare(out, "--models", "ae"));
        JsonNode row = new ObjectMapper().readTree(out.resolve(CompareCommand.JSON).toFile())
                .get("rows").get(0);
        Path run = out.resolve("ae");
        // parameters: the sizes of the tensors stored in the weights file
        long stored = 0;
        for (var t : Safetensors.read(run.resolve("model.safetensors")).tensors().values()) {
            stored += t.shape().size();
        }
        assertEquals(stored, row.get("parameters").asLong());
        // squared error: the same test images reconstructed by the saved weights, summed here
        Backend backend = Backends.get("ejml");
        Dataset test = Mnist.test().take(TEST_IMAGES);
        double sum = 0;
        try (Model m = RunFolder.open(run).loadModel(new ModelRegistryModule.ServiceLoaderRegistry(),
                backend);
             DataLoader loader = DataLoader.builder(test, backend).setBatchSize(64).build()) {
            for (int b = 0; b < loader.batchesPerEpoch(); b++) {
                try (TensorScope scope = backend.newScope()) {
                    var batch = loader.batch(0, b);
                    float[] x = batch.x().toArray();
                    float[] y = ((Reconstructor) m).reconstruct(batch).toArray();
                    for (int i = 0; i < x.length; i++) {
                        double e = (double) x[i] - y[i];
                        sum += e * e;
                    }
                }
            }
        }
        assertEquals(sum / TEST_IMAGES, row.get("squared_error").asDouble(),
                1e-4 * sum / TEST_IMAGES);
    }

    @Test
    void aModelThatFailsShowsItsErrorInItsRow() throws Exception {
        Path out = tmp.resolve("cmp");
        // a conditional model asked for on data without labels
        Run r = compare(out, "--models", "ae,cvae", "--data",
                unlabelled().toString());
        assertEquals(1, r.status(), r.err());
        List<String> csv = Files.readAllLines(out.resolve(CompareCommand.CSV));
        assertEquals(3, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("ae,") && csv.get(1).endsWith(","), csv.get(1));
        assertTrue(csv.get(2).startsWith("cvae,") && csv.get(2).contains("label"), csv.get(2));
        assertTrue(r.err().contains("1 of 2 models failed"), r.err());
        assertTrue(Files.readString(out.resolve(CompareCommand.MARKDOWN)).contains("| error |"));
    }

    @Test
    void theDefaultListLeavesOutConditionalModelsOnUnlabelledData() throws Exception {
        Path out = tmp.resolve("cmp");
        Run r = compare(out, "--data", unlabelled().toString());
        Cli.assertOk(r);
        List<String> csv = Files.readAllLines(out.resolve(CompareCommand.CSV));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("vae,")), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("vq-vae,")), csv.toString());
        assertFalse(csv.stream().anyMatch(l -> l.startsWith("cvae,")), csv.toString());
        assertTrue(r.out().contains("note: cvae is left out"), r.out());
        assertTrue(r.out().contains("vq-vae has no setting 'latent'"), r.out());
    }

    @Test
    void sampleQualityIsTheShareWithinTheRadiusOfNinetyPercentOfTestExamples() {
        // class means (0, 0) and (10, 0) from four training points
        Dataset train = Dataset.of("train", new float[] {-1, 0, 1, 0, 9, 0, 11, 0}, 2,
                new int[] {0, 0, 1, 1}, 2);
        // distances to their own class mean: 1..10; the 90 % radius is the 9th smallest, 9
        float[] test = new float[20];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            test[2 * i + 1] = i + 1;
            test[2 * i] = i % 2 == 0 ? 0 : 10;
            labels[i] = i % 2;
        }
        SampleQuality q = SampleQuality.fit(train, Dataset.of("test", test, 2, labels, 2));
        assertEquals(9.0, q.radius(), 1e-12);
        // (0, 8.9) passes near class 0; (5, 8) is 9.43 from both; (10, -9) passes near class 1
        SampleQuality.Result r = q.check(new float[] {0, 8.9f, 5, 8, 10, -9, 0, 3}, 2);
        assertEquals(0.75, r.passRate(), 1e-12);
        assertEquals(2, r.classesCovered());
        assertEquals(1, q.check(new float[] {0, 1, 1, 1}, 2).classesCovered());
    }

    @Test
    void badInputIsOneClearErrorAndWritesNothing() {
        Path out = tmp.resolve("cmp");
        Cli.assertFailsWith(compare(out, "--models", "ae,nope"), "unknown model 'nope'",
                "known models:", "vae");
        Cli.assertFailsWith(compare(out, "--models", ""), "--models is empty", "vae");
        Cli.assertFailsWith(compare(out, "--models", "ae,,vae"), "empty name");
        Cli.assertFailsWith(compare(out, "--models", "vae,VAE"), "'vae' twice");
        Cli.assertFailsWith(compare(out, "--models", "ae", "--latent", "0"), "--latent");
        Cli.assertFailsWith(compare(out, "--models", "ae", "--arch", "rnn"),
                "--arch must be mlp or conv");
        Cli.assertFailsWith(compare(out, "--models", "ae", "--draws", "0"), "--draws");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void anEarlierComparisonIsReplacedOnlyWithForce() throws Exception {
        Path out = tmp.resolve("cmp");
        Cli.assertOk(compare(out, "--models", "ae"));
        String before = Files.readString(out.resolve(CompareCommand.CSV));
        Cli.assertFailsWith(compare(out, "--models", "ae"), "already holds a comparison",
                "--force");
        assertEquals(before, Files.readString(out.resolve(CompareCommand.CSV)));
        Cli.assertOk(compare(out, "--models", "ae", "--force"));
        Files.writeString(tmp.resolve("other.txt"), "x");
        Cli.assertFailsWith(compare(tmp, "--models", "ae"), "not a comparison's");
    }

    /** 300 MNIST training images as an unlabelled .npy file. */
    private Path unlabelled() throws Exception {
        Dataset d = Mnist.train().take(300);
        float[] rows = d.rows(0, d.size());
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = rows[i];
        }
        return DataSourcesTest.npy(tmp.resolve("digits.npy"), "<f4",
                new int[] {d.size(), d.features()}, values);
    }
}
