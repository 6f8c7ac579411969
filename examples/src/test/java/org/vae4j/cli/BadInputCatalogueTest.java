package org.vae4j.cli;

import static org.vae4j.cli.Folders.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.cli.Cli.Run;
import org.vae4j.io.Safetensors;
import org.vae4j.io.SafetensorsFile;
import org.vae4j.io.TensorData;
import org.vae4j.train.Checkpoint;

/**
 * The permanent catalogue of bad inputs: one row per case, each the command line, the exit
 * status it must give (2 usage error, 1 failure), a fragment its one error line must contain;
 * and for every row, no stack trace and nothing written (the output folder stays absent, the
 * run folders used stay byte for byte as they were). Rows that are refused before any work need
 * no training; the non-finite rows use one quick run whose weights are then spoiled with NaN.
 */
class BadInputCatalogueTest {

    @TempDir
    static Path shared;

    /** A good run, and a copy of it whose weights (final and checkpoint) hold a NaN. */
    static Path good;
    static Path nan;

    @BeforeAll
    static void trainOnce() throws IOException {
        good = shared.resolve("good");
        Cli.assertOk(Cli.quickTrain(good));
        nan = shared.resolve("nan");
        copy(good, nan);
        spoil(nan.resolve("model.safetensors"));
        spoil(Checkpoint.latest(nan).orElseThrow().resolve(Checkpoint.MODEL_FILE));
    }

