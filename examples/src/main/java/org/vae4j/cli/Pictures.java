package org.vae4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.eval.ImageGrid;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.Model;
import org.vae4j.model.Reconstructor;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * The image grids of the {@code sample}, {@code reconstruct} and {@code interpolate} commands and
 * of a finished run. Each checks that the model can do what is asked and says so otherwise.
 */
final class Pictures {

    private Pictures() {
    }

    /** The number of label classes of a conditional model; 0 for an unconditional one. */
    static int classesOf(Model model) {
        return model instanceof Generator g ? g.numClasses() : 0;
    }

    /** Checks {@code --label} against the model: only conditional models take one. */
    static void checkLabel(Model model, Integer label) {
        if (label == null) {
            return;
        }
        int classes = classesOf(model);
        if (classes == 0) {
            throw new UsageException("--label applies to conditional models only; '"
                    + model.typeName() + "' is unconditional (train one with --model cvae)");
        }
        if (label < 0 || label >= classes) {
            throw new UsageException("--label must be a class in 0.." + (classes - 1) + ", got "
                    + label);
        }
    }

    private static void checkImages(Dataset data) {
        if (!data.hasImageShape()) {
            throw new CliException("the data set " + data.name() + " has no image shape to draw");
        }
    }

    /**
     * {@code n} distinct example indices of {@code data} in an order fixed by {@code seed}, only
     * those of class {@code label} when it is given.
     */
    static int[] pick(Dataset data, int n, Integer label, long seed) {
        int[] order = new Rng(seed).permutation(data.size());
        List<Integer> chosen = new ArrayList<>();
        for (int i : order) {
            if (chosen.size() == n) {
                break;
            }
            if (label == null || data.label(i) == label) {
                chosen.add(i);
            }
        }
        if (chosen.isEmpty()) {
            throw new CliException("the data set " + data.name() + " has no examples"
                    + (label != null ? " of class " + label : ""));
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    static float[] rows(Dataset data, int[] indices) {
        int d = data.features();
        float[] out = new float[indices.length * d];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data.row(indices[i]), 0, out, i * d, d);
        }
        return out;
    }

    static int[] labels(Dataset data, int[] indices) {
        if (!data.hasLabels()) {
            return null;
        }
        return Arrays.stream(indices).map(data::label).toArray();
    }

    /** Originals (upper row of each pair) above their reconstructions. */
    static ImageGrid reconstructions(Model model, Dataset data, int n, int columns,
            Integer label, long seed, String title) {
        if (!(model instanceof Reconstructor r)) {
            throw new CliException("model '" + model.typeName() + "' cannot reconstruct inputs");
        }
        checkImages(data);
        checkLabel(model, label);
        int[] idx = pick(data, n, label, seed);
        float[] originals = rows(data, idx);
        float[] recon;
        Backend b = model.backend();
        try (TensorScope scope = b.newScope()) {
            Tensor x = b.fromArray(originals, Shape.of(idx.length, data.features()));
            recon = r.reconstruct(new Batch(x, labels(data, idx))).toArray();
        }
        int cols = Math.min(columns, idx.length);
        ImageGrid.Builder grid = grid(data).optColumns(cols).optGroupRows(2).optTitle(title);
        int d = data.features();
        int row = 0;
        for (int start = 0; start < idx.length; start += cols, row += 2) {
            int end = Math.min(idx.length, start + cols);
            grid.addAll(Arrays.copyOfRange(originals, start * d, end * d), end - start);
            padRow(grid, data, cols, end - start);
            grid.addAll(Arrays.copyOfRange(recon, start * d, end * d), end - start);
            padRow(grid, data, cols, end - start);
            grid.optRowLabel(row, "original").optRowLabel(row + 1, "reconstructed");
        }
        return grid.build();
    }

    /** Fills the rest of a short row with mid-grey so pairs stay aligned. */
    private static void padRow(ImageGrid.Builder grid, Dataset data, int cols, int used) {
        float[] blank = new float[data.features()];
        Arrays.fill(blank, 0.5f);
        for (int i = used; i < cols; i++) {
            grid.add(blank);
        }
    }

    /** A grid for images of {@code data}'s shape (grey or RGB). */
    static ImageGrid.Builder grid(Dataset data) {
        checkImages(data);
        return ImageGrid.builder(data.imageChannels(), data.imageHeight(), data.imageWidth());
    }

