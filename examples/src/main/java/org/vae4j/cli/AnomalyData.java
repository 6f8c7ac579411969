package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.vae4j.anomaly.AnomalyDetector;
import org.vae4j.anomaly.ScoreOptions;
import org.vae4j.anomaly.Threshold;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;

/** What the anomaly commands share: class lists, label files, detectors over a loaded run. */
final class AnomalyData {

    static final int BATCH = 500;

    private AnomalyData() {
    }

    /** {@code "0,1"} as the set {0, 1}; each a class of {@code data}. */
    static Set<Integer> classes(String flag, String list, Dataset data) {
        if (!data.hasLabels()) {
            throw new CliException(flag + " names classes, but the data set '" + data.name()
                    + "' has no labels");
        }
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            int c;
            try {
                c = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new CliException(flag + " must be class numbers separated by commas, got '"
                        + list + "'");
            }
            if (c < 0 || c >= data.numClasses()) {
                throw new CliException(flag + ": class " + c + " is not one of the data set '"
                        + data.name() + "''s classes 0.." + (data.numClasses() - 1));
            }
            out.add(c);
        }
        return out;
    }

    /** The rows of {@code data} whose label is in {@code classes}, copied, in order. */
    static Dataset onlyClasses(Dataset data, Set<Integer> classes) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (classes.contains(data.label(i))) {
                keep.add(i);
            }
        }
        int w = data.features();
        float[] rows = new float[keep.size() * w];
        int[] labels = new int[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            System.arraycopy(data.row(keep.get(k)), 0, rows, k * w, w);
            labels[k] = data.label(keep.get(k));
        }
        return Dataset.of(data.name() + " (classes " + classes + ")", rows, w, labels,
                data.numClasses()).withExampleShape(data.exampleShape());
    }

    /** {@code true} (anomalous) for each row whose label is not a normal class. */
    static boolean[] anomalousUnless(Dataset data, Set<Integer> normal) {
        boolean[] out = new boolean[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = !normal.contains(data.label(i));
        }
        return out;
    }

    /**
     * One label per line of {@code file}, 1 (or {@code true}, {@code anomaly}) anomalous and 0
     * ({@code false}, {@code normal}) normal; a header line that is none of them is skipped.
     */
    static boolean[] labelFile(Path file, int expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CliException("--anomaly-labels " + file + ": no such file");
        }
        List<String> lines = Files.readAllLines(file);
        List<Boolean> values = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String v = lines.get(i).trim().toLowerCase();
            if (v.isEmpty()) {
                continue;
            }
            switch (v) {
                case "1", "true", "anomaly", "anomalous" -> values.add(true);
                case "0", "false", "normal" -> values.add(false);
                default -> {
                    if (i == 0) {
                        continue; // a header
                    }
                    throw new CliException(file + " line " + (i + 1) + ": '" + lines.get(i)
                            + "' is not a label (1 or 0, true or false, anomaly or normal)");
                }
            }
        }
        if (values.size() != expected) {
            throw new CliException(file + " holds " + values.size() + " labels, but the data has "
                    + expected + " examples: one label per example, in order");
        }
        boolean[] out = new boolean[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /**
     * A detector over {@code model} with the score {@code name} (null: the run's calibrated
     * score, else the model's default), the run's threshold when it is for that score.
     */
    static AnomalyDetector detector(RunFolder folder, Model model, String name, Integer samples,
            long seed) throws IOException {
        AnomalyDetector d;
        try {
            d = AnomalyDetector.of(model);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Threshold t = Threshold.exists(folder.dir()) ? Threshold.load(folder.dir()) : null;
        String score = name != null ? name : t != null ? t.score() : d.scoreName();
        try {
            d.score(score);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        d.samples(samples != null ? samples : t != null && t.score().equals(score) ? t.samples()
                : ScoreOptions.DEFAULT_SAMPLES).seed(seed);
        if (t != null && t.score().equals(score)) {
            d.threshold(t);
        }
        return d;
    }

    static DataLoader loader(Dataset data, Model model) {
        return DataLoader.builder(data, model.backend()).setBatchSize(BATCH).build();
    }
}
