package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;

/** eval, sample, reconstruct, interpolate and embed on runs trained once for the class. */
class RunCommandsTest {

    @TempDir
    static Path shared;

    static Path vae;
    static Path ae;
    static Path cvae;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() {
        vae = shared.resolve("vae");
        ae = shared.resolve("ae");
        cvae = shared.resolve("cvae");
        Cli.assertOk(Cli.quickTrain(vae));
        Cli.assertOk(Cli.quickTrain(ae, "--model", "ae"));
        Cli.assertOk(Cli.quickTrain(cvae, "--model", "cvae"));
    }

    @Test
    void evalJsonParsesAndHoldsTheVaeMeasures() throws Exception {
        Run r = Cli.run("eval", "--run", vae.toString(), "--json", "--backend", "ejml",
                "--limit", "500", "--iw-samples", "5");
        Cli.assertOk(r);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("vae", json.get("model").asText());
        assertEquals(500, json.get("test_images").asInt());
        double rec = json.get("reconstruction").asDouble();
        double kl = json.get("kl").asDouble();
        assertEquals(rec + kl, json.get("negative_elbo").asDouble(), 1e-9);
        assertTrue(kl >= 0, "KL is never negative: " + kl);
        double iw = json.get("iw_nll").asDouble();
        assertTrue(iw > 0 && iw < 1000, "IW NLL in nats per image: " + iw);
        assertEquals(5, json.get("iw_samples").asInt());
        assertTrue(json.get("mse_per_pixel").asDouble() > 0);
        assertTrue(json.get("terms").has("loss"));
    }

    @Test
    void evalTableNamesEachMeasure() {
        Run r = Cli.run("eval", "--run", vae.toString(), "--backend", "ejml", "--limit", "200",
                "--iw-samples", "2");
        Cli.assertOk(r);
        for (String row : new String[] {"reconstruction", "KL", "negative ELBO",
            "IW NLL (K=2)", "squared error", "MSE per pixel"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(row)), row + " in:\n" + r.out());
        }
    }

    @Test
    void evalOfAnAutoencoderHasNoLikelihoodRows() throws Exception {
        Run r = Cli.run("eval", "--run", ae.toString(), "--backend", "ejml", "--limit", "200",
                "--json");
        Cli.assertOk(r);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertFalse(json.has("kl"));
        assertFalse(json.has("iw_nll"));
        // the AE's objective is the summed squared error, so the two measures agree
        assertEquals(json.get("reconstruction").asDouble(),
                json.get("squared_error_per_image").asDouble(), 1e-2);
    }

    @Test
    void sampleWritesAGridOfTheRequestedSize() throws Exception {
        Path out = tmp.resolve("s.png");
        Run r = Cli.run("sample", "--run", vae.toString(), "--out", out.toString(), "--n", "16",
                "--backend", "ejml");
        Cli.assertOk(r);
        assertTrue(r.out().contains("wrote " + out), r.out());
        BufferedImage img = Cli.assertPng(out);
        assertTrue(img.getWidth() >= 4 * 56 && img.getWidth() < 6 * 60, "4 columns: "
                + img.getWidth());
    }

    @Test
    void sampleDefaultsToAFileInTheRunFolder() throws Exception {
        Cli.assertOk(Cli.run("sample", "--run", vae.toString(), "--backend", "ejml"));
        Cli.assertPng(vae.resolve("sample.png"));
    }

    @Test
    void conditionalSamplingTakesALabel() throws Exception {
        Path out = tmp.resolve("sevens.png");
        Cli.assertOk(Cli.run("sample", "--run", cvae.toString(), "--label", "7", "--n", "8",
                "--out", out.toString(), "--backend", "ejml"));
        Cli.assertPng(out);
        Cli.assertFailsWith(Cli.run("sample", "--run", cvae.toString(), "--label", "10",
                "--backend", "ejml"), "--label must be a class in 0..9");
    }

    @Test
    void reconstructPutsOriginalsAboveReconstructions() throws Exception {
        Path out = tmp.resolve("r.png");
        Cli.assertOk(Cli.run("reconstruct", "--run", ae.toString(), "--out", out.toString(),
                "--n", "20", "--backend", "ejml"));
        BufferedImage img = Cli.assertPng(out);
        assertTrue(img.getHeight() > 4 * 56, "two pairs of rows: " + img.getHeight());
    }

    @Test
    void interpolateWritesOneRowPerPairWithTheOriginalsAtTheEnds() throws Exception {
        Path out = tmp.resolve("i.png");
        Cli.assertOk(Cli.run("interpolate", "--run", vae.toString(), "--out", out.toString(),
                "--n", "3", "--steps", "6", "--backend", "ejml"));
        BufferedImage img = Cli.assertPng(out);
        assertTrue(img.getWidth() >= 8 * 56, "6 steps and 2 originals: " + img.getWidth());
        Path cOut = tmp.resolve("ci.png");
        Cli.assertOk(Cli.run("interpolate", "--run", cvae.toString(), "--out", cOut.toString(),
                "--n", "2", "--label", "3", "--backend", "ejml"));
        Cli.assertPng(cOut);
    }

    @Test
    void embedPlotsTheTestSetsLatentCodes() throws Exception {
        Path out = tmp.resolve("e.png");
        Run r = Cli.run("embed", "--run", vae.toString(), "--out", out.toString(), "--limit",
                "1000", "--backend", "ejml");
        Cli.assertOk(r);
        assertTrue(r.out().contains("1000 latent codes, 4-D projected on 2 principal"
                + " components"), r.out());
        Cli.assertPng(out);
    }

    @Test
    void picturesOfTheRunDoNotChangeItsWeights() throws Exception {
        byte[] before = Files.readAllBytes(vae.resolve("model.safetensors"));
        Cli.assertOk(Cli.run("reconstruct", "--run", vae.toString(), "--out",
                tmp.resolve("x.png").toString(), "--backend", "ejml"));
        assertTrue(java.util.Arrays.equals(before,
                Files.readAllBytes(vae.resolve("model.safetensors"))));
    }
}
