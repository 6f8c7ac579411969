package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;
import org.vae4j.train.Checkpoint;

/** Every kind of bad input gives one clear error line, a non-zero exit and no debris. */
class BadInputTest {

    @TempDir
    static Path shared;

    static Path vae;
    static Path ae;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() {
        vae = shared.resolve("vae");
        ae = shared.resolve("ae");
        Cli.assertOk(Cli.quickTrain(vae));
        Cli.assertOk(Cli.quickTrain(ae, "--model", "ae"));
    }

    /** A copy of a trained run to damage. */
    private Path copyOf(Path run) throws IOException {
        Path copy = tmp.resolve("copy-" + run.getFileName());
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.toList()) {
                Path target = copy.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return copy;
    }

    private static Path checkpointModel(Path run) throws IOException {
        return Checkpoint.latest(run).orElseThrow().resolve(Checkpoint.MODEL_FILE);
    }

    private static void truncate(Path file, int keep) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, Math.min(keep, all.length)));
    }

    // ---------------------------------------------------------------- run folders

    @Test
    void aMissingRunFolderIsNamed() {
        Path missing = tmp.resolve("nope");
        for (String cmd : new String[] {"eval", "sample", "reconstruct", "interpolate", "embed",
            "resume"}) {
            Cli.assertFailsWith(Cli.run(cmd, "--run", missing.toString(), "--backend", "ejml"),
                    "run folder " + missing + " does not exist");
        }
    }

    @Test
    void aFolderThatIsNotARunIsRecognised() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli.assertFailsWith(Cli.run("eval", "--run", empty.toString()),
                "is not a vae4j run folder", "config.json");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Cli.assertFailsWith(Cli.run("eval", "--run", file.toString()), "is a file");
    }

    @Test
    void anUnreadableConfigIsReportedWithItsPath() throws IOException {
        Path run = copyOf(vae);
        Files.writeString(run.resolve("config.json"), "{ not json");
        Cli.assertFailsWith(Cli.run("eval", "--run", run.toString(), "--backend", "ejml"),
                run.resolve("config.json").toString(), "is not valid JSON");
        Files.writeString(run.resolve("config.json"), "{\"format\": \"vae4j-run\","
                + " \"version\": 1}");
        Cli.assertFailsWith(Cli.run("resume", "--run", run.toString()), "'training' is missing");
        Files.write(run.resolve("config.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        Cli.assertFailsWith(Cli.run("eval", "--run", run.toString()), "not a text file");
    }

    @Test
    void aTruncatedWeightsFileIsOneErrorLine() throws IOException {
        Path run = copyOf(vae);
        truncate(run.resolve("model.safetensors"), 5000);
        Run r = Cli.run("eval", "--run", run.toString(), "--backend", "ejml");
        Cli.assertFailsWith(r, "model.safetensors");
        assertEquals(1, r.status());
        truncate(run.resolve("model.safetensors"), 3);
        Cli.assertFailsWith(Cli.run("sample", "--run", run.toString(), "--backend", "ejml"),
                "model.safetensors");
    }

    @Test
    void aCorruptCheckpointStopsResumeAndChangesNothing() throws IOException {
        Path run = copyOf(vae);
        Path weights = checkpointModel(run);
        byte[] bytes = Files.readAllBytes(weights);
        // garble the JSON header's length: the reader must refuse, not read past the end
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xff;
        Files.write(weights, bytes);
        byte[] finalWeights = Files.readAllBytes(run.resolve("model.safetensors"));
        Run r = Cli.run("resume", "--run", run.toString(), "--epochs", "2");
        Cli.assertFailsWith(r, Checkpoint.MODEL_FILE);
        assertArrayEquals(finalWeights, Files.readAllBytes(run.resolve("model.safetensors")));
        assertArrayEquals(bytes, Files.readAllBytes(weights));
    }

    @Test
    void weightsOfAnotherModelTypeAreRefusedNamingBoth() throws IOException {
        Path run = copyOf(vae);
        Files.copy(ae.resolve("model.safetensors"), run.resolve("model.safetensors"),
                StandardCopyOption.REPLACE_EXISTING);
        Cli.assertFailsWith(Cli.run("eval", "--run", run.toString(), "--backend", "ejml"),
                "'ae'", "'vae'");
    }

    @Test
    void aCheckpointOfAnotherModelTypeIsRefusedOnResume() throws IOException {
        Path run = copyOf(vae);
        Path vaeCheckpoint = Checkpoint.latest(run).orElseThrow();
        Path aeCheckpoint = Checkpoint.latest(ae).orElseThrow();
        for (String f : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE,
                Checkpoint.STATE_FILE)) {
            Files.copy(aeCheckpoint.resolve(f), vaeCheckpoint.resolve(f),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Cli.assertFailsWith(Cli.run("resume", "--run", run.toString(), "--epochs", "2"),
                "'ae'", "'vae'");
    }

    @Test
    void aRunWithoutWeightsSaysSo() throws IOException {
        Path run = copyOf(vae);
        Files.delete(run.resolve("model.safetensors"));
        RunFolder.deleteRecursively(run.resolve(Checkpoint.FOLDER));
        Cli.assertFailsWith(Cli.run("eval", "--run", run.toString(), "--backend", "ejml"),
                "holds no weights yet");
        Cli.assertFailsWith(Cli.run("resume", "--run", run.toString()),
                "has no checkpoint to resume from");
    }

    // ---------------------------------------------------------------- names and flags

    @Test
    void anUnknownModelListsTheKnownOnes() {
        Path out = tmp.resolve("out");
        Cli.assertFailsWith(Cli.run("train", "--model", "gan", "--out", out.toString()),
                "unknown model 'gan'", "vae", "vq-vae");
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnknownBackendListsThePresentOnes() {
        Path out = tmp.resolve("out");
        Cli.assertFailsWith(Cli.run("train", "--backend", "cuda", "--out", out.toString()),
                "--backend names backend 'cuda'", "unknown", "ejml");
        assertFalse(Files.exists(out));
        Cli.assertFailsWith(Cli.run("eval", "--run", vae.toString(), "--backend", "cuda"),
                "'cuda'");
    }

    @Test
    void aFlagOfAnotherModelIsNamed() {
        Path out = tmp.resolve("out");
        Cli.assertFailsWith(Cli.run("train", "--model", "ae", "--beta", "4", "--out",
                out.toString()), "--beta does not apply to model 'ae'", "beta-vae");
        Cli.assertFailsWith(Cli.run("train", "--model", "vae", "--ema", "--out",
                out.toString()), "--ema does not apply to model 'vae'", "vq-vae");
        Cli.assertFailsWith(Cli.run("train", "--model", "vq-vae", "--latent", "8", "--out",
                out.toString()), "--latent does not apply to model 'vq-vae'");
        Cli.assertFailsWith(Cli.run("train", "--model", "vae", "--noise", "mask", "--out",
                out.toString()), "--noise does not apply");
        assertFalse(Files.exists(out));
    }

    @Test
    void contradictoryOrImpossibleFlagsAreRefused() {
        Path out = tmp.resolve("out");
        String o = out.toString();
        Cli.assertFailsWith(Cli.run("train", "--epochs", "0", "--out", o),
                "--epochs must be at least 1, got 0");
        Cli.assertFailsWith(Cli.run("train", "--batch-size", "0", "--out", o), "--batch-size");
        Cli.assertFailsWith(Cli.run("train", "--lr", "-1", "--out", o), "--lr");
        Cli.assertFailsWith(Cli.run("train", "--threads", "0", "--out", o), "--threads");
        Cli.assertFailsWith(Cli.run("train", "--optimizer", "rmsprop", "--out", o),
                "--optimizer must be one of adam, sgd");
        Cli.assertFailsWith(Cli.run("train", "--model", "beta-vae", "--beta", "2",
                "--capacity-max", "20", "--out", o), "--beta and --capacity-max");
        Cli.assertFailsWith(Cli.run("train", "--latent", "8", "--set", "latent=16", "--out", o),
                "'latent' is given twice");
        Cli.assertFailsWith(Cli.run("train", "--set", "colour=blue", "--out", o),
                "has no setting 'colour'", "latent");
        Cli.assertFailsWith(Cli.run("train", "--set", "latent", "--out", o), "KEY=VALUE");
        Cli.assertFailsWith(Cli.run("train", "--epochs", "many", "--out", o), "--epochs");
        assertFalse(Files.exists(out));
    }

    @Test
    void aBadSettingValueIsNamedByTheModel() {
        Path out = tmp.resolve("out");
        Cli.assertFailsWith(Cli.run("train", "--latent", "0", "--backend", "ejml", "--out",
                out.toString()), "latent");
        Cli.assertFailsWith(Cli.run("train", "--set", "activation=swish", "--backend", "ejml",
                "--out", out.toString()), "activation");
        assertFalse(Files.exists(out), "nothing is written for a model that cannot be built");
    }

    @Test
    void aLabelForAnUnconditionalModelIsRefused() {
        for (String cmd : new String[] {"sample", "reconstruct", "interpolate"}) {
            Cli.assertFailsWith(Cli.run(cmd, "--run", vae.toString(), "--label", "3",
                    "--out", tmp.resolve("x.png").toString(), "--backend", "ejml"),
                    "--label applies to conditional models only", "'vae'");
        }
        assertFalse(Files.exists(tmp.resolve("x.png")));
    }

    @Test
    void aModelWithoutTheCapabilityIsTold() {
        Cli.assertFailsWith(Cli.run("sample", "--run", ae.toString(), "--out",
                tmp.resolve("x.png").toString(), "--backend", "ejml"), "'ae' is not generative");
        Cli.assertFailsWith(Cli.run("sample", "--run", vae.toString(), "--out",
                tmp.resolve("x.txt").toString()), "--out must name a .png file");
    }

    // ---------------------------------------------------------------- output folders

    @Test
    void anOutputFolderHoldingARunIsNeverOverwritten() throws IOException {
        Path run = copyOf(vae);
        byte[] weights = Files.readAllBytes(run.resolve("model.safetensors"));
        String config = Files.readString(run.resolve("config.json"));
        Run r = Cli.quickTrain(run, "--seed", "9");
        Cli.assertFailsWith(r, "already holds a run", "--force", "vae4j resume --run " + run);
        assertArrayEquals(weights, Files.readAllBytes(run.resolve("model.safetensors")));
        assertEquals(config, Files.readString(run.resolve("config.json")));
    }

    @Test
    void anOutputPathThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Cli.assertFailsWith(Cli.quickTrain(file), "is a file");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aReadOnlyOutputFolderIsOneErrorAndLeavesNothing() throws IOException {
        Path readOnly = Files.createDirectories(tmp.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path target = readOnly;
            if (writable(readOnly)) {
                // root writes anywhere; a read-only file system is read-only for root too
                target = Path.of("/sys/kernel");
                Assumptions.assumeTrue(Files.isDirectory(target) && !writable(target),
                        "no read-only folder available to test with");
            }
            Cli.assertFailsWith(Cli.quickTrain(target), "cannot write to the output folder "
                    + target);
            Cli.assertFailsWith(Cli.quickTrain(target.resolve("run")),
                    "cannot create the output folder " + target.resolve("run"));
            assertFalse(Files.exists(target.resolve("run")));
            try (Stream<Path> s = Files.list(readOnly)) {
                assertEquals(0, s.count());
            }
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static boolean writable(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aRunThatFailsBeforeItsFirstCheckpointLeavesNoFolder() throws IOException {
        // a learning rate so large that the loss overflows within the first few steps
        Path out = tmp.resolve("deep/diverged");
        Run r = Cli.quickTrain(out, "--lr", "10", "--optimizer", "sgd");
        Cli.assertFailsWith(r, "diverged");
        assertFalse(Files.exists(tmp.resolve("deep")), "the folders it created are removed");
    }

    @Test
    void aDivergedRunInAnExistingFolderRemovesOnlyWhatItWrote() throws IOException {
        // a folder with the user's files is refused before anything is written (issue 19) ...
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "keep me");
        Cli.assertFailsWith(Cli.quickTrain(out, "--lr", "10", "--optimizer", "sgd"), "notes.txt",
                "not a vae4j run");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("notes.txt"), s.map(p -> p.getFileName().toString())
                    .sorted(Comparator.naturalOrder()).toList());
        }
        // ... and an empty folder a diverged run wrote into is empty again
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Run r = Cli.quickTrain(empty, "--lr", "10", "--optimizer", "sgd");
        Cli.assertFailsWith(r, "diverged", empty + " is as it was");
        assertFalse(r.err().contains("holds the weights from before"), r.err());
        try (Stream<Path> s = Files.list(empty)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aNoteIsGivenWhenTheLimitExceedsTheData() throws IOException {
        // the note comes once the data is loaded; the output path (a file) then stops the run
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Run r = Cli.quickTrain(file, "--limit", "70000");
        assertTrue(r.out().contains("--limit 70000 is more than the 60000 training images"),
                r.out());
        Cli.assertFailsWith(r, "is a file");
    }
}
