package org.vae4j.cli;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import org.vae4j.model.Model;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vae4j interpolate}: walks in latent space between pairs of test images. */
@Command(name = "interpolate", sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "vae4j interpolate --run=DIR [OPTIONS]",
        description = {
            "Encode pairs of MNIST test images, decode points on the straight line between"
                    + " their latent codes, and write a PNG grid: one row per pair, the two"
                    + " originals at the ends.",
            "A conditional model (cvae) pairs images of one class and decodes with it."
        },
        footer = {"", "Example:",
            "  vae4j interpolate --run runs/vae-20250101-120000 --n 8 --steps 10"})
final class InterpolateCommand extends RunModelCommand {

    @Option(names = "--n", paramLabel = "PAIRS", defaultValue = "8", order = 3,
            description = "How many pairs (rows), 1 to " + Flags.PAIRS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int pairs;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10", order = 4,
            description = "Decoded points per row, endpoints included, 2 to " + Flags.STEPS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--label", paramLabel = "DIGIT", order = 5,
            description = "Conditional models only: pairs of this class, 0 to its classes - 1.")
    Integer label;

    @Inject
    InterpolateCommand(ModelRegistry registry, BackendChooser backends) {
        super(registry, backends);
    }

    @Override
    void validate(CommandLine cl) {
        Flags.inRange(cl, "--n", pairs, 1, Flags.PAIRS_MAX);
        Flags.inRange(cl, "--steps", steps, 2, Flags.STEPS_MAX);
        Flags.inRange(cl, "--label", label, 0, Flags.LABEL_MAX);
    }

    @Override
    int run(RunFolder folder, Model model) throws IOException {
        Path file = outFile(folder);
        Pictures.interpolations(model, imageData(folder), pairs, steps, label, seed,
                model.typeName() + ": decoded points between the latent codes of two test"
                        + " images (the images at both ends)")
                .write(file);
        wrote(file, pairs + " interpolations of " + steps + " steps");
        return 0;
    }
}
