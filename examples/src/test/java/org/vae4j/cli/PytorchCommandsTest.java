package org.vae4j.cli;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;
import org.vae4j.io.Safetensors;
import org.vae4j.io.SafetensorsFile;
import org.vae4j.io.TensorData;
import org.vae4j.tensor.Shape;

/**
 * {@code vae4j export --format pytorch} and {@code vae4j import --format pytorch} on quick runs:
 * an imported run is the run itself to eval, score and sample, and every bad input is one error
 * with nothing written.
 */
class PytorchCommandsTest {

    @TempDir
    static Path shared;

    static Path vae;
    static Path conv;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() {
        vae = shared.resolve("vae");
        conv = shared.resolve("conv");
        Cli.assertOk(Cli.quickTrain(vae));
        Cli.assertOk(Cli.quickTrain(conv, "--arch", "conv", "--conv-channels", "4,8", "--norm",
                "batch", "--limit", "128", "--hidden", "8"));
    }

    static String evalJson(Path run) {
        Run r = Cli.run("eval", "--run", run.toString(), "--json", "--backend", "ejml",
                "--limit", "200", "--iw-samples", "2");
        Cli.assertOk(r);
        return r.out();
    }

    @Test
    void anExportedRunImportsAsARunThatEvaluatesExactlyAsTheOriginal() throws IOException {
        for (Path run : List.of(vae, conv)) {
            Path export = tmp.resolve(run.getFileName() + "-torch");
            Run e = Cli.run("export", "--run", run.toString(), "--format", "pytorch", "--out",
                    export.toString(), "--backend", "ejml");
            Cli.assertOk(e);
            assertTrue(e.out().contains("wrote " + export), e.out());
            Path imported = tmp.resolve(run.getFileName() + "-imported");
            List<String> args = new java.util.ArrayList<>(List.of("import", "--format",
                    "pytorch", "--state", export.resolve("model.safetensors").toString(),
                    "--model", "vae", "--out", imported.toString(), "--backend", "ejml"));
            args.addAll(run == vae ? List.of("--hidden", "32", "--latent", "4")
                    : List.of("--hidden", "8", "--latent", "4", "--arch", "conv",
                    "--conv-channels", "4,8", "--norm", "batch"));
            Cli.assertOk(Cli.run(args.toArray(String[]::new)));
            SafetensorsFile a = Safetensors.read(run.resolve("model.safetensors"));
            SafetensorsFile b = Safetensors.read(imported.resolve("model.safetensors"));
            assertEquals(a.tensors().keySet(), b.tensors().keySet());
            a.tensors().forEach((k, t) -> assertTrue(java.util.Arrays.equals(t.values(),
                    b.tensors().get(k).values()), k + " differs"));
            // every number the same; only the paths differ
            String paths = "\"(run|weights)\"\\s*:\\s*\"[^\"]*\"";
            String original = evalJson(run).replaceAll(paths, "");
            String again = evalJson(imported).replaceAll(paths, "");
            assertTrue(original.contains("negative_elbo"), original);
            assertEquals(original, again);
            Cli.assertOk(Cli.run("score", "--run", imported.toString(), "--limit", "20",
                    "--backend", "ejml", "--out", tmp.resolve(run.getFileName() + ".csv")
                    .toString()));
            Cli.assertOk(Cli.run("sample", "--run", imported.toString(), "--n", "4",
                    "--backend", "ejml", "--out", tmp.resolve(run.getFileName() + ".png")
                    .toString()));
        }
    }

    @Test
    void exportToAnExistingFolderWithoutForceIsOneError() throws IOException {
        Path export = tmp.resolve("torch");
        Cli.assertOk(Cli.run("export", "--run", vae.toString(), "--format", "pytorch",
                "--out", export.toString()));
        Cli.assertFailsWith(Cli.run("export", "--run", vae.toString(), "--format", "pytorch",
                "--out", export.toString()), "already exists", "--force");
        Cli.assertOk(Cli.run("export", "--run", vae.toString(), "--format", "pytorch",
                "--out", export.toString(), "--force"));
        Cli.assertFailsWith(Cli.run("export", "--run", vae.toString(), "--format", "keras",
                "--out", tmp.resolve("k").toString()), "--format must be pytorch");
        assertEquals(List.of("torch"), names(tmp));
    }

    @Test
    void importOfAStateDictThatDoesNotFitIsOneErrorNamingEachTensorAndWritesNothing()
            throws IOException {
        Path export = tmp.resolve("torch");
        Cli.assertOk(Cli.run("export", "--run", vae.toString(), "--format", "pytorch",
                "--out", export.toString()));
        SafetensorsFile sd = Safetensors.read(export.resolve("model.safetensors"));
        Map<String, TensorData> t = new LinkedHashMap<>(sd.tensors());
        t.remove("encoder.0.bias");
        t.put("decoder.0.weight", new TensorData(Shape.of(4, 32), new float[128]));
        t.put("extra.weight", new TensorData(Shape.of(3), new float[3]));
        Path bad = tmp.resolve("bad.safetensors");
        Safetensors.write(bad, t, Map.of());
        Path out = tmp.resolve("run");
        Cli.assertFailsWith(Cli.run("import", "--format", "pytorch", "--state", bad.toString(),
                "--model", "vae", "--hidden", "32", "--latent", "4", "--out", out.toString()),
                "3 problems", "missing encoder.0.bias [32] float32",
                "decoder.0.weight has shape [4, 32], expected [32, 4] float32",
                "unexpected extra.weight [3] float32");
        // the settings of another model: every tensor named with the shape it should have
        Cli.assertFailsWith(Cli.run("import", "--format", "pytorch", "--state",
                export.resolve("model.safetensors").toString(), "--model", "vae", "--hidden",
                "16", "--latent", "4", "--out", out.toString()),
                "encoder.0.weight has shape [32, 784], expected [16, 784] float32");
        Cli.assertFailsWith(Cli.run("import", "--format", "pytorch", "--state",
                tmp.resolve("none.safetensors").toString(), "--model", "vae", "--out",
                out.toString()), "does not exist");
        assertFalse(Files.exists(out));
        assertEquals(List.of("bad.safetensors", "torch"), names(tmp));
    }

    @Test
    void importIntoAnExistingRunNeedsForce() {
        Path export = tmp.resolve("torch");
        Cli.assertOk(Cli.run("export", "--run", vae.toString(), "--format", "pytorch",
                "--out", export.toString()));
        String state = export.resolve("model.safetensors").toString();
        Cli.assertFailsWith(Cli.run("import", "--format", "pytorch", "--state", state,
                "--model", "vae", "--hidden", "32", "--latent", "4", "--out", vae.toString()),
                "already holds a run", "--force");
        Path copy = tmp.resolve("copy");
        Cli.assertOk(Cli.run("import", "--format", "pytorch", "--state", state, "--model", "vae",
                "--hidden", "32", "--latent", "4", "--out", copy.toString()));
        Cli.assertOk(Cli.run("import", "--format", "pytorch", "--state", state, "--model", "vae",
                "--hidden", "32", "--latent", "4", "--out", copy.toString(), "--force"));
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
