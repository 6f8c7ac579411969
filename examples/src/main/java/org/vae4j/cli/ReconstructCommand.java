package org.vae4j.cli;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import org.vae4j.model.Model;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vae4j reconstruct}: test images above their reconstructions. */
@Command(name = "reconstruct", sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "vae4j reconstruct --run=DIR [OPTIONS]",
        description = "Reconstruct MNIST test images with a run's model and write a PNG grid:"
                + " each row of originals above the row of their reconstructions.",
        footer = {"", "Example:",
            "  vae4j reconstruct --run runs/ae-20250101-120000 --n 30 --out recon.png"})
final class ReconstructCommand extends RunModelCommand {

    @Option(names = "--n", paramLabel = "N", defaultValue = "30", order = 3,
            description = "How many test images, 1 to " + Flags.IMAGES_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--columns", paramLabel = "N", defaultValue = "10", order = 4,
            description = "Images per row, 1 to " + Flags.COLUMNS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int columns;

    @Option(names = "--label", paramLabel = "DIGIT", order = 5,
            description = "Conditional models only: test images of this class, 0 to its classes - 1.")
    Integer label;

    @Inject
    ReconstructCommand(ModelRegistry registry, BackendChooser backends) {
        super(registry, backends);
    }

    @Override
    void validate(CommandLine cl) {
        Flags.inRange(cl, "--n", n, 1, Flags.IMAGES_MAX);
        Flags.inRange(cl, "--columns", columns, 1, Flags.COLUMNS_MAX);
        Flags.inRange(cl, "--label", label, 0, Flags.LABEL_MAX);
    }

    @Override
    int run(RunFolder folder, Model model) throws IOException {
        Path file = outFile(folder);
        Pictures.reconstructions(model, imageData(folder), n, columns, label, seed,
                model.typeName() + ": test images (upper rows) and their reconstructions")
                .write(file);
        wrote(file, n + " test images and their reconstructions");
        return 0;
    }
}
