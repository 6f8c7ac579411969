package org.vae4j.cli;

import static org.vae4j.cli.Folders.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;
import org.vae4j.train.Checkpoint;

/**
 * The run folder's lifecycle (issue 19): replacing, refusing, failing and resuming never leave
 * less than there was before.
 */
class RunLifecycleTest {

    @TempDir
    Path tmp;

    @Test
    void forceWithAFailingNewRunKeepsTheOldRunWhole() throws Exception {
        Path dir = tmp.resolve("r1");
        Cli.assertOk(Cli.quickTrain(dir));
        Map<String, byte[]> before = snapshot(dir);
        Run r = Cli.quickTrain(dir, "--force", "--lr", "10", "--optimizer", "sgd");
        Cli.assertFailsWith(r, "diverged", "the run in " + dir + " is untouched");
        assertFalse(r.err().contains("holds the weights from before"), r.err());
        assertSameFiles(before, dir);
        assertEquals(List.of("r1"), names(tmp), "no sibling left beside it");
        Cli.assertOk(Cli.run("eval", "--run", dir.toString(), "--limit", "100"));
    }

    @Test
    void forceSwapsTheNewRunInAndLeavesNothingBeside() throws Exception {
        Path dir = tmp.resolve("r1");
        Cli.assertOk(Cli.quickTrain(dir));
        Cli.assertOk(Cli.run("sample", "--run", dir.toString(), "--backend", "ejml"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Cli.assertOk(Cli.quickTrain(dir, "--force", "--seed", "3"));
        assertEquals(3, RunFolder.open(dir).config().seed());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        assertFalse(Files.exists(dir.resolve("sample.png")), "the old run's picture went with it");
        assertEquals(List.of("r1"), names(tmp));
    }

    @Test
    void aFolderWithTheUsersFilesIsNeverWrittenIntoOrDeletedFrom() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("pictures"));
        Files.writeString(dir.resolve("samples.png"), "my own picture");
        Files.writeString(dir.resolve("loss.png"), "another");
        Map<String, byte[]> before = snapshot(dir);
        for (String[] extra : new String[][] {{}, {"--force"}, {"--lr", "10", "--optimizer", "sgd"}}) {
            Cli.assertFailsWith(Cli.quickTrain(dir, extra), "cannot write to the output folder "
                    + dir, "not a vae4j run", "loss.png, samples.png", "choose another --out");
            assertSameFiles(before, dir);
        }
        assertEquals(List.of("pictures"), names(tmp));
    }

