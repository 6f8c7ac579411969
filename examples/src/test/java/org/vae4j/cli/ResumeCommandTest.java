package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;

class ResumeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void resumingToTwoEpochsGivesExactlyTheWeightsOfATwoEpochRun() throws Exception {
        Path straight = tmp.resolve("straight");
        Cli.assertOk(Cli.quickTrain(straight, "--epochs", "2"));

        Path resumed = tmp.resolve("resumed");
        Cli.assertOk(Cli.quickTrain(resumed, "--epochs", "1"));
        Run r = Cli.run("resume", "--run", resumed.toString(), "--epochs", "2");
        Cli.assertOk(r);
        assertTrue(r.out().contains("resuming " + resumed + " at epoch 2 of 2"), r.out());

        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(resumed.resolve("model.safetensors")));
        assertEquals(2, RunFolder.open(resumed).config().epochs(), "config.json plans 2 now");
        assertEquals(3, Files.readAllLines(resumed.resolve("metrics.csv")).size(),
                "header and two epochs");
        Cli.assertPng(resumed.resolve("loss.png"));
    }

    @Test
    void aFinishedRunNeedsMoreEpochsToResume() throws Exception {
        Path dir = tmp.resolve("run");
        Cli.assertOk(Cli.quickTrain(dir));
        Cli.assertFailsWith(Cli.run("resume", "--run", dir.toString()),
                "already trained 1 epoch", "--epochs");
        Cli.assertFailsWith(Cli.run("resume", "--run", dir.toString(), "--epochs", "1"),
                "already trained 1 epoch");
    }
}
