package org.vae4j.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.cli.export.PytorchExportTest.Case;
import org.vae4j.cli.export.PytorchPythonTest.Result;
import org.vae4j.model.Model;

/**
 * ONNX's own checker ({@code onnx.checker.check_model} with full shape inference, from the
 * Debian package python3-onnx, which {@code .ci/run} installs) accepts every exported file.
 */
class OnnxCheckerTest {

    static boolean onnx;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findOnnx() throws Exception {
        onnx = Files.isExecutable(Path.of(PytorchPythonTest.PYTHON)) && PytorchPythonTest.run(
                List.of(PytorchPythonTest.PYTHON, "-c", "import onnx"), null).status() == 0;
        if (!onnx) {
            String banner = "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
                    + "!!! OnnxCheckerTest: " + PytorchPythonTest.PYTHON + " has no onnx (apt-get"
                    + " install python3-onnx):\n!!! ONNX's checker did NOT run.\n"
                    + "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n";
            System.out.println(banner);
            System.err.println(banner);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.vae4j.cli.export.OnnxExportTest#cases")
    void onnxsCheckerAcceptsEveryFile(Case c) throws Exception {
        assumeTrue(onnx, "python3-onnx is not installed");
        try (Model m = OnnxExportTest.original(c); Model t = OnnxExportTest.traced(c, m)) {
            Path out = tmp.resolve("onnx");
            OnnxExporter.export(t, out, false, OnnxExporter.ScoreSpec.DEFAULT,
                    new java.util.ArrayList<>());
            List<String> files = new ArrayList<>();
            for (String f : PytorchExportTest.names(out)) {
                if (f.endsWith(".onnx")) {
                    files.add(out.resolve(f).toString());
                }
            }
            // encoder, decoder and, for every model that offers anomaly scores, score.onnx
            assertEquals(t instanceof org.vae4j.anomaly.AnomalyScorer ? 3 : 2, files.size(),
                    files.toString());
            String script = "import sys, onnx\n"
                    + "for f in sys.argv[1:]:\n"
                    + "    m = onnx.load(f)\n"
                    + "    onnx.checker.check_model(m, full_check=True)\n"
                    + "    assert m.opset_import[0].version == " + OnnxExporter.OPSET + "\n"
                    + "    assert m.graph.input[0].type.tensor_type.shape.dim[0].dim_param == 'N'\n"
                    + "print('ok')\n";
            List<String> cmd = new ArrayList<>(List.of(PytorchPythonTest.PYTHON, "-c", script));
            cmd.addAll(files);
            Result r = PytorchPythonTest.run(cmd, null);
            assertEquals(0, r.status(), r.output());
            assertEquals("ok", r.output().strip(), r.output());
        }
    }
}
