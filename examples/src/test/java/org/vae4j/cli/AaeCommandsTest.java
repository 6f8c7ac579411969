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
import org.vae4j.cli.Cli.Run;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.TrainerState;

/**
 * Every command on {@code aae}, end to end on a little MNIST: it trains with its three
 * optimizers, resumes bit for bit (from an epoch's end and from the middle of an epoch), and
 * runs in {@code compare}.
 */
class AaeCommandsTest {

    @TempDir
    Path tmp;

    private static Run train(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("--model", "aae", "--disc-hidden", "16,16",
                "--disc-lr", "5e-4"));
        args.addAll(List.of(more));
        return Cli.quickTrain(dir, args.toArray(String[]::new));
    }

    @Test
    void everyCommandWorksOnATrainedAae() throws Exception {
        Path run = tmp.resolve("aae");
        Cli.assertOk(train(run));
        String header = Files.readAllLines(run.resolve("metrics.csv")).get(0);
        assertTrue(header.contains("discriminator") && header.contains("generator")
                && header.contains("reconstruction"), "every phase's term is logged: " + header);
        TrainerState state = Checkpoint.readState(Checkpoint.latest(run).orElseThrow());
        assertEquals(List.of("autoencoder", "discriminator", "generator"), state.optimizers()
                .stream().map(TrainerState.OptimizerSettings::name).toList());
        assertEquals(List.of(1e-3, 5e-4, 1e-3), state.optimizers().stream()
                .map(TrainerState.OptimizerSettings::learningRate).toList(),
                "--lr for the autoencoder and the generator, --disc-lr for the discriminator");

        Run eval = Cli.run("eval", "--run", run.toString(), "--json", "--backend", "ejml",
                "--limit", "200", "--iw-samples", "2");
        Cli.assertOk(eval);
        JsonNode json = new ObjectMapper().readTree(eval.out());
        assertEquals("aae", json.get("model").asText());
        assertTrue(json.get("terms").has("discriminator"), eval.out());
        assertTrue(json.get("mse_per_pixel").asDouble() > 0);

        // samples decoded from N(0, I), and the codes' scatter plot
        for (List<String> command : List.of(List.of("sample", "--n", "16"),
                List.of("embed", "--limit", "300"))) {
            Path png = tmp.resolve(command.get(0) + ".png");
            Cli.assertOk(Cli.run(command.get(0), "--run", run.toString(), "--out",
                    png.toString(), command.get(1), command.get(2), "--backend", "ejml"));
            Cli.assertPng(png);
        }
        Path scores = tmp.resolve("scores.csv");
        Cli.assertOk(Cli.run("score", "--run", run.toString(), "--score", "reconstruction-error",
                "--limit", "50", "--out", scores.toString(), "--backend", "ejml"));
        assertEquals(51, Files.readAllLines(scores).size());
    }

    @Test
    void resumingGivesExactlyTheWeightsOfAStraightRun() throws Exception {
        Path straight = tmp.resolve("straight");
        Cli.assertOk(train(straight, "--epochs", "2"));
        byte[] want = Files.readAllBytes(straight.resolve("model.safetensors"));

        Path resumed = tmp.resolve("resumed");
        Cli.assertOk(train(resumed, "--epochs", "1"));
        Cli.assertOk(Cli.run("resume", "--run", resumed.toString(), "--epochs", "2"));
        assertArrayEquals(want, Files.readAllBytes(resumed.resolve("model.safetensors")),
                "resumed at an epoch's end");

        // 4 batches an epoch: checkpoints after step 3 (mid-epoch) and 4; as if killed after 3
        Path killed = tmp.resolve("killed");
        Cli.assertOk(train(killed, "--epochs", "1", "--checkpoint-every", "3"));
        Path end = Checkpoint.latest(killed).orElseThrow();
        assertEquals(4, Checkpoint.stepOf(end));
        RunFolder.deleteRecursively(end);
        Files.delete(killed.resolve("model.safetensors"));
        assertEquals(3, Checkpoint.stepOf(Checkpoint.latest(killed).orElseThrow()));
        Cli.assertOk(Cli.run("resume", "--run", killed.toString(), "--epochs", "2"));
        assertArrayEquals(want, Files.readAllBytes(killed.resolve("model.safetensors")),
                "resumed in the middle of an epoch, every optimizer's state restored");
    }

    @Test
    void compareTrainsItBesideTheOthers() throws Exception {
        Path out = tmp.resolve("cmp");
        Run r = Cli.run("compare", "--out", out.toString(), "--models", "ae,aae", "--limit",
                "256", "--test-limit", "200", "--epochs", "1", "--hidden", "32", "--latent",
                "4", "--backend", "ejml", "--iw-samples", "2", "--draws", "100");
        Cli.assertOk(r);
        JsonNode rows = new ObjectMapper().readTree(out.resolve(CompareCommand.JSON).toFile())
                .get("rows");
        JsonNode aae = rows.get(1);
        assertEquals("aae", aae.get("model").asText());
        assertTrue(aae.get("error").isNull(), aae.toString());
        assertTrue(aae.get("squared_error").asDouble() > 0, aae.toString());
        double q = aae.get("sample_quality").asDouble();
        assertTrue(q >= 0 && q <= 1, "the aae samples from its prior: " + aae);
        assertTrue(Files.exists(out.resolve("aae").resolve("model.safetensors")));
    }

    @Test
    void modelsDocumentsTheDiscriminatorSettings() {
        Run r = Cli.run("models", "aae");
        Cli.assertOk(r);
        for (String setting : List.of("disc-hidden", "disc-lr", "gen-lr")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(setting)
                    && l.contains("--" + setting)), setting + ": " + r.out());
        }
    }

    @Test
    void noOrABadDiscriminatorIsOneClearErrorAndNothingIsWritten() {
        Path dir = tmp.resolve("bad");
        Cli.assertFailsWith(Cli.quickTrain(dir, "--model", "aae", "--disc-hidden", ""),
                "setting 'disc-hidden' must list the discriminator's hidden widths, at least one");
        assertFalse(Files.exists(dir), "nothing written");
        Cli.assertFailsWith(Cli.quickTrain(dir, "--model", "aae", "--disc-hidden", "64,0"),
                "disc-hidden");
        Cli.assertFailsWith(Cli.quickTrain(dir, "--model", "aae", "--disc-lr", "0"),
                "disc-lr", "run");
        assertFalse(Files.exists(dir), "nothing written");
    }
}
