package org.vae4j.cli;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vae4j embed}: a scatter plot of the test set's latent codes. */
@Command(name = "embed", sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "vae4j embed --run=DIR [OPTIONS]",
        description = "Encode the MNIST test set and plot its latent codes in 2-D, coloured by"
                + " digit (the first two principal components when the latent has more than"
                + " two dimensions).",
        footer = {"", "Example:",
            "  vae4j embed --run runs/vae-20250101-120000 --out latent.png"})
final class EmbedCommand extends RunModelCommand {

    @Option(names = "--limit", paramLabel = "N", order = 3,
            description = "Plot the first N test images only, 2 to " + Flags.LIMIT_MAX
                    + ". Default: all 10000.")
    Integer limit;

    @Inject
    EmbedCommand(ModelRegistry registry, BackendChooser backends) {
        super(registry, backends);
    }

    @Override
    void validate(CommandLine cl) {
        Flags.inRange(cl, "--limit", limit, 2, Flags.LIMIT_MAX);
    }

    @Override
    int run(RunFolder folder, Model model) throws IOException {
        Dataset test = testData(folder);
        if (limit != null) {
            test = test.take(limit);
        }
        Path file = outFile(folder);
        Embedding.Result r = Embedding.write(model, test, file, model.typeName());
        wrote(file, r.points() + " latent codes"
                + (r.projected() ? String.format(Locale.ROOT, ", %d-D projected on 2 principal"
                + " components explaining %.0f%% of their variance", r.latent(),
                100 * r.explained()) : ""));
        return 0;
    }
}
