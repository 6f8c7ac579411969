package org.vae4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.TrainerState;

/** The spark-submit training job end to end on a local[2] master, and its argument errors. */
class TrainJobTest {
    @TempDir
    Path dir;

    @Test
    void trainsACsvIntoARunFolderAndResumesIt() throws Exception {
        Path csv = dir.resolve("train.csv");
        float[] x = TrainingFixtures.rows(200, 2);
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", TrainingFixtures.names()));
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < TrainingFixtures.WIDTH; j++) {
                b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f",
                        x[i * TrainingFixtures.WIDTH + j]));
            }
            lines.add(b.toString());
        }
        Files.write(csv, lines);
        Path run = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("--input", csv.toString(), "--features",
                String.join(",", TrainingFixtures.names()), "--model", "ae", "--config",
                "{\"input\":6,\"hidden\":[8],\"latent\":2}", "--run", run.toString(),
                "--workers", "2", "--batch", "50", "--backend", "ejml"));
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
        try {
            List<String> first = new ArrayList<>(args);
            first.addAll(List.of("--epochs", "1"));
            TrainJob.main(first.toArray(String[]::new));
            assertTrue(Files.isRegularFile(run.resolve(Checkpoint.MODEL_FILE)));
            IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                    () -> TrainJob.main(first.toArray(String[]::new)));
            assertTrue(again.getMessage().contains("already holds a run; give --resume"),
                    again.getMessage());
            List<String> more = new ArrayList<>(args);
            more.addAll(List.of("--epochs", "2", "--resume"));
            TrainJob.main(more.toArray(String[]::new));
        } finally {
            System.clearProperty("spark.master");
            System.clearProperty("spark.ui.enabled");
        }
        TrainerState state = Checkpoint.readState(Checkpoint.latest(run).orElseThrow());
        assertEquals(2, state.epoch());
        assertEquals(8, state.step());
    }

    @Test
    void badArgumentsAreOneClearError() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TrainJob.parse(new String[] {"--inptu", "x"}));
        assertTrue(unknown.getMessage().startsWith("unknown option --inptu"),
                unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TrainJob.parse(new String[] {"--input", "x", "--model", "ae"}));
        assertTrue(missing.getMessage().startsWith("--run is required"), missing.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> TrainJob.parse(new String[] {"--input"}));
        assertEquals("--input needs a value", value.getMessage());
    }
}
