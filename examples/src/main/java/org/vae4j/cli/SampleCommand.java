package org.vae4j.cli;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import org.vae4j.model.Model;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vae4j sample}: draws new images from a generative model's prior. */
@Command(name = "sample", sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "vae4j sample --run=DIR [OPTIONS]",
        description = {
            "Draw new images from a generative model (vae, cvae, beta-vae, vq-vae) and write"
                    + " them as a PNG grid.",
            "A conditional model (cvae) draws one row per digit, or only --label's digit."
        },
        footer = {"", "Examples:",
            "  vae4j sample --run runs/vae-20250101-120000 --n 64 --out samples.png",
            "  vae4j sample --run runs/cvae-20250101-120000 --label 7"})
final class SampleCommand extends RunModelCommand {

    @Option(names = "--n", paramLabel = "N", defaultValue = "64", order = 3,
            description = "How many images (a conditional model without --label spreads them"
                    + " over one row per digit); 1 to " + Flags.IMAGES_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--label", paramLabel = "DIGIT", order = 4,
            description = "Conditional models only: draw images of this class, 0 to its classes - 1.")
    Integer label;

    @Inject
    SampleCommand(ModelRegistry registry, BackendChooser backends) {
        super(registry, backends);
    }

    @Override
    void validate(CommandLine cl) {
        Flags.inRange(cl, "--n", n, 1, Flags.IMAGES_MAX);
        Flags.inRange(cl, "--label", label, 0, Flags.LABEL_MAX);
    }

    @Override
    int run(RunFolder folder, Model model) throws IOException {
        var test = imageData(folder);
        int classes = Pictures.classesOf(model);
        int perRow = classes > 0 && label == null ? Math.max(1, n / classes) : n;
        Path file = outFile(folder);
        String title = model.typeName() + ": samples from the prior"
                + (label != null ? " with label " + label : "") + " (seed " + seed + ")";
        Pictures.samples(model, test, perRow, label, seed, title).write(file);
        wrote(file, perRow == n ? n + " samples"
                : perRow + " samples per label");
        return 0;
    }
}
