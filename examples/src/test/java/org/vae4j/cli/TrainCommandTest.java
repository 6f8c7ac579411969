package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.ModelInfo;
import org.vae4j.train.ModelWeights;

class TrainCommandTest {

    @TempDir
    Path tmp;

    @Test
    void quickVaeRunWritesTheWholeRunFolder() throws Exception {
        Path dir = tmp.resolve("run");
        Run r = Cli.quickTrain(dir);
        Cli.assertOk(r);
        for (String f : List.of("config.json", "metrics.csv", "model.safetensors",
                "reconstructions.png", "samples.png", "latent.png", "loss.png")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing");
        }
        assertTrue(Checkpoint.latest(dir).isPresent(), "a checkpoint");
        for (String png : List.of("reconstructions.png", "samples.png", "latent.png",
                "loss.png")) {
            Cli.assertPng(dir.resolve(png));
        }
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(2, metrics.size(), metrics.toString());
        assertTrue(metrics.get(0).startsWith("epoch,train_loss,train_reconstruction,train_kl,"
                + "test_loss"), metrics.get(0));
        assertTrue(r.out().contains("run folder " + dir), r.out());
        assertTrue(r.out().contains("next: vae4j eval --run " + dir), r.out());
        try (var listing = Files.list(dir)) {
            assertFalse(listing.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")),
                    "no temporary files left");
        }
    }

    @Test
    void configJsonHoldsEverythingToRebuildAndContinue() throws Exception {
        Path dir = tmp.resolve("run");
        Cli.assertOk(Cli.quickTrain(dir, "--lr", "0.002", "--batch-size", "64", "--seed", "7",
                "--set", "activation=tanh"));
        RunConfig c = RunFolder.open(dir).config();
        assertEquals("vae", c.model());
        assertEquals(4, c.modelConfig().getInt("latent", 0));
        assertArrayEquals(new int[] {32}, c.modelConfig().getInts("hidden"));
        assertEquals("tanh", c.modelConfig().getString("activation", ""));
        assertEquals("bernoulli", c.modelConfig().getString("likelihood", ""),
                "defaults are recorded too");
        assertEquals("adam", c.optimizer());
        assertEquals(0.002, c.learningRate());
        assertEquals(64, c.batchSize());
        assertEquals(1, c.epochs());
        assertEquals(7, c.seed());
        assertEquals("ejml", c.backend());
        assertEquals(512, c.limit());
        ModelInfo info = ModelWeights.readInfo(dir.resolve("model.safetensors"));
        assertEquals("vae", info.typeName());
        assertEquals(c.modelConfig(), info.config());
    }

    @Test
    void modelSpecificFlagsReachTheModelsSettings() throws Exception {
        Path dae = tmp.resolve("dae");
        Cli.assertOk(Cli.quickTrain(dae, "--model", "dae", "--noise", "gaussian",
                "--noise-level", "0.2"));
        RunConfig c = RunFolder.open(dae).config();
        assertEquals("gaussian", c.modelConfig().getString("noise", ""));
        assertEquals(0.2, c.modelConfig().getDouble("noise-level", 0));
        assertFalse(Files.exists(dae.resolve("samples.png")), "an autoencoder draws no samples");
        Cli.assertPng(dae.resolve("reconstructions.png"));

        Path beta = tmp.resolve("beta");
        Cli.assertOk(Cli.quickTrain(beta, "--model", "beta-vae", "--capacity-max", "10"));
        RunConfig b = RunFolder.open(beta).config();
        assertEquals("capacity", b.modelConfig().getString("objective", ""));
        assertEquals(10.0, b.modelConfig().getDouble("capacity-max", 0));
    }

    @Test
    void vqVaeWithEmaTrainsAndSamples() throws Exception {
        Path dir = tmp.resolve("vq");
        Run r = Cli.run("train", "--out", dir.toString(), "--model", "vq-vae", "--limit", "512",
                "--epochs", "1", "--hidden", "32", "--codebook-size", "16", "--commitment", "0.5",
                "--ema", "--set", "positions=2", "--set", "code-dim=4", "--backend", "ejml");
        Cli.assertOk(r);
        RunConfig c = RunFolder.open(dir).config();
        assertTrue(c.modelConfig().getBoolean("ema", false));
        assertEquals(16, c.modelConfig().getInt("codebook-size", 0));
        Cli.assertPng(dir.resolve("samples.png"));
        Cli.assertPng(dir.resolve("latent.png"));
    }

    @Test
    void conditionalVaeDrawsOneRowPerDigit() throws Exception {
        Path dir = tmp.resolve("cvae");
        Cli.assertOk(Cli.quickTrain(dir, "--model", "cvae"));
        var img = Cli.assertPng(dir.resolve("samples.png"));
        assertTrue(img.getHeight() > 10 * 56, "ten rows of 2x digits: " + img.getHeight());
    }

    @Test
    void forceReplacesAnEarlierRun() throws Exception {
        Path dir = tmp.resolve("run");
        Cli.assertOk(Cli.quickTrain(dir));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Run r = Cli.quickTrain(dir, "--force", "--seed", "2");
        Cli.assertOk(r);
        assertTrue(r.out().contains("replacing the run in " + dir), r.out());
        assertEquals(2, RunFolder.open(dir).config().seed());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")),
                "files that are not the run's are left alone");
    }

    @Test
    void aFolderWithOtherFilesButNoRunIsRefusedAndAnEmptyOneIsUsed() throws Exception {
        // a folder of the user's is never written into (issue 19): only a new or empty one
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("README"), "x");
        Cli.assertFailsWith(Cli.quickTrain(dir), "cannot write to the output folder " + dir,
                "not a vae4j run", "README", "choose another --out");
        try (var listing = Files.list(dir)) {
            assertEquals(List.of("README"), listing.map(p -> p.getFileName().toString())
                    .toList());
        }
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli.assertOk(Cli.quickTrain(empty));
        assertTrue(Files.exists(empty.resolve("model.safetensors")));
    }

    @Test
    void summaryLineHasTheEpochsTermsSecondsAndThroughput() {
        var e = new org.vae4j.train.EpochSummary(2, 100,
                java.util.Map.of("loss", 108.64), java.util.Map.of("loss", 107.1), 3.14, 21312);
        String line = ProgressBarListener.summary(e, 10);
        assertEquals("epoch  3/10  train loss 108.6  test loss 107.1  3.1 s  21,312 samples/s",
                line);
    }
}
