package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}'s clipping, accumulation and schedule flags: bounded with clear errors, kept in
 * config.json, continued exactly by {@code resume}; a config.json without them (an earlier
 * release's run) reads as the defaults.
 */
class TrainingFlagsTest {

    @TempDir
    Path tmp;

    /** 4 batches an epoch, updates every 3: an accumulation group straddles the epoch's end. */
    private static final String[] EVERYTHING = {"--clip-grad-norm", "0.5", "--accumulate", "3",
        "--lr-schedule", "step", "--lr-step-every", "1", "--lr-gamma", "0.7",
        "--warmup-steps", "1"};

    private static String[] with(String[] flags, String... more) {
        String[] all = new String[flags.length + more.length];
        System.arraycopy(flags, 0, all, 0, flags.length);
        System.arraycopy(more, 0, all, flags.length, more.length);
        return all;
    }

    @Test
    void theFlagsAreKeptInConfigJsonAndResumeContinuesThemBitForBit() throws Exception {
        Path straight = tmp.resolve("straight");
        Cli.assertOk(Cli.quickTrain(straight, with(EVERYTHING, "--epochs", "2")));
        Path resumed = tmp.resolve("resumed");
        Cli.assertOk(Cli.quickTrain(resumed, with(EVERYTHING, "--epochs", "1")));
        TrainingFlags.Settings s = RunFolder.open(resumed).config().step();
        assertEquals(new TrainingFlags.Settings(0.5, 3, "step", 1, 1, 0.7, 0), s);
        Cli.assertOk(Cli.run("resume", "--run", resumed.toString(), "--epochs", "2"));
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(resumed.resolve("model.safetensors")));

        // the flags change the numbers: the same run without them ends elsewhere
        Path plain = tmp.resolve("plain");
        Cli.assertOk(Cli.quickTrain(plain, "--epochs", "2"));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(plain.resolve(
                "model.safetensors")), Files.readAllBytes(straight.resolve("model.safetensors"))));
    }

    @Test
    void aCosineScheduleKeepsItsLengthFromThePlannedRun() throws Exception {
        Path run = tmp.resolve("cosine");
        Cli.assertOk(Cli.quickTrain(run, "--epochs", "2", "--lr-schedule", "cosine",
                "--warmup-steps", "2", "--accumulate", "2"));
        // 2 epochs of 4 batches, 2 batches an update: 4 updates, 2 of them warm-up
        assertEquals(new TrainingFlags.Settings(0, 2, "cosine", 2, 0, 0.1, 2),
                RunFolder.open(run).config().step());
        Cli.assertOk(Cli.run("resume", "--run", run.toString(), "--epochs", "3"));
        assertEquals(2, RunFolder.open(run).config().step().cosineSteps());
    }

    @Test
    void aConfigWithoutTheFlagsIsTheDefaultTraining() throws Exception {
        Path run = tmp.resolve("run");
        Cli.assertOk(Cli.quickTrain(run));
        ObjectMapper json = new ObjectMapper();
        Path file = run.resolve(RunFolder.CONFIG);
        ObjectNode root = (ObjectNode) json.readTree(Files.readString(file));
        ObjectNode training = (ObjectNode) root.get("training");
        for (String k : new String[] {"clip_grad_norm", "accumulate", "lr_schedule",
            "warmup_steps"}) {
            assertEquals(true, training.has(k), k + " is written");
            training.remove(k);
        }
        Files.writeString(file, json.writeValueAsString(root));
        assertEquals(TrainingFlags.Settings.DEFAULT, RunFolder.open(run).config().step());
        Cli.assertOk(Cli.run("resume", "--run", run.toString(), "--epochs", "2"));
    }

    @Test
    void badValuesAreOneErrorNamingTheFlagAndItsRange() {
        Path out = tmp.resolve("never");
        Cli.assertFailsWith(Cli.quickTrain(out, "--clip-grad-norm", "-1"),
                "--clip-grad-norm must be a number from 0 (no clipping) to 1000000, got -1.0");
        Cli.assertFailsWith(Cli.quickTrain(out, "--clip-grad-norm", "NaN"),
                "--clip-grad-norm must be a number");
        Cli.assertFailsWith(Cli.quickTrain(out, "--accumulate", "0"),
                "--accumulate must be at least 1, got 0 (range 1..10000)");
        Cli.assertFailsWith(Cli.quickTrain(out, "--warmup-steps", "-3"),
                "--warmup-steps must be at least 0, got -3");
        Cli.assertFailsWith(Cli.quickTrain(out, "--lr-schedule", "linear"),
                "--lr-schedule must be one of constant, step, cosine, got 'linear'");
        Cli.assertFailsWith(Cli.quickTrain(out, "--lr-schedule", "step"),
                "--lr-schedule step needs --lr-step-every N");
        Cli.assertFailsWith(Cli.quickTrain(out, "--lr-schedule", "step", "--lr-step-every",
                "5", "--lr-gamma", "1.5"), "--lr-gamma must be a number > 0 and at most 1");
        Cli.assertFailsWith(Cli.quickTrain(out, "--lr-gamma", "0.5"),
                "--lr-gamma applies to --lr-schedule step only, not constant");
        assertFalse(Files.exists(out), "nothing is written for a bad flag");
    }
}