    @Test
    void anotherProgramsRunIsNotReplacedByForce() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(dir.resolve("config.json"), "{\"format\": \"other-tool\", \"lr\": 1}");
        Files.writeString(dir.resolve("model.safetensors"), "weights");
        Files.writeString(dir.resolve("metrics.csv"), "epoch,loss\n1,2\n");
        Files.createDirectories(dir.resolve("checkpoints/step-1"));
        Files.writeString(dir.resolve("checkpoints/step-1/state"), "s");
        Map<String, byte[]> before = snapshot(dir);
        Cli.assertFailsWith(Cli.quickTrain(dir, "--force"), "config.json",
                "\"other-tool\"", "--force replaces vae4j runs only");
        assertSameFiles(before, dir);
        Files.writeString(dir.resolve("config.json"), "[1, 2]");
        Cli.assertFailsWith(Cli.quickTrain(dir, "--force"), "config.json",
                "not a vae4j run configuration");
    }

    @Test
    void aRunOfTheFirstReleaseIsRecognisedByItsKeys() throws Exception {
        Path dir = tmp.resolve("old");
        Cli.assertOk(Cli.quickTrain(dir));
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config
                .replaceFirst("\"format\" : \"vae4j-run\",", ""));
        Cli.assertFailsWith(Cli.quickTrain(dir), "already holds a run", "--force");
        Cli.assertOk(Cli.quickTrain(dir, "--force", "--seed", "4"));
        assertEquals(4, RunFolder.open(dir).config().seed(), "the replacement's config.json");
    }

    @Test
    void aNewRunThatFailsLeavesNoFolderAndClaimsNoCheckpoint() throws Exception {
        Path dir = tmp.resolve("a/b/run");
        Run r = Cli.quickTrain(dir, "--lr", "10", "--optimizer", "sgd");
        Cli.assertFailsWith(r, "diverged", "no folder was created");
        assertFalse(r.err().contains("holds the weights from before"), r.err());
        assertEquals(List.of(), names(tmp));
    }

    @Test
    void aCorruptNewestCheckpointMakesResumeFallBackNamingIt() throws Exception {
        Path straight = tmp.resolve("straight");
        Cli.assertOk(Cli.quickTrain(straight, "--epochs", "3"));
        Path dir = tmp.resolve("run");
        Cli.assertOk(Cli.quickTrain(dir, "--epochs", "2"));
        List<Path> checkpoints = Checkpoint.all(dir);
        assertEquals(2, checkpoints.size(), "the newest and one to fall back to");
        Path bad = checkpoints.get(0).resolve(Checkpoint.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Run r = Cli.run("resume", "--run", dir.toString(), "--epochs", "3");
        Cli.assertOk(r);
        assertTrue(r.err().contains("note: skipped the newer checkpoint " + bad), r.err());
        assertTrue(r.err().contains("resuming from the newest valid one, "
                + checkpoints.get(1)), r.err());
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(dir.resolve("model.safetensors")),
                "resumed from epoch 1, it ends as the uninterrupted run");
    }

    @Test
    void aFailedResumeLeavesConfigJsonByteIdentical() throws Exception {
        Path dir = tmp.resolve("run");
        Cli.assertOk(Cli.quickTrain(dir));
        byte[] config = Files.readAllBytes(dir.resolve("config.json"));
        Path checkpoint = Checkpoint.all(dir).get(0);

        // a checkpoint whose state does not fit the run: the trainer refuses it
        Path state = checkpoint.resolve(Checkpoint.STATE_FILE);
        byte[] good = Files.readAllBytes(state);
        Files.writeString(state, new String(good).replaceFirst("\"seed\" : 1", "\"seed\" : 5"));
        Run r = Cli.run("resume", "--run", dir.toString(), "--epochs", "3");
        Cli.assertFailsWith(r, "seed");
        assertArrayEquals(config, Files.readAllBytes(dir.resolve("config.json")));

        // a checkpoint that cannot be read at all
        Files.write(state, good);
        Files.write(checkpoint.resolve(Checkpoint.OPTIMIZER_FILE), new byte[] {1, 2, 3});
        Cli.assertFailsWith(Cli.run("resume", "--run", dir.toString(), "--epochs", "3"),
                "cannot resume " + dir, Checkpoint.OPTIMIZER_FILE);
        assertArrayEquals(config, Files.readAllBytes(dir.resolve("config.json")));
    }

    @Test
    void staleFinalWeightsAreNamedAndTheNewerCheckpointIsUsed() throws Exception {
        Path dir = tmp.resolve("run");
        Cli.assertOk(Cli.quickTrain(dir));
        byte[] epochOne = Files.readAllBytes(dir.resolve("model.safetensors"));
        Cli.assertOk(Cli.run("resume", "--run", dir.toString(), "--epochs", "2"));
        // as if the resume had been killed after its checkpoint, before its final weights
        Files.write(dir.resolve("model.safetensors"), epochOne);
        Run r = Cli.run("reconstruct", "--run", dir.toString(), "--out",
                tmp.resolve("r.png").toString(), "--backend", "ejml");
        Cli.assertOk(r);
        assertTrue(r.err().contains("note: using the newest checkpoint's weights, "
                + Checkpoint.all(dir).get(0).resolve(Checkpoint.MODEL_FILE)
                + " (step 8, after epoch 2): model.safetensors is from step 4"), r.err());
        assertTrue(r.err().contains("vae4j resume --run " + dir), r.err());
    }
}
