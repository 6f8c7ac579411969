package org.vae4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vae4j.io.AtomicFiles;

/**
 * Writes {@code metrics.csv}: one row per epoch with every loss term on the training and test
 * data, the epoch's seconds and its training samples per second. The columns come from the
 * first epoch's terms, e.g.
 *
 * <pre>
 * epoch,train_loss,train_reconstruction,train_kl,test_loss,test_reconstruction,test_kl,seconds,samples_per_sec
 * 1,140.02,125.1,14.92,121.7,106.3,15.4,12.104,4961.2
 * </pre>
 *
 * <p>Epochs are numbered from 1. A new run replaces the file; a resumed run rewrites it from the
 * checkpoint's history (the rows of the epochs it had finished) and appends from there, so the
 * file never holds rows of epochs the checkpoint does not know.
 */
public final class MetricsCsvListener implements TrainingListener {

    private final Path file;
    private List<String> trainTerms;
    private List<String> testTerms;

    public MetricsCsvListener(Path file) {
        this.file = file;
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    @Override
    public void onTrainingStart(TrainingInfo info) {
        trainTerms = null;
        testTerms = null;
        try {
            if (info.history().isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            StringBuilder sb = new StringBuilder();
            for (EpochSummary e : info.history()) {
                if (trainTerms == null) {
                    sb.append(header(e));
                }
                sb.append(row(e));
            }
            AtomicFiles.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(EpochSummary summary) {
        String text = (trainTerms == null ? header(summary) : "") + row(summary);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private String header(EpochSummary first) {
        trainTerms = List.copyOf(first.train().keySet());
        testTerms = List.copyOf(first.test().keySet());
        List<String> cols = new ArrayList<>();
        cols.add("epoch");
        trainTerms.forEach(t -> cols.add("train_" + column(t)));
        testTerms.forEach(t -> cols.add("test_" + column(t)));
        cols.add("seconds");
        cols.add("samples_per_sec");
        return String.join(",", cols) + "\n";
    }

    private String row(EpochSummary e) {
        List<String> cells = new ArrayList<>();
        cells.add(Integer.toString(e.epoch() + 1));
        trainTerms.forEach(t -> cells.add(number(e.train(), t)));
        testTerms.forEach(t -> cells.add(number(e.test(), t)));
        cells.add(String.format(Locale.ROOT, "%.3f", e.seconds()));
        cells.add(String.format(Locale.ROOT, "%.1f", e.samplesPerSecond()));
        return String.join(",", cells) + "\n";
    }

    /** A term name as a CSV-safe column name. */
    private static String column(String term) {
        return term.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The shortest text that reads back as the same double; empty when the term is absent. */
    private static String number(Map<String, Double> values, String term) {
        Double v = values.get(term);
        return v == null ? "" : Double.toString(v);
    }
}
