package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vae4j.cli.Cli.Run;

/** Every command on a vae with a flow posterior, end to end on a small MNIST subset. */
class FlowCommandsTest {

    @TempDir
    Path tmp;

    /** The flow flags of each case: planar K = 2, or an IAF of 2 steps reading a context h. */
    private static List<String> flowFlags(String flow) {
        return flow.equals("planar") ? List.of("--flow", "planar", "--flow-length", "2")
                : List.of("--flow", "iaf", "--flow-length", "2", "--set", "iaf-hidden=16",
                        "--set", "iaf-context=4");
    }

    private Run train(Path dir, String flow, String... more) {
        List<String> args = new ArrayList<>(flowFlags(flow));
        args.addAll(List.of("--limit", "256"));
        args.addAll(List.of(more));
        return Cli.quickTrain(dir, args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"planar", "iaf"})
    void trainEvalSampleEmbedScoreAndOnnxExportRun(String flow) throws Exception {
        Path run = tmp.resolve(flow);
        Cli.assertOk(train(run, flow));
        String header = Files.readAllLines(run.resolve("metrics.csv")).get(0);
        assertTrue(header.contains("train_kl_monte_carlo") && header.contains("train_log_det"),
                header);

        Run eval = Cli.run("eval", "--run", run.toString(), "--json", "--backend", "ejml",
                "--limit", "100", "--iw-samples", "3");
        Cli.assertOk(eval);
        JsonNode json = new ObjectMapper().readTree(eval.out());
        assertEquals("vae", json.get("model").asText());
        assertTrue(json.get("terms").has("log-det"), eval.out());
        double elbo = json.get("negative_elbo").asDouble();
        double iw = json.get("iw_nll").asDouble();
        assertTrue(elbo > 0 && elbo < 1000, "negative ELBO in nats per image: " + elbo);
        assertTrue(iw < elbo + 5, "the IW bound is no looser than the ELBO: " + json);

        Path grid = tmp.resolve(flow + "-samples.png");
        Cli.assertOk(Cli.run("sample", "--run", run.toString(), "--out", grid.toString(),
                "--n", "16", "--backend", "ejml"));
        Cli.assertPng(grid);
        Path embedded = tmp.resolve(flow + "-embed.png");
        Cli.assertOk(Cli.run("embed", "--run", run.toString(), "--out", embedded.toString(),
                "--limit", "300", "--backend", "ejml"));
        Cli.assertPng(embedded);
        for (String score : List.of("elbo", "reconstruction-probability")) {
            Path out = tmp.resolve(flow + "-" + score + ".csv");
            Cli.assertOk(Cli.run("score", "--run", run.toString(), "--score", score, "--limit",
                    "20", "--out", out.toString(), "--backend", "ejml"));
            assertEquals(21, Files.readAllLines(out).size(), score + ": header and 20 rows");
        }
        Path onnx = tmp.resolve(flow + "-onnx");
        Cli.assertOk(Cli.run("export", "--run", run.toString(), "--format", "onnx", "--out",
                onnx.toString()));
        for (String file : List.of("encoder.onnx", "decoder.onnx", "score.onnx")) {
            assertTrue(Files.size(onnx.resolve(file)) > 0, file);
        }
    }

    @Test
    void resumingGivesExactlyTheWeightsOfAStraightRun() throws Exception {
        Path straight = tmp.resolve("straight");
        Cli.assertOk(train(straight, "iaf", "--epochs", "2"));
        Path resumed = tmp.resolve("resumed");
        Cli.assertOk(train(resumed, "iaf", "--epochs", "1"));
        Cli.assertOk(Cli.run("resume", "--run", resumed.toString(), "--epochs", "2"));
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(resumed.resolve("model.safetensors")));
    }

    @Test
    void aPytorchExportOfAFlowIsOneClearErrorAndWritesNothing() {
        Path run = tmp.resolve("planar");
        Cli.assertOk(train(run, "planar"));
        Path out = tmp.resolve("torch");
        Cli.assertFailsWith(Cli.run("export", "--run", run.toString(), "--format", "pytorch",
                "--out", out.toString()), "setting flow=planar", "no PyTorch export",
                "flow none");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void modelsDocumentsTheFlowSettings() {
        for (String model : List.of("vae", "beta-vae", "cvae")) {
            Run r = Cli.run("models", model);
            Cli.assertOk(r);
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("flow ") && l.contains("none")
                    && l.contains("iaf") && l.contains("--flow")), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("flow-length")
                    && l.contains("4") && l.contains("--flow-length")), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("iaf-context")), r.out());
        }
    }

    @Test
    void badFlowSettingsAreOneClearErrorAndWriteNothing() {
        Path out = tmp.resolve("bad");
        Cli.assertFailsWith(Cli.quickTrain(out, "--flow", "planar", "--flow-length", "0"),
                "setting 'flow-length' must be a positive whole number, got 0");
        Cli.assertFailsWith(Cli.quickTrain(out, "--flow", "planar", "--flow-length", "-3"),
                "'flow-length'", "got -3");
        Cli.assertFailsWith(Cli.quickTrain(out, "--flow", "sylvester"),
                "'flow'", "none, planar, radial, iaf");
        Cli.assertFailsWith(Cli.quickTrain(out, "--model", "ae", "--flow", "planar"),
                "--flow does not apply to model 'ae'");
        Cli.assertFailsWith(Cli.quickTrain(out, "--model", "dae", "--flow", "iaf"),
                "--flow does not apply to model 'dae'");
        Cli.assertFailsWith(Cli.run("train", "--out", out.toString(), "--model", "vq-vae",
                "--flow", "radial", "--backend", "ejml"), "--flow does not apply to model"
                + " 'vq-vae'");
        Cli.assertFailsWith(Cli.quickTrain(out, "--flow", "planar", "--set", "iaf-context=4"),
                "'iaf-context' applies to flow iaf only");
        assertFalse(Files.exists(out), "nothing written");
    }
}