    /** Writes NaN into element (row 1, column 2) of the file's first matrix. */
    static void spoil(Path file) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, TensorData> tensors = new LinkedHashMap<>(f.tensors());
        String name = tensors.keySet().stream().filter(k -> tensors.get(k).shape().rank() == 2)
                .findFirst().orElseThrow();
        TensorData t = tensors.get(name);
        float[] v = t.values().clone();
        v[t.shape().dim(1) + 2] = Float.NaN;
        tensors.put(name, new TensorData(t.shape(), v));
        Safetensors.write(file, tensors, f.metadata());
    }

    /** One case: a command line ({out}, {good}, {nan} filled in), its status, its message. */
    static Arguments row(int status, String fragment, String... args) {
        return Arguments.of(String.join(" ", args), status, fragment, args);
    }

    static final int USAGE = 2;
    static final int FAILURE = 1;

    static Stream<Arguments> catalogue() {
        String huge = "2147483647";
        return Stream.of(
                // point 4: every number has a range, checked before any work
                row(USAGE, "--lr must be a number > 0 and at most 10", "train", "--lr", "1e308",
                        "--out", "{out}"),
                row(USAGE, "--lr must be a number > 0", "train", "--lr", "NaN", "--out", "{out}"),
                row(USAGE, "--lr must be a number > 0", "train", "--lr", "Infinity", "--out",
                        "{out}"),
                row(USAGE, "--lr must be a number > 0", "train", "--lr", "0", "--out", "{out}"),
                row(USAGE, "--batch-size must be at most 100000", "train", "--batch-size", huge,
                        "--out", "{out}"),
                row(USAGE, "--batch-size must be at least 1", "train", "--batch-size", "0",
                        "--out", "{out}"),
                row(USAGE, "--epochs must be at most 100000", "train", "--epochs", "1000000",
                        "--out", "{out}"),
                row(USAGE, "--epochs must be at least 1", "train", "--epochs", "-3", "--out",
                        "{out}"),
                row(USAGE, "'--epochs'", "train", "--epochs", "1.5", "--out", "{out}"),
                row(USAGE, "--threads must be at most", "train", "--threads", "100000", "--out",
                        "{out}"),
                row(USAGE, "--threads must be at most", "train", "--threads", "40000",
                        "--backend", "ejml", "--out", "{out}"),
                row(USAGE, "--threads must be at least 1", "train", "--threads", "0", "--out",
                        "{out}"),
                row(USAGE, "--limit must be at least 1", "train", "--limit", "0", "--out",
                        "{out}"),
                row(USAGE, "--limit must be at most 10000000", "train", "--limit", huge,
                        "--out", "{out}"),
                row(USAGE, "--checkpoint-every must be at least 0", "train",
                        "--checkpoint-every", "-1", "--out", "{out}"),
                row(USAGE, "--clip-grad-norm must be a number from 0 (no clipping)", "train",
                        "--clip-grad-norm", "-1", "--out", "{out}"),
                row(USAGE, "--accumulate must be at least 1", "train", "--accumulate", "0",
                        "--out", "{out}"),
                row(USAGE, "--lr-schedule must be one of constant, step, cosine", "train",
                        "--lr-schedule", "linear", "--out", "{out}"),
                row(USAGE, "--warmup-steps must be at least 0", "train", "--warmup-steps",
                        "-1", "--out", "{out}"),
                row(USAGE, "'--seed'", "train", "--seed", "9223372036854775808", "--out",
                        "{out}"),
                row(USAGE, "'--seed'", "train", "--seed", "one", "--out", "{out}"),
                row(USAGE, "--epochs must be at least 1", "resume", "--run", "{good}",
                        "--epochs", "0"),
                row(USAGE, "--epochs must be at most", "resume", "--run", "{good}", "--epochs",
                        huge),
                row(USAGE, "--threads must be at most", "resume", "--run", "{good}",
                        "--threads", "100000"),
                row(USAGE, "--iw-samples must be at most 10000", "eval", "--run", "{good}",
                        "--iw-samples", "2000000000"),
                row(USAGE, "--iw-samples must be at least 0", "eval", "--run", "{good}",
                        "--iw-samples", "-1"),
                row(USAGE, "--limit must be at least 1", "eval", "--run", "{good}", "--limit",
                        "0"),
                row(USAGE, "--threads must be at most", "eval", "--run", "{good}", "--threads",
                        huge),
                row(USAGE, "--n must be at least 1", "sample", "--run", "{good}", "--n", "0"),
                row(USAGE, "--n must be at most 10000", "sample", "--run", "{good}", "--n",
                        huge),
                row(USAGE, "--label must be at least 0", "sample", "--run", "{good}", "--label",
                        "-1"),
                row(USAGE, "--label must be at most 65535", "sample", "--run", "{good}",
                        "--label", huge),
                row(USAGE, "--columns must be at most 100", "reconstruct", "--run", "{good}",
                        "--columns", "1000"),
                row(USAGE, "--columns must be at least 1", "reconstruct", "--run", "{good}",
                        "--columns", "0"),
                row(USAGE, "--n must be at most 10000", "reconstruct", "--run", "{good}", "--n",
                        "20000"),
                row(USAGE, "--steps must be at least 2", "interpolate", "--run", "{good}",
                        "--steps", "1"),
                row(USAGE, "--n must be at most 1000", "interpolate", "--run", "{good}", "--n",
                        "5000"),
                row(USAGE, "--limit must be at least 2", "embed", "--run", "{good}", "--limit",
                        "1"),
                row(USAGE, "--components must be in 1..784", "pca", "--components", "0"),
                row(USAGE, "--components must be in 1..784", "pca", "--components", "785"),
                row(USAGE, "--limit must be at least 2", "pca", "--limit", "1"),
                row(USAGE, "--steps must be at least 1", "bench", "--steps", "0"),
                row(USAGE, "--steps must be at most 1000000", "bench", "--steps", huge),
                row(USAGE, "--epochs must be at most 1000", "bench", "--epochs", "100000"),
                row(USAGE, "--batch-size must be at most 100000", "bench", "--batch-size", huge),
                row(USAGE, "--warmup must be at least 0", "bench", "--warmup", "-1"),
                row(USAGE, "--data-rows must be at least 128", "bench", "--data-rows", "10"),
                row(USAGE, "--threads must be at most", "bench", "--threads", "100000"),
                // point 4: empty strings for paths and names
                row(USAGE, "'--out': an empty path", "train", "--out", ""),
                row(USAGE, "'--data': an empty path", "train", "--data", "", "--out", "{out}"),
                row(USAGE, "'--run': an empty path", "eval", "--run", ""),
                row(USAGE, "'--run': an empty path", "resume", "--run", ""),
                row(USAGE, "'--run': an empty path", "sample", "--run", ""),
                row(USAGE, "'--out': an empty path", "sample", "--run", "{good}", "--out", ""),
                row(USAGE, "'--out': an empty path", "pca", "--out", ""),
                row(USAGE, "'--data': an empty path", "pca", "--data", " "),
                row(USAGE, "--backend must not be empty", "train", "--backend", "", "--out",
                        "{out}"),
                row(USAGE, "--backend must not be empty", "eval", "--run", "{good}",
                        "--backend", ""),
                row(USAGE, "--backend must not be empty", "resume", "--run", "{good}",
                        "--backend", ""),
                row(USAGE, "--model must not be empty", "train", "--model", "", "--out",
                        "{out}"),
                row(USAGE, "--model must not be empty", "bench", "--model", " "),
                // point 5: non-finite weights are refused on load, naming tensor and index
                row(FAILURE, "holds NaN at index", "eval", "--run", "{nan}", "--backend",
                        "ejml"),
                row(FAILURE, "--allow-non-finite loads them anyway", "sample", "--run", "{nan}",
                        "--backend", "ejml"),
                row(FAILURE, "(row 1, column 2)", "reconstruct", "--run", "{nan}", "--backend",
                        "ejml"),
                row(FAILURE, "the weights are unusable", "interpolate", "--run", "{nan}",
                        "--backend", "ejml"),
                row(FAILURE, "holds NaN at index", "embed", "--run", "{nan}", "--backend",
                        "ejml"),
                // point 6: one exit-code scheme; names and model settings are usage errors
                row(USAGE, "--backend names backend 'cuda'", "train", "--backend", "cuda",
                        "--out", "{out}"),
                row(USAGE, "--backend names backend 'cuda'", "sample", "--run", "{good}",
                        "--backend", "cuda"),
                row(USAGE, "--backend names backend 'cuda'", "bench", "--backend", "cuda"),
                row(USAGE, "unknown model 'gan'", "train", "--model", "gan", "--out", "{out}"),
                row(USAGE, "latent", "train", "--latent", "0", "--backend", "ejml", "--limit",
                        "64", "--out", "{out}"),
                row(USAGE, "activation", "train", "--set", "activation=swish", "--backend",
                        "ejml", "--limit", "64", "--out", "{out}"),
                row(USAGE, "--label applies to conditional models only", "sample", "--run",
                        "{good}", "--label", "3", "--backend", "ejml"),
                row(USAGE, "Unknown option", "train", "--zzz", "--out", "{out}"),
                row(USAGE, "Unmatched argument", "frobnicate"),
                row(USAGE, "Missing required option", "eval"),
                row(FAILURE, "does not exist", "eval", "--run", "{out}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void isOneClearErrorWithItsExitCodeAndWritesNothing(String line, int status,
            String fragment, String[] args, @TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("out");
        Map<String, byte[]> goodBefore = snapshot(good);
        Map<String, byte[]> nanBefore = snapshot(nan);
        List<String> filled = new ArrayList<>();
        for (String a : args) {
            filled.add(a.replace("{out}", out.toString()).replace("{good}", good.toString())
                    .replace("{nan}", nan.toString()));
        }
        Run r = Cli.run(filled.toArray(String[]::new));
        Cli.assertFailsWith(r, fragment);
        assertEquals(status, r.status(), () -> "exit status of: " + line + "\n" + r.err());
        assertTrue(!Files.exists(out), "nothing is written: " + out);
        assertSameFiles(goodBefore, good);
        assertSameFiles(nanBefore, nan);
    }

    @Test
    void resumeRefusesACheckpointWithNonFiniteWeights(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("nan");
        copy(nan, run);
        Run r = Cli.run("resume", "--run", run.toString(), "--epochs", "2");
        Cli.assertFailsWith(r, Checkpoint.MODEL_FILE, "holds NaN at index",
                "the weights are unusable");
        assertEquals(1, r.status());
    }

    @Test
    void allowNonFiniteLoadsSpoiledWeightsForAPostMortem(@TempDir Path tmp) {
        Run r = Cli.run("eval", "--run", nan.toString(), "--allow-non-finite", "--iw-samples",
                "0", "--limit", "100", "--backend", "ejml");
        Cli.assertOk(r);
        assertTrue(r.out().contains("NaN"), r.out());
    }

    @Test
    void debugShowsTheStackTrace() {
        Run r = Cli.run("eval", "--run", shared.resolve("missing").toString(), "--debug");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("error: run folder "), r.err());
        assertTrue(r.err().contains("\tat org.vae4j.cli."), r.err());
        Run usage = Cli.run("train", "--epochs", "0", "--debug");
        assertEquals(2, usage.status());
        assertTrue(usage.err().contains("\tat "), usage.err());
    }

    @Test
    void theTopLevelHelpDocumentsTheExitCodes() {
        Run r = Cli.run("--help");
        Cli.assertOk(r);
        for (String s : new String[] {"Exit codes:", "0    success", "1    failure",
            "2    usage error", "130  interrupted", "143  terminated", "--debug"}) {
            assertTrue(r.out().contains(s), () -> s + " not in:\n" + r.out());
        }
    }

    @Test
    void everyNumberFlagStatesItsRangeInHelp() {
        String train = help("train");
        for (String s : new String[] {"1 to 100000", "at most 10", "4 x the",
            "-2^63"}) {
            assertTrue(train.contains(s), () -> s + " not in train --help:\n" + train);
        }
        assertTrue(help("eval").contains("0 to 10000"), () -> help("eval"));
        assertTrue(help("interpolate").contains("2 to 100"), () -> help("interpolate"));
        assertTrue(help("bench").contains("1 to 1000000"), () -> help("bench"));
    }

    /** A command's help with its line wrapping undone. */
    private static String help(String command) {
        return Cli.run(command, "--help").out().replaceAll("\\s+", " ");
    }
}
