package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;

class PcaCommandTest {

    @TempDir
    Path tmp;

    @Test
    void moreComponentsReconstructTheTestSetBetter() throws Exception {
        Run few = Cli.run("pca", "--components", "4", "--limit", "2000", "--json",
                "--backend", "ejml");
        Run more = Cli.run("pca", "--components", "32", "--limit", "2000", "--json",
                "--backend", "ejml");
        Cli.assertOk(few);
        Cli.assertOk(more);
        JsonNode a = new ObjectMapper().readTree(few.out());
        JsonNode b = new ObjectMapper().readTree(more.out());
        assertEquals(10000, a.get("test_images").asInt());
        double ea = a.get("squared_error_per_image").asDouble();
        double eb = b.get("squared_error_per_image").asDouble();
        assertTrue(eb < ea, eb + " < " + ea);
        assertEquals(eb / 784, b.get("mse_per_pixel").asDouble(), 1e-12);
        // MNIST's mean squared pixel deviation is about 0.1; PCA must do far better
        assertTrue(b.get("mse_per_pixel").asDouble() < 0.05, b.toString());
        assertTrue(b.get("explained_variance_ratio").asDouble()
                > a.get("explained_variance_ratio").asDouble());
    }

    @Test
    void writesReconstructionsWhenAsked() throws Exception {
        Path out = tmp.resolve("pca.png");
        Run r = Cli.run("pca", "--components", "8", "--limit", "1000", "--out", out.toString(),
                "--backend", "ejml");
        Cli.assertOk(r);
        assertTrue(r.out().contains("squared error"), r.out());
        Cli.assertPng(out);
    }

    @Test
    void componentsOutsideTheImageSizeAreRefused() {
        Cli.assertFailsWith(Cli.run("pca", "--components", "0"), "--components must be in 1..784");
        Cli.assertFailsWith(Cli.run("pca", "--components", "785"), "1..784");
    }
}
