package org.vae4j.cli;

import java.nio.file.Path;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BackendConfig;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The range of every number flag, in one table the commands share (their help texts quote the
 * same constants), and the checks of flag values that picocli's types cannot express. Every
 * check runs before any work and its error names the flag and the range.
 */
final class Flags {

    /** Epochs of {@code train}, {@code resume} and {@code bench --epochs}. */
    static final int EPOCHS_MAX = 100_000;
    /** Examples per step; larger than MNIST already, so a bigger one is surely a typo. */
    static final int BATCH_SIZE_MAX = 100_000;
    /** The learning rate's upper bound: larger steps only ever diverge. */
    static final double LR_MAX = 10;
    /** {@code --limit} of images: far above any data set's size (a note says when it is). */
    static final int LIMIT_MAX = 10_000_000;
    /** Optimizer steps between extra checkpoints. */
    static final long CHECKPOINT_EVERY_MAX = 1_000_000_000L;
    /** {@code --clip-grad-norm}: far above any useful gradient norm (0 turns clipping off). */
    static final double CLIP_GRAD_NORM_MAX = 1e6;
    /** {@code --accumulate}: batches whose gradients make one update. */
    static final int ACCUMULATE_MAX = 10_000;
    /** {@code --warmup-steps} and {@code --lr-step-every}, in optimizer updates. */
    static final long WARMUP_STEPS_MAX = 1_000_000_000L;
    /** Importance samples per image of the NLL estimate. */
    static final int IW_SAMPLES_MAX = 10_000;
    /** Timed or untimed steps of {@code bench}. */
    static final int BENCH_STEPS_MAX = 1_000_000;
    /** Whole epochs {@code bench --epochs} may time. */
    static final int BENCH_EPOCHS_MAX = 1_000;
    /** Rows of synthetic data {@code bench} draws batches from. */
    static final int DATA_ROWS_MAX = 1_000_000;
    /** Pictures: images of {@code sample} and {@code reconstruct}. */
    static final int IMAGES_MAX = 10_000;
    /** Pictures: images per row of {@code reconstruct}. */
    static final int COLUMNS_MAX = 100;
    /** Pictures: pairs (rows) of {@code interpolate}. */
    static final int PAIRS_MAX = 1_000;
    /** Pictures: decoded points per row of {@code interpolate}. */
    static final int STEPS_MAX = 100;
    /**
     * {@code --label}: the bound before a model is loaded; the model then checks its own classes
     * (0 to classes − 1).
     */
    static final int LABEL_MAX = 65_535;
    /** {@code pca --components}: the pixels of an MNIST image. */
    static final int COMPONENTS_MAX = 784;
    /** The help text of the thread bound, which depends on the machine. */
    static final String THREADS_RANGE = "1 to 4 x the available cores";
    /** The help text of a seed's range. */
    static final String SEED_RANGE = "any whole number from -2^63 to 2^63-1";

    private Flags() {
    }

    static ParameterException error(CommandLine cl, String message) {
        return new ParameterException(cl, message);
    }

    /** {@code min <= value <= max} when given. */
    static void inRange(CommandLine cl, String flag, Integer value, int min, int max) {
        if (value != null) {
            inRange(cl, flag, (long) value, min, max);
        }
    }

    /** {@code min <= value <= max} when given. */
    static void inRange(CommandLine cl, String flag, Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            throw error(cl, flag + " must be " + (value < min ? "at least " + min
                    : "at most " + max) + ", got " + value + " (range " + min + ".." + max
                    + ")");
        }
    }

    /** A finite {@code 0 < value <= max} when given. */
    static void positive(CommandLine cl, String flag, Double value, double max) {
        if (value != null && !(value > 0 && value <= max)) {
            throw error(cl, flag + " must be a number > 0 and at most " + number(max)
                    + ", got " + value);
        }
    }

    /** A finite {@code value >= 0} when given. */
    static void nonNegative(CommandLine cl, String flag, Double value) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            throw error(cl, flag + " must be a number >= 0, got " + value);
        }
    }

    /** {@code --threads}: 1 to {@link BackendConfig#maxThreads()} when given. */
    static void threads(CommandLine cl, String flag, Integer value) {
        int max = BackendConfig.maxThreads();
        if (value != null && (value < 1 || value > max)) {
            throw error(cl, flag + " must be " + (value < 1 ? "at least 1" : "at most " + max)
                    + ", got " + value + " (range 1.." + max + ": up to 4 x the "
                    + Runtime.getRuntime().availableProcessors() + " available cores)");
        }
    }

    /** A name flag, when given, is not empty or blank. */
    static void notBlank(CommandLine cl, String flag, String value) {
        if (value != null && value.isBlank()) {
            throw error(cl, flag + " must not be empty; give a name");
        }
    }

    /** A path flag, when given, is not empty (an empty path would mean the current folder). */
    static void notEmpty(CommandLine cl, String flag, Path value) {
        if (value != null && value.toString().isBlank()) {
            throw error(cl, flag + " must not be empty; give a path");
        }
    }

    /**
     * The model {@code name} with {@code settings}, where a setting the model refuses is a usage
     * error (exit status 2) naming it, like any other bad flag value.
     */
    static Model createModel(CommandLine cl, ModelRegistry registry, String name,
            ModelConfig settings, Backend backend, long seed) {
        try {
            return registry.create(name, settings, backend, seed);
        } catch (IllegalArgumentException e) {
            throw error(cl, e.getMessage());
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
