package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vae4j.cli.Cli.Run;

/** Every command on {@code wae} and {@code info-vae}, end to end on a little MNIST. */
class MmdModelCommandsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"wae", "info-vae"})
    void everyCommandWorksAndResumeIsExact(String model) throws Exception {
        Path straight = tmp.resolve("straight");
        Cli.assertOk(Cli.quickTrain(straight, "--model", model, "--epochs", "2"));
        Path resumed = tmp.resolve("resumed");
        Cli.assertOk(Cli.quickTrain(resumed, "--model", model, "--epochs", "1"));
        Cli.assertOk(Cli.run("resume", "--run", resumed.toString(), "--epochs", "2"));
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(resumed.resolve("model.safetensors")),
                model + ": resuming gives the weights of the straight run");
        assertTrue(Files.readAllLines(straight.resolve("metrics.csv")).get(0).contains("mmd"),
                "the MMD term is logged");

        Run eval = Cli.run("eval", "--run", straight.toString(), "--json", "--backend", "ejml",
                "--limit", "200", "--iw-samples", "2");
        Cli.assertOk(eval);
        JsonNode json = new ObjectMapper().readTree(eval.out());
        assertEquals(model, json.get("model").asText());
        assertTrue(json.get("terms").has("mmd"), eval.out());
        assertTrue(json.get("mse_per_pixel").asDouble() > 0);

        Path samples = tmp.resolve("s.png");
        Cli.assertOk(Cli.run("sample", "--run", straight.toString(), "--out", samples.toString(),
                "--n", "16", "--backend", "ejml"));
        Cli.assertPng(samples);
        Path embed = tmp.resolve("e.png");
        Cli.assertOk(Cli.run("embed", "--run", straight.toString(), "--out", embed.toString(),
                "--limit", "300", "--backend", "ejml"));
        Cli.assertPng(embed);
        Path scores = tmp.resolve("scores.csv");
        Cli.assertOk(Cli.run("score", "--run", straight.toString(), "--limit", "50", "--out",
                scores.toString(), "--backend", "ejml"));
        assertEquals(51, Files.readAllLines(scores).size());
    }

    @Test
    void modelsDocumentsTheNewSettings() {
        Run wae = Cli.run("models", "wae");
        Cli.assertOk(wae);
        assertTrue(wae.out().lines().anyMatch(l -> l.startsWith("lambda") && l.contains("10")
                && l.contains("--lambda")), wae.out());
        assertTrue(wae.out().lines().anyMatch(l -> l.startsWith("mmd-kernel")
                && l.contains("imq")), wae.out());
        Run info = Cli.run("models", "info-vae");
        Cli.assertOk(info);
        assertTrue(info.out().lines().anyMatch(l -> l.startsWith("alpha") && l.contains("1")
                && l.contains("--alpha")), info.out());
        assertTrue(info.out().lines().anyMatch(l -> l.startsWith("mmd-kernel")
                && l.contains("rbf")), info.out());
    }

    @Test
    void badSettingsAreOneClearErrorAndWriteNothing() {
        Path out = tmp.resolve("bad");
        Cli.assertFailsWith(Cli.quickTrain(out, "--model", "wae", "--lambda", "-1"),
                "lambda", ">= 0");
        Cli.assertFailsWith(Cli.quickTrain(out, "--model", "wae", "--mmd-kernel", "laplace"),
                "mmd-kernel", "imq, rbf");
        Cli.assertFailsWith(Cli.quickTrain(out, "--model", "info-vae", "--alpha", "1.5"),
                "alpha", "[0, 1]");
        Cli.assertFailsWith(Cli.quickTrain(out, "--model", "info-vae", "--alpha", "0",
                "--lambda", "0.5"), "lambda", "at least 1 - alpha");
        Cli.assertFailsWith(Cli.quickTrain(out, "--model", "vae", "--lambda", "3"),
                "--lambda", "wae");
        assertTrue(!Files.exists(out), "nothing written");
    }
}
