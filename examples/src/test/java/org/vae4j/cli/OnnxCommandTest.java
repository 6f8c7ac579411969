package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.Cli.Run;
import org.vae4j.onnx.proto.Onnx.ModelProto;

/** {@code vae4j export --format onnx} on a trained run. */
class OnnxCommandTest {

    @TempDir
    static Path shared;

    static Path vae;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() {
        vae = shared.resolve("vae");
        Cli.assertOk(Cli.quickTrain(vae));
    }

    @Test
    void writesEncoderAndDecoderWithADynamicBatchAndRefusesAnExistingFolder()
            throws IOException {
        Path export = tmp.resolve("onnx");
        Run e = Cli.run("export", "--run", vae.toString(), "--format", "onnx", "--out",
                export.toString());
        Cli.assertOk(e);
        assertTrue(e.out().contains("wrote " + export + " (encoder.onnx, decoder.onnx,"
                + " score.onnx, config.json; opset 17)"), e.out());
        ModelProto enc = ModelProto.parseFrom(Files.readAllBytes(export.resolve("encoder.onnx")));
        assertEquals(17, enc.getOpsetImport(0).getVersion());
        assertEquals("x", enc.getGraph().getInput(0).getName());
        assertEquals("N", enc.getGraph().getInput(0).getType().getTensorType().getShape()
                .getDim(0).getDimParam());
        assertEquals("z", enc.getGraph().getOutput(0).getName());
        assertTrue(Files.readString(export.resolve("config.json"))
                .contains("\"format\" : \"vae4j-onnx-export\""));
        Cli.assertFailsWith(Cli.run("export", "--run", vae.toString(), "--format", "onnx",
                "--out", export.toString()), "already exists", "--force");
        Cli.assertOk(Cli.run("export", "--run", vae.toString(), "--format", "onnx",
                "--out", export.toString(), "--force"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("onnx"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void scoreOnnxComputesTheAskedScoreWithOneNoiseInputPerDraw() throws IOException {
        Path export = tmp.resolve("iw");
        Cli.assertOk(Cli.run("export", "--run", vae.toString(), "--format", "onnx", "--out",
                export.toString(), "--score", "iw-nll", "--samples", "3"));
        ModelProto score = ModelProto.parseFrom(Files.readAllBytes(export.resolve("score.onnx")));
        assertEquals(List.of("x", "noise_0", "noise_1", "noise_2"), score.getGraph()
                .getInputList().stream().map(v -> v.getName()).toList());
        assertEquals("score", score.getGraph().getOutput(0).getName());
        String config = Files.readString(export.resolve("config.json"));
        assertTrue(config.contains("\"name\" : \"iw-nll\""), config);
        Cli.assertFailsWith(Cli.run("export", "--run", vae.toString(), "--format", "onnx",
                "--out", tmp.resolve("bad").toString(), "--score", "bogus"),
                "model vae has no score 'bogus'; its scores: elbo");
        Cli.assertFailsWith(Cli.run("export", "--run", vae.toString(), "--format", "pytorch",
                "--score", "elbo"), "--score is for --format onnx");
    }
}
