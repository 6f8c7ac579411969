package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vae4j.cli.Cli.Run;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.TrainerState;

/**
 * Interrupts and kills of a training in a child JVM (issue 19): SIGINT and SIGTERM stop at the
 * next step with a checkpoint that resumes exactly; after a kill -9 every command says which
 * weights it uses, and the folder is left resumable.
 */
class InterruptTest {

    /** Long enough (two epochs of 500 steps) to be interrupted in the middle. */
    private static final String[] LONG = {"--limit", "8000", "--batch-size", "16", "--epochs",
        "2", "--hidden", "32", "--latent", "4", "--backend", "ejml"};

    @TempDir
    static Path shared;

    static Path straight;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainUninterrupted() {
        straight = shared.resolve("straight");
        Cli.assertOk(Cli.quickTrain(straight, LONG));
    }

    private static String[] train(Path out) {
        return Stream.concat(Stream.of("train", "--out", out.toString()), Stream.of(LONG))
                .toArray(String[]::new);
    }

    private static long newestStep(Path run) {
        try {
            List<Path> all = Checkpoint.all(run);
            return all.isEmpty() ? -1 : Checkpoint.stepOf(all.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalStopsWithACheckpointThatResumesBitForBit(String signal, int status)
            throws Exception {
        Path dir = tmp.resolve("run");
        try (Child child = Child.start(tmp.resolve("log"), train(dir))) {
            child.awaitOutput("the start of training", "INFO training vae");
            Thread.sleep(300);
            child.signal(signal);
            assertEquals(status, child.waitFor(), child.output());
            List<String> lines = child.output().lines()
                    .filter(l -> l.startsWith("interrupted")).toList();
            assertEquals(1, lines.size(), child.output());
            assertTrue(lines.get(0).startsWith("interrupted (SIG" + signal + "): kept the"
                    + " checkpoint checkpoints/step-"), lines.get(0));
            assertTrue(lines.get(0).endsWith("continue with 'vae4j resume --run " + dir + "'"),
                    lines.get(0));
            assertFalse(child.output().contains("\tat "), child.output());
        }
        long step = newestStep(dir);
        assertTrue(step > 0 && step < 1000, "stopped in the middle, at step " + step);
        assertFalse(Files.exists(dir.resolve("model.safetensors")), "no final weights yet");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("log", "run"), s.map(p -> p.getFileName().toString())
                    .sorted().toList(), "no sibling left beside the run");
        }

        Run resumed = Cli.run("resume", "--run", dir.toString());
        Cli.assertOk(resumed);
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(dir.resolve("model.safetensors")),
                "the resumed run ends with the uninterrupted run's weights");
        assertEquals(Files.readAllLines(straight.resolve("metrics.csv")).size(),
                Files.readAllLines(dir.resolve("metrics.csv")).size());
    }

    @Test
    void afterAKillDuringResumeEveryCommandSaysWhichWeightsItUses() throws Exception {
        Path dir = tmp.resolve("run");
        Cli.assertOk(Cli.quickTrain(dir));
        byte[] finalWeights = Files.readAllBytes(dir.resolve("model.safetensors"));
        try (Child child = Child.start(tmp.resolve("log"), "resume", "--run", dir.toString(),
                "--epochs", "40")) {
            child.await("a checkpoint at step 12", () -> newestStep(dir) >= 12);
            child.signal("KILL");
            child.waitFor();
        }
        assertArrayEquals(finalWeights, Files.readAllBytes(dir.resolve("model.safetensors")),
                "model.safetensors is from before the resume");
        Path newest = Checkpoint.all(dir).get(0);
        TrainerState state = Checkpoint.readState(newest);
        int rows = Files.readAllLines(dir.resolve("metrics.csv")).size() - 1;
        assertTrue(rows <= state.epoch(), "metrics.csv has no epoch the checkpoint lacks");
        assertEquals(40, RunFolder.open(dir).config().epochs(),
                "config.json changed once the resumed run had a checkpoint");

        String file = newest.resolve(Checkpoint.MODEL_FILE).toString();
        Run eval = Cli.run("eval", "--run", dir.toString(), "--limit", "200", "--backend",
                "ejml");
        Cli.assertOk(eval);
        assertTrue(eval.err().contains("note: using the newest checkpoint's weights, " + file),
                eval.err());
        assertTrue(eval.err().contains("model.safetensors is from step 4"), eval.err());
        assertTrue(eval.out().contains("weights " + dir.relativize(Path.of(file))),
                "eval names the weights it evaluated:\n" + eval.out());
        Run sample = Cli.run("sample", "--run", dir.toString(), "--out",
                tmp.resolve("s.png").toString(), "--backend", "ejml");
        Cli.assertOk(sample);
        assertTrue(sample.err().contains("note: using the newest checkpoint's weights, " + file),
                sample.err());

        // the folder resumes: finish the epoch it was in (or one more) and the note is gone
        int next = state.epoch() + 1;
        Cli.assertOk(Cli.run("resume", "--run", dir.toString(), "--epochs",
                Integer.toString(next)));
        Run after = Cli.run("sample", "--run", dir.toString(), "--out",
                tmp.resolve("s2.png").toString(), "--backend", "ejml");
        Cli.assertOk(after);
        assertFalse(after.err().contains("note:"), after.err());
    }

    @Test
    void aKilledNewRunLeavesNoRunFolderAndItsLeftoverIsRemovedByTheNextTrain() throws Exception {
        Path dir = tmp.resolve("run");
        try (Child child = Child.start(tmp.resolve("log"), train(dir))) {
            child.awaitOutput("the start of training", "INFO training vae");
            child.signal("KILL");
            child.waitFor();
        }
        assertFalse(Files.exists(dir), "the run was still being built beside " + dir);
        Cli.assertOk(Cli.quickTrain(dir));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("log", "run"), s.map(p -> p.getFileName().toString())
                    .sorted().toList(), "the killed run's sibling is gone");
        }
    }
}
