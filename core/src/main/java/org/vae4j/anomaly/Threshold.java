package org.vae4j.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.vae4j.io.AtomicFiles;

/**
 * A calibrated decision threshold: an example whose {@code score} exceeds {@code value} is
 * flagged. {@code value} is the {@code quantile} of the scores of {@code count} held-out normal
 * examples from {@code data}, so about {@code 1 − quantile} of normal data is flagged;
 * {@code samples} is the draws of z per example the scores were computed with. Stored in a run
 * as {@value #FILE}.
 */
public record Threshold(String score, double value, double quantile, int count, String data,
        int samples) {

    /** The file name in a run folder. */
    public static final String FILE = "threshold.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public Threshold {
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("a threshold's quantile must lie in [0, 1], got "
                    + quantile);
        }
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("a threshold of score '" + score + "' is NaN");
        }
    }

    /** Whether an example with {@code s} is flagged: {@code s > value}. */
    public boolean flags(double s) {
        return s > value;
    }

    /**
     * The {@code quantile} of {@code normalScores} (linear interpolation between order
     * statistics, NumPy's default): the threshold that flags a fraction {@code 1 − quantile}
     * of them.
     */
    public static Threshold calibrate(String score, float[] normalScores, double quantile,
            String data, int samples) {
        if (normalScores.length == 0) {
            throw new IllegalArgumentException("cannot calibrate a threshold on no examples");
        }
        double[] sorted = new double[normalScores.length];
        for (int i = 0; i < sorted.length; i++) {
            if (!Float.isFinite(normalScores[i])) {
                throw new IllegalArgumentException("cannot calibrate a threshold: the score '"
                        + score + "' of example " + i + " is " + normalScores[i]);
            }
            sorted[i] = normalScores[i];
        }
        Arrays.sort(sorted);
        return new Threshold(score, quantileOfSorted(sorted, quantile), quantile,
                sorted.length, data, samples);
    }

    /** The contamination {@code p} (expected share of anomalies) as the quantile {@code 1 − p}. */
    public static double quantileForContamination(double contamination) {
        if (!(contamination > 0 && contamination < 1)) {
            throw new IllegalArgumentException("the contamination must lie strictly between 0"
                    + " and 1 (the share of normal data to flag), got " + contamination);
        }
        return 1 - contamination;
    }

    /** {@code q}-quantile of ascending {@code sorted}, interpolating linearly (NumPy's "linear"). */
    public static double quantileOfSorted(double[] sorted, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile must lie in [0, 1], got " + q);
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Writes {@code dir/threshold.json} atomically. */
    public void save(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("score", score);
        root.put("value", value);
        root.put("quantile", quantile);
        root.put("count", count);
        root.put("data", data);
        root.put("samples", samples);
        AtomicFiles.writeString(dir.resolve(FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    /** Whether {@code dir} holds a calibrated threshold. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * Reads {@code dir/threshold.json}; a run without one is an error saying how to calibrate.
     */
    public static Threshold load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the run " + dir + " has no calibrated threshold ("
                    + FILE + "); calibrate one with 'vae4j calibrate --run " + dir
                    + " --data NORMAL' or give --threshold X");
        } catch (IOException e) {
            throw new IOException(file + ": not a readable threshold file: " + e.getMessage(), e);
        }
        for (String key : new String[] {"score", "value", "quantile", "count"}) {
            if (root == null || !root.hasNonNull(key)) {
                throw new IOException(file + ": the threshold file has no '" + key + "'");
            }
        }
        return new Threshold(root.get("score").asText(), root.get("value").asDouble(),
                root.get("quantile").asDouble(), root.get("count").asInt(),
                root.path("data").asText(""), root.path("samples").asInt(ScoreOptions.DEFAULT_SAMPLES));
    }
}
