package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weights of one architecture in a run of the other are one error naming both, through the
 * program, not a list of parameter shape mismatches.
 */
class ArchitectureMismatchTest {

    @TempDir
    Path tmp;

    @Test
    void weightsOfTheOtherArchitectureAreOneErrorNamingBoth() throws Exception {
        Path mlp = tmp.resolve("mlp");
        Path conv = tmp.resolve("conv");
        Cli.assertOk(Cli.quickTrain(mlp));
        Cli.assertOk(Cli.quickTrain(conv, "--arch", "conv"));
        Path mlpWeights = tmp.resolve("mlp.safetensors");
        Path convWeights = tmp.resolve("conv.safetensors");
        Files.copy(mlp.resolve(RunFolder.WEIGHTS), mlpWeights);
        Files.copy(conv.resolve(RunFolder.WEIGHTS), convWeights);
        replaceEveryWeightsFile(mlp, convWeights);
        replaceEveryWeightsFile(conv, mlpWeights);
        Cli.assertFailsWith(Cli.run("eval", "--run", mlp.toString(), "--backend", "ejml",
                "--limit", "100"), "weights of the conv architecture",
                "trains the mlp architecture");
        Cli.assertFailsWith(Cli.run("sample", "--run", conv.toString(), "--backend", "ejml"),
                "weights of the mlp architecture", "trains the conv architecture");
    }

    /** The final weights and every checkpoint's, so whichever the command loads is swapped. */
    private static void replaceEveryWeightsFile(Path run, Path weights) throws Exception {
        try (var files = Files.walk(run)) {
            for (Path f : files.filter(p -> p.getFileName().toString()
                    .equals(RunFolder.WEIGHTS)).toList()) {
                Files.copy(weights, f, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