    /**
     * {@code n} draws from the model's prior, drawn as images of {@code data}'s shape; a
     * conditional model without a label draws {@code n} of each class, one row per class,
     * labelled by the data's class names (Fashion-MNIST's "Trouser", ...) where it has them.
     */
    static ImageGrid samples(Model model, Dataset data, int n, Integer label, long seed,
            String title) {
        int channels = data.imageChannels();
        int height = data.imageHeight();
        int width = data.imageWidth();
        List<String> classNames = data.hasLabels() ? data.classNames() : List.of();
        checkImages(data);
        if (!(model instanceof Generator g)) {
            throw new CliException("model '" + model.typeName() + "' is not generative: it has"
                    + " no prior to sample from (try 'reconstruct' or 'interpolate')");
        }
        checkLabel(model, label);
        int classes = g.numClasses();
        int[] labels = null;
        int columns;
        boolean perClassRows = classes > 0 && label == null;
        if (perClassRows) {
            int perClass = Math.max(1, n);
            labels = new int[classes * perClass];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i / perClass;
            }
            columns = perClass;
        } else {
            if (label != null) {
                labels = new int[n];
                Arrays.fill(labels, label);
            }
            columns = Math.max(1, Math.min(16, (int) Math.ceil(Math.sqrt(n))));
        }
        int count = labels != null ? labels.length : n;
        float[] pixels;
        Backend b = model.backend();
        try (TensorScope scope = b.newScope()) {
            pixels = g.sample(count, labels, new Rng(seed)).toArray();
        }
        if (pixels.length != count * channels * height * width) {
            throw new CliException("model '" + model.typeName() + "' draws examples of "
                    + pixels.length / Math.max(1, count) + " values, not " + channels + "x"
                    + height + "x" + width + " images");
        }
        ImageGrid.Builder grid = ImageGrid.builder(channels, height, width).optColumns(columns)
                .optTitle(title).addAll(pixels, count);
        if (perClassRows) {
            for (int c = 0; c < classes; c++) {
                boolean named = classNames.size() == classes
                        && !classNames.get(c).equals(Integer.toString(c));
                grid.optRowLabel(c, named ? classNames.get(c) : "label " + c);
            }
        }
        return grid.build();
    }

    /**
     * {@code pairs} rows: a test image, the decodings of {@code steps} codes on the line between
     * its latent code and another's (endpoints included), and that other image. A conditional
     * model interpolates between two examples of one class and decodes with that class.
     */
    static ImageGrid interpolations(Model model, Dataset data, int pairs, int steps,
            Integer label, long seed, String title) {
        if (!(model instanceof Encoder enc) || !(model instanceof Decoder dec)) {
            throw new CliException("model '" + model.typeName() + "' cannot interpolate: it"
                    + " needs both an encoder and a decoder");
        }
        checkImages(data);
        checkLabel(model, label);
        int classes = classesOf(model);
        Rng rng = new Rng(seed);
        int[] a = new int[pairs];
        int[] bIdx = new int[pairs];
        for (int p = 0; p < pairs; p++) {
            Integer cls = label;
            if (classes > 0 && label == null) {
                cls = rng.nextInt(classes);
            }
            int[] two = pick(data, 2, cls, rng.nextLong());
            if (two.length < 2) {
                throw new CliException("the data set " + data.name() + " has fewer than two"
                        + " examples" + (cls != null ? " of class " + cls : ""));
            }
            a[p] = two[0];
            bIdx[p] = two[1];
        }
        int d = data.features();
        int[] both = new int[2 * pairs];
        System.arraycopy(a, 0, both, 0, pairs);
        System.arraycopy(bIdx, 0, both, pairs, pairs);
        int[] bothLabels = labels(data, both);
        float[] decoded;
        Backend backend = model.backend();
        try (TensorScope scope = backend.newScope()) {
            Tensor x = backend.fromArray(rows(data, both), Shape.of(2 * pairs, d));
            float[] z = enc.encode(new Batch(x, bothLabels)).toArray();
            int latent = z.length / (2 * pairs);
            float[] path = new float[pairs * steps * latent];
            int[] pathLabels = bothLabels == null ? null : new int[pairs * steps];
            for (int p = 0; p < pairs; p++) {
                for (int s = 0; s < steps; s++) {
                    float t = steps == 1 ? 0.5f : s / (float) (steps - 1);
                    int row = p * steps + s;
                    for (int j = 0; j < latent; j++) {
                        // z(t) = (1 − t)·z_a + t·z_b
                        path[row * latent + j] = (1 - t) * z[p * latent + j]
                                + t * z[(pairs + p) * latent + j];
                    }
                    if (pathLabels != null) {
                        pathLabels[row] = bothLabels[p];
                    }
                }
            }
            Tensor codes = backend.fromArray(path, Shape.of(pairs * steps, latent));
            decoded = dec.decode(codes, classes > 0 ? pathLabels : null).toArray();
        }
        ImageGrid.Builder grid = grid(data).optColumns(steps + 2).optSeparatorAfterColumn(0)
                .optSeparatorAfterColumn(steps).optTitle(title);
        for (int p = 0; p < pairs; p++) {
            grid.add(data.row(a[p]));
            grid.addAll(Arrays.copyOfRange(decoded, p * steps * d, (p + 1) * steps * d), steps);
            grid.add(data.row(bIdx[p]));
            if (data.hasLabels()) {
                int from = data.label(a[p]);
                int to = data.label(bIdx[p]);
                grid.optRowLabel(p, from == to ? Integer.toString(from) : from + " to " + to);
            }
        }
        return grid.build();
    }
}
