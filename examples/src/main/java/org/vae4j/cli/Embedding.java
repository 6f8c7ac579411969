package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.vae4j.cli.plot.LatentPlot;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.eval.Pca;
import org.vae4j.model.Encoder;
import org.vae4j.model.Model;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.TensorScope;

/**
 * The latent codes of a data set drawn as a 2-D scatter plot coloured by class: the codes
 * themselves when they are 2-D, else their first two principal components.
 */
final class Embedding {

    private static final int BATCH = 500;

    private Embedding() {
    }

    /** What was plotted, for the command's report. */
    record Result(int points, int latent, boolean projected, double explained) {
    }

    static Result write(Model model, Dataset data, Path file, String what) throws IOException {
        if (!(model instanceof Encoder enc)) {
            throw new CliException("model '" + model.typeName() + "' has no encoder, so it has"
                    + " no latent codes to plot");
        }
        // rows in the shape the model reads (e.g. an image folder's 3xHxW as flat rows)
        data = model.shaped(data);
        Backend b = model.backend();
        int n = data.size();
        int latent = enc.latentSize();
        float[] codes = new float[n * latent];
        try (DataLoader loader = DataLoader.builder(data, b).setBatchSize(BATCH).build()) {
            for (int i = 0; i < loader.batchesPerEpoch(); i++) {
                try (TensorScope scope = b.newScope()) {
                    Batch batch = loader.batch(0, i);
                    float[] z = enc.encode(batch).toArray();
                    System.arraycopy(z, 0, codes, i * BATCH * latent, z.length);
                }
            }
        }
        double[] x = new double[n];
        double[] y = new double[n];
        boolean projected = latent > 2;
        double explained = 1;
        String xTitle;
        String yTitle;
        if (projected) {
            Pca pca = Pca.fit(Dataset.unlabelled("latent codes", codes, latent), 2, b);
            explained = pca.explainedVarianceRatio();
            double[] var = pca.explainedVariance();
            try (TensorScope scope = b.newScope()) {
                float[] pc = pca.transform(b.fromArray(codes, Shape.of(n, latent))).toArray();
                for (int i = 0; i < n; i++) {
                    x[i] = pc[2 * i];
                    y[i] = pc[2 * i + 1];
                }
            }
            double total = var[0] + var[1];
            xTitle = String.format(Locale.ROOT, "principal component 1 of the %d-D z (%.0f%%"
                    + " of its variance)", latent, 100 * explained * var[0] / total);
            yTitle = String.format(Locale.ROOT, "principal component 2 (%.0f%%)",
                    100 * explained * var[1] / total);
        } else if (latent == 2) {
            for (int i = 0; i < n; i++) {
                x[i] = codes[2 * i];
                y[i] = codes[2 * i + 1];
            }
            xTitle = "z1";
            yTitle = "z2";
        } else {
            // one dimension: z against the class, so the classes separate visibly
            for (int i = 0; i < n; i++) {
                x[i] = codes[i];
                y[i] = data.hasLabels() ? data.label(i) : 0;
            }
            xTitle = "z";
            yTitle = data.hasLabels() ? "class" : "";
        }
        String title = what + ": latent codes of " + n + " test images";
        LatentPlot.write(file, x, y, data.hasLabels() ? data.labels() : null,
                legendNames(data), title, xTitle, yTitle);
        return new Result(n, latent, projected, explained);
    }

    /**
     * The legend's class names: the data set's own (Fashion-MNIST's "Trouser", ...), else
     * "digit 0", ... for MNIST and "class 0", ... for other data.
     */
    static java.util.List<String> legendNames(Dataset data) {
        if (data.hasClassNames() && !data.name().startsWith("mnist")) {
            return data.classNames();
        }
        String classWord = data.name().startsWith("mnist") ? "digit" : "class";
        return data.classNames().stream().map(c -> classWord + " " + c).toList();
    }
}
