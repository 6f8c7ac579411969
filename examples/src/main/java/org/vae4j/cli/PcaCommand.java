package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.Dataset;
import org.vae4j.eval.ImageGrid;
import org.vae4j.eval.Pca;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae4j pca}: the linear baseline an autoencoder of the same code size should beat. */
@Command(name = "pca", sortOptions = false,
        usageHelpAutoWidth = true, abbreviateSynopsis = true,
        description = {
            "Fit PCA with N components to the MNIST training images and report its squared"
                    + " reconstruction error on the test images: summed over the pixels of an"
                    + " image, and per pixel.",
            "PCA is the best linear code of that size; compare it with an autoencoder of the"
                    + " same latent size ('vae4j train --model ae --latent N', then 'vae4j"
                    + " eval': its squared error per image)."
        },
        footer = {"", "Example:",
            "  vae4j pca --components 32 --out pca.png"})
final class PcaCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @Option(names = "--components", paramLabel = "N", defaultValue = "32", order = 1,
            description = "Principal components to keep (the AE's default latent size is 32)."
                    + " 1 to " + Flags.COMPONENTS_MAX + ". Default: ${DEFAULT-VALUE}.")
    int components;

    @Option(names = "--limit", paramLabel = "N", order = 2,
            description = "Fit on the first N training images only, 2 to " + Flags.LIMIT_MAX
                    + ".")
    Integer limit;

    @Option(names = "--out", paramLabel = "FILE.png", order = 3,
            description = "Also write test images above their PCA reconstructions.")
    Path out;

    @Option(names = "--json", order = 4, description = "Print the results as JSON.")
    boolean json;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final BackendChooser backends;

    @Inject
    PcaCommand(BackendChooser backends) {
        this.backends = backends;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        Flags.inRange(cl, "--limit", limit, 2, Flags.LIMIT_MAX);
        backendOptions.validate(cl);
        if (components < 1 || components > 784) {
            throw Flags.error(cl, "--components must be in 1..784 (the pixels of an MNIST"
                    + " image), got " + components);
        }
        if (out != null && !out.getFileName().toString().toLowerCase().endsWith(".png")) {
            throw Flags.error(cl, "--out must name a .png file, got " + out);
        }
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        DataSource.Loaded data = DataSource.of(cl, dataOptions, null, cl.getErr()).load(limit);
        Dataset train = data.train();
        Dataset test = data.test();
        DataSource.report(data, cl.getOut());
        long start = System.nanoTime();
        Pca pca = Pca.fit(train, components, backend);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        Pca.Error err = pca.reconstructionError(test, backend);
        PrintWriter o = cl.getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("components", components);
            root.put("train_images", train.size());
            root.put("test_images", err.examples());
            root.put("explained_variance_ratio", pca.explainedVarianceRatio());
            root.put("squared_error_per_image", err.perExample());
            root.put("mse_per_pixel", err.perValue());
            root.put("backend", backend.name());
            o.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            o.printf(Locale.ROOT, "PCA with %d components, fitted to %d training images on %s"
                    + " in %.1f s: explains %.1f%% of the pixel variance%n", components,
                    train.size(), backend.name(), fitSeconds,
                    100 * pca.explainedVarianceRatio());
            o.printf(Locale.ROOT, "test reconstruction error (%d images):%n", err.examples());
            o.printf(Locale.ROOT, "  %-18s %.3f  ||x - reconstruction||^2 per image%n",
                    "squared error", err.perExample());
            o.printf(Locale.ROOT, "  %-18s %.5f%n", "MSE per pixel", err.perValue());
        }
        if (out != null) {
            writePicture(pca, test, backend);
            if (!json) {
                o.println("wrote " + out + " (test images above their PCA reconstructions)");
            }
        }
        o.flush();
        return 0;
    }

    private void writePicture(Pca pca, Dataset test, Backend backend) throws Exception {
        int n = 30;
        int[] idx = Pictures.pick(test, n, null, 1);
        float[] originals = Pictures.rows(test, idx);
        float[] recon;
        try (TensorScope scope = backend.newScope()) {
            var x = backend.fromArray(originals, Shape.of(n, test.features()));
            recon = pca.inverseTransform(pca.transform(x)).toArray();
        }
        int d = test.features();
        ImageGrid.Builder grid = Pictures.grid(test).optColumns(10).optGroupRows(2)
                .optTitle("PCA with " + components + " components: test images and their"
                        + " reconstructions");
        for (int start = 0, row = 0; start < n; start += 10, row += 2) {
            grid.addAll(Arrays.copyOfRange(originals, start * d, (start + 10) * d), 10);
            grid.addAll(Arrays.copyOfRange(recon, start * d, (start + 10) * d), 10);
            grid.optRowLabel(row, "original").optRowLabel(row + 1, "reconstructed");
        }
        grid.build().write(out);
    }
}
