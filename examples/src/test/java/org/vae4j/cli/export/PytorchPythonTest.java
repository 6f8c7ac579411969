package org.vae4j.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.Batch;
import org.vae4j.io.Safetensors;
import org.vae4j.io.SafetensorsFile;
import org.vae4j.io.TensorData;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Model;
import org.vae4j.model.Models;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The exported {@code model.py} run by PyTorch ({@code /usr/bin/python3} with {@code torch}):
 * it loads the state dict (with its own safetensors reader when the package is missing) and its
 * {@code encode} and {@code decode} give vae4j's outputs within 1e-5 relative, for every built-in
 * model, MLP and conv; and a state dict trained in PyTorch imports into vae4j and decodes as
 * PyTorch does. Without torch the check cannot run, and the test says so loudly on stdout and
 * stderr.
 */
class PytorchPythonTest {

    static final String PYTHON = "/usr/bin/python3";
    static final double TOLERANCE = 1e-5;

    static boolean torch;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findTorch() throws Exception {
        torch = Files.isExecutable(Path.of(PYTHON))
                && run(List.of(PYTHON, "-c", "import torch"), null).status == 0;
        if (!torch) {
            String banner = "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
                    + "!!! PytorchPythonTest: " + PYTHON + " has no torch: the exported model.py\n"
                    + "!!! was NOT run in PyTorch; the Python check did not run.\n"
                    + "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n";
            System.out.println(banner);
            System.err.println(banner);
        }
    }

    record Result(int status, String output) {
    }

    static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), out);
    }

    Path script() throws IOException {
        Path file = tmp.resolve("check_pytorch.py");
        try (InputStream in = getClass().getResourceAsStream("check_pytorch.py")) {
            Files.copy(in, file);
        }
        return file;
    }

    static int[] labels(Model m, int n) {
        if (!(m instanceof org.vae4j.model.Generator g) || g.numClasses() == 0) {
            return null;
        }
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % g.numClasses();
        }
        return l;
    }

    static TensorData oneHot(int[] labels, int classes) {
        float[] v = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            v[i * classes + labels[i]] = 1;
        }
        return new TensorData(Shape.of(labels.length, classes), v);
    }

    @Test
    void generatedModuleGivesVae4jsOutputsInPytorch() throws Exception {
        if (!torch) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString(), "check"));
        List<PytorchExportTest.Case> cases = PytorchExportTest.cases();
        for (PytorchExportTest.Case c : cases) {
            Path out = tmp.resolve(c.name());
            try (Model m = PytorchExportTest.randomised(c, 5)) {
                PytorchExporter.export(m, out, false);
                int n = 3;
                Rng rng = new Rng(9);
                Tensor x = rng.uniform(m.backend(), Shape.of(n, m.inputSize()), 0, 1);
                int[] labels = labels(m, n);
                int latent = ((Encoder) m).latentSize();
                Tensor z = rng.normal(m.backend(), Shape.of(n, latent), 0, 1);
                Map<String, TensorData> io = new LinkedHashMap<>();
                io.put("x", TensorData.of(x));
                io.put("z", TensorData.of(z));
                if (labels != null) {
                    io.put("y", oneHot(labels, ((org.vae4j.model.Generator) m).numClasses()));
                }
                io.put("enc", TensorData.of(((Encoder) m).encode(new Batch(x, labels))));
                io.put("dec", TensorData.of(((Decoder) m).decode(z, labels)));
                Safetensors.write(out.resolve("check.safetensors"), io, Map.of());
            }
            command.add(out.toString());
        }
        Result r = run(command, tmp);
        System.out.println("model.py in PyTorch against vae4j (largest difference relative to"
                + " the largest magnitude):\n" + r.output());
        assertEquals(0, r.status(), r.output());
        long ok = r.output().lines().filter(l -> l.startsWith("ok ")).count();
        assertEquals(cases.size(), ok, r.output());
    }

    @Test
    void aStateDictTrainedInPytorchImportsAndDecodesAsInPytorch() throws Exception {
        if (!torch) {
            return;
        }
        Path script = script();
        List<PytorchExportTest.Case> all = PytorchExportTest.cases();
        // an MLP VAE, a conv CVAE, a conv VAE with batch norm, a conv VQ-VAE with EMA
        for (int i : new int[] {4, 7, 5, 11}) {
            PytorchExportTest.Case c = all.get(i);
            Path out = tmp.resolve(c.name());
            try (Model m = Models.create(c.model(), c.config(), PytorchExportTest.BACKEND, 1)) {
                PytorchExporter.export(m, out, false);
            }
            Path trained = tmp.resolve(c.name() + "-torch.safetensors");
            Result r = run(List.of(PYTHON, script.toString(), "train", out.toString(),
                    trained.toString()), tmp);
            assertEquals(0, r.status(), r.output());
            SafetensorsFile io = Safetensors.read(Path.of(trained + ".io"));
            try (Model m = Models.create(c.model(), c.config(), PytorchExportTest.BACKEND, 2)) {
                PytorchImporter.load(trained, m);
                TensorData z = io.tensors().get("z");
                int[] labels = null;
                TensorData y = io.tensors().get("y");
                if (y != null) {
                    int classes = y.shape().dim(1);
                    labels = new int[y.shape().dim(0)];
                    for (int k = 0; k < labels.length; k++) {
                        for (int j = 0; j < classes; j++) {
                            if (y.values()[k * classes + j] == 1) {
                                labels[k] = j;
                            }
                        }
                    }
                }
                float[] got = ((Decoder) m).decode(z.toTensor(m.backend()), labels).toArray();
                float[] want = io.tensors().get("dec").values();
                assertEquals(want.length, got.length);
                double scale = 0;
                double diff = 0;
                for (int k = 0; k < want.length; k++) {
                    scale = Math.max(scale, Math.abs(want[k]));
                    diff = Math.max(diff, Math.abs(want[k] - got[k]));
                }
                System.out.printf("%s trained in PyTorch, decoded by vae4j: relative difference"
                        + " %.3g%n", c.name(), diff / scale);
                assertTrue(diff <= TOLERANCE * scale, c.name() + ": " + diff + " of " + scale);
            }
        }
    }
}
