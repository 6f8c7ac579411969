package org.vae4j.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.nn.Activation;

/**
 * Typed, validated reads of a model's settings. Each read takes the {@link ModelOption} that
 * declares the setting, so the default lives in one place (the provider's option list), and each
 * error names the model type and the setting. {@link #of} first checks every given value against
 * its option's type and range ({@link ModelOption#check}); the reads here add the rules that
 * depend on other settings (e.g. a masking noise level below 1).
 */
final class Settings {

    private final String model;
    private final ModelConfig config;

    private Settings(String model, ModelConfig config) {
        this.model = model;
        this.config = config;
    }

    /**
     * The settings of a model of type {@code model}: every option's default, overridden by
     * {@code config}. The result is what the model stores, so a checkpoint's config rebuilds it
     * even if a default changes later.
     */
    static Settings of(String model, List<ModelOption> options, ModelConfig config) {
        return new Settings(model, ModelOption.resolve(model, options, config));
    }

    /** The full configuration: defaults with the given settings applied. */
    ModelConfig config() {
        return config;
    }

    String model() {
        return model;
    }

    int positiveInt(ModelOption o) {
        int v = config.getInt(o.name(), 0);
        if (v <= 0) {
            throw invalid(o, v, "a positive whole number");
        }
        return v;
    }

    int nonNegativeInt(ModelOption o) {
        int v = config.getInt(o.name(), 0);
        if (v < 0) {
            throw invalid(o, v, "a whole number >= 0");
        }
        return v;
    }

    double positive(ModelOption o) {
        double v = config.getDouble(o.name(), 0);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw invalid(o, v, "a positive number");
        }
        return v;
    }

    double nonNegative(ModelOption o) {
        double v = config.getDouble(o.name(), 0);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw invalid(o, v, "a number >= 0");
        }
        return v;
    }

    /** A number in {@code [low, high)}. */
    double inHalfOpenRange(ModelOption o, double low, double high) {
        double v = config.getDouble(o.name(), 0);
        if (!(v >= low && v < high)) {
            throw invalid(o, v, "a number in [" + low + ", " + high + ")");
        }
        return v;
    }

    /** A number in {@code (low, high)}. */
    double inOpenRange(ModelOption o, double low, double high) {
        double v = config.getDouble(o.name(), 0);
        if (!(v > low && v < high)) {
            throw invalid(o, v, "a number in (" + low + ", " + high + ")");
        }
        return v;
    }

    boolean bool(ModelOption o) {
        return config.getBoolean(o.name(), false);
    }

    /** Hidden layer widths: a list, possibly empty, of positive whole numbers. */
    int[] layerSizes(ModelOption o) {
        int[] sizes = config.getInts(o.name());
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException(model + ": setting '" + o.name()
                        + "' must list positive layer widths, got " + Arrays.toString(sizes));
            }
        }
        return sizes;
    }

    /** An output activation: {@code sigmoid} (for data in [0, 1]) or {@code identity}. */
    Activation outputActivation(ModelOption o) {
        return choice(o, "sigmoid", "identity").equals("sigmoid")
                ? Activation.SIGMOID : Activation.IDENTITY;
    }

    Activation activation(ModelOption o) {
        try {
            return Activation.parse(config.getString(o.name(), ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model + ": setting '" + o.name() + "': "
                    + e.getMessage(), e);
        }
    }

    /** One of {@code choices} (case-insensitive), returned in lower case. */
    String choice(ModelOption o, String... choices) {
        String v = config.getString(o.name(), "").trim().toLowerCase(Locale.ROOT);
        for (String c : choices) {
            if (c.equals(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException(model + ": setting '" + o.name() + "' must be one of "
                + String.join(", ", choices) + ", got '" + config.getString(o.name(), "") + "'");
    }

    /** The raw string of a setting (for settings that take a number or a word). */
    String string(ModelOption o) {
        return config.getString(o.name(), "").trim();
    }

    IllegalArgumentException invalid(ModelOption o, Object value, String expected) {
        return new IllegalArgumentException(model + ": setting '" + o.name() + "' must be "
                + expected + ", got " + value);
    }
}
