package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vae4j.cli.Cli.Run;

/** Every command on {@code iwae} and {@code vamp-vae} runs, end to end on a small MNIST subset. */
class IwaeVampCommandsTest {

    @TempDir
    Path tmp;

    /** The model's own flag, so the runs use it: K = 3 draws, or N = 8 pseudo-inputs. */
    private static String[] modelFlags(String model) {
        return model.equals("iwae") ? new String[] {"--model", "iwae", "--samples", "3"}
                : new String[] {"--model", "vamp-vae", "--pseudo-inputs", "8"};
    }

    private Run train(Path dir, String model, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(modelFlags(model)));
        args.addAll(List.of("--limit", "256"));
        args.addAll(List.of(more));
        return Cli.quickTrain(dir, args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iwae", "vamp-vae"})
    void trainEvalSampleEmbedAndScoreRun(String model) throws Exception {
        Path run = tmp.resolve(model);
        Cli.assertOk(train(run, model));
        Run eval = Cli.run("eval", "--run", run.toString(), "--json", "--backend", "ejml",
                "--limit", "200", "--iw-samples", "5");
        Cli.assertOk(eval);
        JsonNode json = new ObjectMapper().readTree(eval.out());
        assertEquals(model, json.get("model").asText());
        double iw = json.get("iw_nll").asDouble();
        assertTrue(iw > 0 && iw < 1000, "IW NLL in nats per image: " + iw);
        // the IW bound never lies above the ELBO's estimate by more than noise
        assertTrue(iw < json.get("negative_elbo").asDouble() + 5, json.toString());

        Path grid = tmp.resolve(model + "-samples.png");
        Cli.assertOk(Cli.run("sample", "--run", run.toString(), "--out", grid.toString(),
                "--n", "16", "--backend", "ejml"));
        Cli.assertPng(grid);
        Path embedded = tmp.resolve(model + "-embed.png");
        Cli.assertOk(Cli.run("embed", "--run", run.toString(), "--out", embedded.toString(),
                "--limit", "300", "--backend", "ejml"));
        for (String score : List.of("elbo", "iw-nll", "reconstruction-probability",
                "reconstruction-error")) {
            Path out = tmp.resolve(model + "-" + score + ".csv");
            Cli.assertOk(Cli.run("score", "--run", run.toString(), "--score", score, "--limit",
                    "20", "--out", out.toString(), "--backend", "ejml"));
            assertEquals(21, Files.readAllLines(out).size(), score + ": header and 20 rows");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"iwae", "vamp-vae"})
    void resumingGivesExactlyTheWeightsOfAStraightRun(String model) throws Exception {
        Path straight = tmp.resolve("straight");
        Cli.assertOk(train(straight, model, "--epochs", "2"));
        Path resumed = tmp.resolve("resumed");
        Cli.assertOk(train(resumed, model, "--epochs", "1"));
        Cli.assertOk(Cli.run("resume", "--run", resumed.toString(), "--epochs", "2"));
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(resumed.resolve("model.safetensors")));
    }

    @ParameterizedTest
    @CsvSource({"iwae,samples,--samples", "vamp-vae,pseudo-inputs,--pseudo-inputs"})
    void modelsDocumentsTheSettingAndItsRange(String model, String setting, String flag) {
        Run r = Cli.run("models", model);
        Cli.assertOk(r);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(setting) && l.contains("int")
                && l.contains(flag)), r.out());
    }

    @ParameterizedTest
    @CsvSource({"iwae,--samples", "vamp-vae,--pseudo-inputs"})
    void fewerThanOneIsOneClearError(String model, String flag) {
        Path dir = tmp.resolve("bad");
        Cli.assertFailsWith(Cli.quickTrain(dir, "--model", model, flag, "0"),
                "setting '" + flag.substring(2) + "' must be a positive whole number, got 0");
        assertTrue(!Files.exists(dir.resolve("model.safetensors")), "nothing written");
    }
}
