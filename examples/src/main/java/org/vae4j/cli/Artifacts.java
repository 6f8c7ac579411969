package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vae4j.cli.plot.LossPlot;
import org.vae4j.data.Dataset;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.Model;
import org.vae4j.model.Reconstructor;
import org.vae4j.train.EpochSummary;

/**
 * The pictures of a finished run: {@code reconstructions.png}, {@code samples.png} (generative
 * models), {@code latent.png} (models with an encoder) and {@code loss.png}. Each is written
 * atomically; a model without the capability simply gets no such picture.
 */
final class Artifacts {

    /** Test images in {@code reconstructions.png}, and its columns. */
    static final int RECONSTRUCTIONS = 30;
    static final int COLUMNS = 10;
    /** Draws in {@code samples.png} (per class for a conditional model: 10). */
    static final int SAMPLES = 100;
    /** The seed of the pictures' choice of images and draws, so reruns give the same pictures. */
    static final long PICTURE_SEED = 1;

    /** The most test examples the latent plot of a run draws (MNIST's test set has 10,000). */
    static final int LATENT_POINTS = 10_000;

    private Artifacts() {
    }

    /** Writes every picture the model supports into {@code dir}; returns the file names. */
    static List<String> writeAll(Path dir, Model model, Dataset test, List<EpochSummary> history,
            String what) throws IOException {
        List<String> written = new ArrayList<>();
        int epochs = history.size();
        String after = " after " + epochs + (epochs == 1 ? " epoch" : " epochs");
        // pictures of reconstructions and samples need images (grey or RGB); a table gets the
        // latent plot and the loss curves
        boolean images = test.hasImageShape();
        if (model instanceof Reconstructor && images) {
            Pictures.reconstructions(model, test, RECONSTRUCTIONS, COLUMNS, null, PICTURE_SEED,
                    what + ": test images and their reconstructions" + after)
                    .write(dir.resolve(RunFolder.RECONSTRUCTIONS));
            written.add(RunFolder.RECONSTRUCTIONS);
        }
        if (model instanceof Generator g && images) {
            int n = g.numClasses() > 0 ? 10 : SAMPLES;
            Pictures.samples(model, test, n, null, PICTURE_SEED,
                    what + ": samples from the prior" + after)
                    .write(dir.resolve(RunFolder.SAMPLES));
            written.add(RunFolder.SAMPLES);
        }
        if (model instanceof Encoder) {
            // the first MNIST-sized share of the test set: a plot of bounded size however
            // large the test set (e.g. one read from disk)
            Embedding.write(model, test.take(LATENT_POINTS), dir.resolve(RunFolder.LATENT),
                    what);
            written.add(RunFolder.LATENT);
        }
        if (!history.isEmpty()) {
            LossPlot.write(dir.resolve(RunFolder.LOSS), history, what);
            written.add(RunFolder.LOSS);
        }
        return written;
    }
}
