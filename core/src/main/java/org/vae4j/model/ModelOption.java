package org.vae4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One setting a model type understands: its name in {@link ModelConfig}, its {@link Type}, its
 * default, what it means, the values it admits (a range, a list of words, or the fields of a
 * nested setting) and optionally the command-line flag that sets it. Declared once by a provider
 * and reused by everything else: {@link #check} validates a configuration before any work,
 * {@code vae4j models NAME} lists the options, and the program derives its model flags from them.
 *
 * <pre>{@code
 * static final ModelOption LATENT = ModelOption.integer("latent", 20, "width of z")
 *         .between(1, 65536).withFlag("--latent");
 * }</pre>
 */
public final class ModelOption {

    /** The kinds of value a setting holds. */
    public enum Type {
        /** A whole number. */
        INT("int"),
        /** A number (stored as a double); may also admit some words, e.g. {@code learned}. */
        NUMBER("number"),
        /** {@code true} or {@code false}. */
        BOOLEAN("bool"),
        /** Free text. */
        TEXT("text"),
        /** One of a fixed list of words. */
        CHOICE("choice"),
        /** A list of whole numbers, e.g. layer widths. */
        INTS("ints"),
        /** A list of numbers. */
        NUMBERS("numbers"),
        /** Nested settings with their own options, e.g. a convolutional stack. */
        OBJECT("object"),
        /** A list of nested settings, e.g. one per stage. */
        OBJECTS("objects");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The short name shown by {@code vae4j models NAME}. */
        public String label() {
            return label;
        }
    }

    private final String name;
    private final Type type;
    private final Object defaultValue;
    private final String description;
    private final double min;
    private final boolean minInclusive;
    private final double max;
    private final boolean maxInclusive;
    private final List<String> words;
    private final List<ModelOption> fields;
    private final String flag;
    private final Map<String, Object> flagAlsoSets;

    private ModelOption(String name, Type type, Object defaultValue, String description,
            double min, boolean minInclusive, double max, boolean maxInclusive, List<String> words,
            List<ModelOption> fields, String flag, Map<String, Object> flagAlsoSets) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model option needs a name");
        }
        this.name = name;
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.description = description == null ? "" : description;
        this.min = min;
        this.minInclusive = minInclusive;
        this.max = max;
        this.maxInclusive = maxInclusive;
        this.words = List.copyOf(words);
        this.fields = List.copyOf(fields);
        this.flag = flag;
        this.flagAlsoSets = Collections.unmodifiableMap(new LinkedHashMap<>(flagAlsoSets));
    }

    /**
     * An option whose type is read from its default: a whole number is {@link Type#INT}, another
     * number {@link Type#NUMBER}, a boolean {@link Type#BOOLEAN}, a list of whole numbers
     * {@link Type#INTS}, anything else {@link Type#TEXT}. No range; kept for plug-ins written
     * before options were typed.
     */
    public ModelOption(String name, Object defaultValue, String description) {
        this(name, inferType(defaultValue), normalizeDefault(defaultValue), description,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of(),
                List.of(), null, Map.of());
    }

    private static Type inferType(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return Type.INT;
        }
        if (v instanceof Number) {
            return Type.NUMBER;
        }
        if (v instanceof Boolean) {
            return Type.BOOLEAN;
        }
        if (v instanceof List<?> l) {
            return l.stream().allMatch(o -> o instanceof Integer || o instanceof Long)
                    ? Type.INTS : Type.NUMBERS;
        }
        return Type.TEXT;
    }

    private static Object normalizeDefault(Object v) {
        return v == null ? null : ModelConfig.of(Map.of("v", v)).get("v");
    }

    private static ModelOption of(String name, Type type, Object defaultValue, String description) {
        return new ModelOption(name, type, normalizeDefault(defaultValue), description,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of(),
                List.of(), null, Map.of());
    }

    /** A whole-number setting. */
    public static ModelOption integer(String name, int defaultValue, String description) {
        return of(name, Type.INT, defaultValue, description);
    }

    /** A number setting. */
    public static ModelOption number(String name, double defaultValue, String description) {
        return of(name, Type.NUMBER, defaultValue, description);
    }

    /** A true/false setting. */
    public static ModelOption bool(String name, boolean defaultValue, String description) {
        return of(name, Type.BOOLEAN, defaultValue, description);
    }

    /** A free-text setting. */
    public static ModelOption text(String name, String defaultValue, String description) {
        return of(name, Type.TEXT, defaultValue, description);
    }

    /** A setting that is one of {@code allowed} (case-insensitive). */
    public static ModelOption choice(String name, String defaultValue, String description,
            String... allowed) {
        return of(name, Type.CHOICE, defaultValue, description).withWords(allowed);
    }

    /** A list of whole numbers, e.g. layer widths. */
    public static ModelOption integers(String name, List<Integer> defaultValue,
            String description) {
        return of(name, Type.INTS, defaultValue, description);
    }

    /** A list of numbers. */
    public static ModelOption numbers(String name, List<Double> defaultValue,
            String description) {
        return of(name, Type.NUMBERS, defaultValue, description);
    }

    /** Nested settings with their own options; the default holds each field's default. */
    public static ModelOption object(String name, String description, List<ModelOption> fields) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        fields.forEach(f -> defaults.put(f.name(), f.defaultValue()));
        return new ModelOption(name, Type.OBJECT, ModelConfig.of(defaults), description,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of(), fields,
                null, Map.of());
    }

    /** A list of nested settings, each with {@code fields}; {@code defaultValue} as maps. */
    public static ModelOption objects(String name, String description, List<ModelOption> fields,
            List<Map<String, ?>> defaultValue) {
        return new ModelOption(name, Type.OBJECTS, normalizeDefault(defaultValue), description,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of(), fields,
                null, Map.of());
    }

    private ModelOption copy(double lo, boolean loIn, double hi, boolean hiIn, List<String> w,
            String f, Map<String, Object> also) {
        return new ModelOption(name, type, defaultValue, description, lo, loIn, hi, hiIn, w,
                fields, f, also);
    }

    /** This option admitting only values (or list entries) in {@code [low, high]}. */
    public ModelOption between(double low, double high) {
        return copy(low, true, high, true, words, flag, flagAlsoSets);
    }

    /** This option admitting only values (or list entries) {@code >= low}. */
    public ModelOption atLeast(double low) {
        return copy(low, true, max, maxInclusive, words, flag, flagAlsoSets);
    }

    /** This option admitting only values (or list entries) {@code > low}. */
    public ModelOption above(double low) {
        return copy(low, false, max, maxInclusive, words, flag, flagAlsoSets);
    }

    /** This option admitting only values (or list entries) {@code < high}. */
    public ModelOption below(double high) {
        return copy(min, minInclusive, high, false, words, flag, flagAlsoSets);
    }

    /** This option admitting only values (or list entries) {@code <= high}. */
    public ModelOption atMost(double high) {
        return copy(min, minInclusive, high, true, words, flag, flagAlsoSets);
    }

    /**
     * This option with its words: for {@link Type#CHOICE} the allowed values, for
     * {@link Type#NUMBER} words admitted besides numbers (e.g. {@code learned}).
     */
    public ModelOption withWords(String... allowed) {
        return copy(min, minInclusive, max, maxInclusive, List.of(allowed), flag, flagAlsoSets);
    }

    /**
     * This option with another default (checked against its type and range), e.g. a plug-in
     * reusing a built-in width setting with its own default.
     */
    public ModelOption withDefault(Object value) {
        Object v = new ModelOption(name, type, null, description, min, minInclusive, max,
                maxInclusive, words, fields, flag, flagAlsoSets).check("option '" + name + "'",
                value);
        return new ModelOption(name, type, v, description, min, minInclusive, max, maxInclusive,
                words, fields, flag, flagAlsoSets);
    }

    /** This option with a command-line flag, e.g. {@code --latent}. */
    public ModelOption withFlag(String flagName) {
        if (flagName == null || !flagName.startsWith("--") || flagName.length() < 3) {
            throw new IllegalArgumentException("option '" + name + "': a flag starts with '--',"
                    + " got '" + flagName + "'");
        }
        return copy(min, minInclusive, max, maxInclusive, words, flagName, flagAlsoSets);
    }

    /**
     * This option whose flag also sets {@code setting} to {@code value}, e.g.
     * {@code --capacity-max} choosing {@code objective=capacity}.
     */
    public ModelOption flagAlsoSets(String setting, Object value) {
        Map<String, Object> also = new LinkedHashMap<>(flagAlsoSets);
        also.put(setting, value);
        return copy(min, minInclusive, max, maxInclusive, words, flag, also);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** The default: an Integer, Double, Boolean, String, list or {@link ModelConfig}. */
    public Object defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The allowed words of a choice, or the words a number setting also admits. */
    public List<String> words() {
        return words;
    }

    /** The options of a nested setting ({@link Type#OBJECT}, {@link Type#OBJECTS}). */
    public List<ModelOption> fields() {
        return fields;
    }

    /** The command-line flag that sets this option, or null when it has none. */
    public String flag() {
        return flag;
    }

    /** Other settings this option's flag sets along with it. */
    public Map<String, Object> flagAlsoSets() {
        return flagAlsoSets;
    }

    /** Whether the option has a lower or upper bound. */
    public boolean hasRange() {
        return min != Double.NEGATIVE_INFINITY || max != Double.POSITIVE_INFINITY;
    }

    /**
     * The admitted values in words: {@code [1, 65536]}, {@code >= 0}, {@code (0, 1)},
     * {@code mask|gaussian|none}; empty when anything of the type is admitted.
     */
    public String range() {
        if (type == Type.CHOICE) {
            return String.join("|", words);
        }
        String r = "";
        boolean lo = min != Double.NEGATIVE_INFINITY;
        boolean hi = max != Double.POSITIVE_INFINITY;
        if (lo && hi) {
            r = (minInclusive ? "[" : "(") + num(min) + ", " + num(max)
                    + (maxInclusive ? "]" : ")");
        } else if (lo) {
            r = (minInclusive ? ">= " : "> ") + num(min);
        } else if (hi) {
            r = (maxInclusive ? "<= " : "< ") + num(max);
        }
        if (!words.isEmpty()) {
            r = r + (r.isEmpty() ? "" : " or ") + String.join("|", words);
        }
        return r;
    }

    private String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : Double.toString(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelOption m && m.name.equals(name) && m.type == type
                && Objects.equals(m.defaultValue, defaultValue)
                && m.description.equals(description)
                && m.min == min && m.max == max && m.minInclusive == minInclusive
                && m.maxInclusive == maxInclusive && m.words.equals(words)
                && m.fields.equals(fields) && Objects.equals(m.flag, flag)
                && m.flagAlsoSets.equals(flagAlsoSets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, defaultValue, flag);
    }

    @Override
    public String toString() {
        return "ModelOption(" + name + ": " + type.label() + " = " + defaultValue
                + (hasRange() || !words.isEmpty() ? " in " + range() : "") + ")";
    }

    // ---------------------------------------------------------------- checking

    /**
     * {@code config} checked against {@code options} for a model of type {@code model}: a
     * setting no option names is refused naming the valid ones; each value must have its
     * option's type and lie in its range (nested settings are checked against their fields).
     * Values are returned in their canonical form (whole numbers as Integer, numbers as Double,
     * lists of whole numbers from "512,256"). Errors name the model, the setting, the value and
     * what is admitted.
     */
    public static ModelConfig check(String model, List<ModelOption> options, ModelConfig config) {
        return ModelConfig.of(checkFields(model, options, config, ""));
    }

    /**
     * Every option's default overridden by {@code config}, after {@link #check}: the complete
     * settings a model stores, so that its config rebuilds it even if a default changes later.
     */
    public static ModelConfig resolve(String model, List<ModelOption> options,
            ModelConfig config) {
        ModelConfig checked = check(model, options, config);
        Map<String, Object> defaults = new LinkedHashMap<>();
        options.forEach(o -> defaults.put(o.name(), o.defaultValue()));
        return ModelConfig.of(defaults).withAll(checked);
    }

    private static Map<String, Object> checkFields(String model, List<ModelOption> options,
            ModelConfig config, String prefix) {
        Map<String, ModelOption> byName = new LinkedHashMap<>();
        options.forEach(o -> byName.put(o.name(), o));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.asMap().entrySet()) {
            ModelOption o = byName.get(e.getKey());
            if (o == null) {
                Set<String> known = new TreeSet<>(byName.keySet());
                throw new IllegalArgumentException(prefix.isEmpty()
                        ? "model '" + model + "' has no setting '" + e.getKey()
                                + "'; its settings are: " + String.join(", ", known)
                        : model + ": setting '" + prefix + e.getKey() + "' does not exist; the"
                                + " settings of '" + prefix.substring(0, prefix.length() - 1)
                                + "' are: " + String.join(", ", known));
            }
            out.put(e.getKey(), o.checkValue(model, prefix + o.name(), e.getValue()));
        }
        return out;
    }

    /** {@code value} in this option's canonical form, or an error naming the setting. */
    public Object check(String model, Object value) {
        return checkValue(model, name, ModelConfig.of(Map.of("v", value)).get("v"));
    }

    private Object checkValue(String model, String path, Object v) {
        switch (type) {
            case INT:
                return checkInt(model, path, v, "a whole number");
            case NUMBER:
                if (v instanceof String s && isWord(s)) {
                    return s.trim();
                }
                return checkNumber(model, path, v);
            case BOOLEAN:
                if (v instanceof Boolean) {
                    return v;
                }
                if (v instanceof String s && (s.trim().equalsIgnoreCase("true")
                        || s.trim().equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(s.trim());
                }
                throw invalid(model, path, v, "true or false");
            case TEXT:
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    return v instanceof String ? v : v.toString();
                }
                throw invalid(model, path, v, "text");
            case CHOICE:
                if (v instanceof String s && isWord(s)) {
                    return s;
                }
                throw new IllegalArgumentException(model + ": setting '" + path
                        + "' must be one of " + String.join(", ", words) + ", got '" + v + "'");
            case INTS:
            case NUMBERS:
                return checkList(model, path, v);
            case OBJECT:
                if (v instanceof ModelConfig c) {
                    return ModelConfig.of(checkFields(model, fields, c, path + "."));
                }
                throw invalid(model, path, v, "nested settings (a JSON object) with fields "
                        + fieldNames());
            case OBJECTS:
                if (v instanceof List<?> l) {
                    List<Object> out = new ArrayList<>();
                    for (int i = 0; i < l.size(); i++) {
                        if (!(l.get(i) instanceof ModelConfig c)) {
                            throw invalid(model, path + "[" + i + "]", l.get(i),
                                    "nested settings (a JSON object) with fields " + fieldNames());
                        }
                        out.add(ModelConfig.of(checkFields(model, fields, c,
                                path + "[" + i + "].")));
                    }
                    return out;
                }
                throw invalid(model, path, v, "a list of nested settings with fields "
                        + fieldNames());
            default:
                throw new IllegalStateException("unknown option type " + type);
        }
    }

    private boolean isWord(String s) {
        return words.stream().anyMatch(w -> w.equalsIgnoreCase(s.trim()));
    }

    private String fieldNames() {
        return String.join(", ", fields.stream().map(ModelOption::name).toList());
    }

    private Object checkList(String model, String path, Object v) {
        List<?> items;
        if (v instanceof List<?> l) {
            items = l;
        } else if (v instanceof Number) {
            items = List.of(v);
        } else if (v instanceof String s) {
            items = s.isBlank() ? List.of() : List.of(s.trim().split("\\s*,\\s*"));
        } else {
            throw invalid(model, path, v, listExpected());
        }
        List<Object> out = new ArrayList<>();
        try {
            for (Object item : items) {
                out.add(type == Type.INTS ? checkInt(model, path, item, "a whole number")
                        : checkNumber(model, path, item));
            }
        } catch (IllegalArgumentException e) {
            throw invalid(model, path, items, listExpected());
        }
        return Collections.unmodifiableList(out);
    }

    private String listExpected() {
        String r = range();
        return "a list of " + (type == Type.INTS ? "whole numbers" : "numbers")
                + (r.isEmpty() ? "" : ", each " + r);
    }

    private Object checkInt(String model, String path, Object v, String what) {
        long n;
        if ((v instanceof Integer || v instanceof Long)) {
            n = ((Number) v).longValue();
        } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e18) {
            n = d.longValue();
        } else if (v instanceof String s && s.trim().matches("[-+]?\\d{1,18}")) {
            n = Long.parseLong(s.trim());
        } else {
            throw invalid(model, path, v instanceof String ? "'" + v + "'" : v, what);
        }
        checkRange(model, path, n, v);
        if (n != (int) n) {
            throw invalid(model, path, v, "a whole number of at most " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    private double checkNumber(String model, String path, Object v) {
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw invalid(model, path, "'" + v + "'", numberExpected());
            }
        } else {
            throw invalid(model, path, v, numberExpected());
        }
        if (!Double.isFinite(d)) {
            throw invalid(model, path, v, numberExpected());
        }
        checkRange(model, path, d, v);
        return d;
    }

    private String numberExpected() {
        String r = range();
        boolean interval = r.startsWith("[") || r.startsWith("(");
        return r.isEmpty() ? "a number" : "a number " + (interval ? "in " : "") + r;
    }

    private void checkRange(String model, String path, double x, Object v) {
        boolean whole = type == Type.INT || type == Type.INTS;
        boolean lowOk = minInclusive ? x >= min : x > min;
        boolean highOk = maxInclusive ? x <= max : x < max;
        if (lowOk && highOk) {
            return;
        }
        String expected;
        boolean bothBounds = min != Double.NEGATIVE_INFINITY && max != Double.POSITIVE_INFINITY;
        if (whole) {
            if (!lowOk) {
                expected = min == 1 && minInclusive ? "a positive whole number"
                        : "a whole number " + (minInclusive ? ">= " : "> ") + num(min);
            } else {
                expected = "a whole number " + (maxInclusive ? "<= " : "< ") + num(max);
            }
        } else if (bothBounds) {
            expected = "a number in " + range();
        } else if (!lowOk) {
            expected = min == 0 && !minInclusive ? "a positive number"
                    : "a number " + (minInclusive ? ">= " : "> ") + num(min);
        } else {
            expected = "a number " + (maxInclusive ? "<= " : "< ") + num(max);
        }
        if (!words.isEmpty()) {
            expected += " or " + String.join(", ", words.stream().map(w -> "'" + w + "'").toList());
        }
        throw invalid(model, path, v, expected);
    }

    private static IllegalArgumentException invalid(String model, String path, Object v,
            String expected) {
        return new IllegalArgumentException(model + ": setting '" + path + "' must be "
                + expected + ", got " + v);
    }

    // ---------------------------------------------------------------- text

    /**
     * A value typed on a command line ({@code --latent 8}, {@code --set hidden=512,256},
     * {@code --set stages=[{"channels":32}]}) in this option's type; not yet range-checked.
     */
    public Object parse(String raw) {
        String s = raw.trim();
        switch (type) {
            case INT:
                return s.matches("[-+]?\\d{1,9}") ? (Object) Integer.parseInt(s) : s;
            case NUMBER:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return s;
                }
            case BOOLEAN:
                return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")
                        ? (Object) Boolean.parseBoolean(s) : s;
            case OBJECT:
            case OBJECTS:
                try {
                    return ModelConfig.fromJson("{\"v\": " + s + "}").get("v");
                } catch (IllegalArgumentException e) {
                    return s;
                }
            default:
                return s;
        }
    }

    /** A value as the command line writes it: lists joined by commas, the rest as JSON. */
    public static String format(Object v) {
        if (v instanceof List<?> l && l.stream().allMatch(o -> o instanceof Number)) {
            return String.join(",", l.stream().map(String::valueOf).toList());
        }
        if (v instanceof ModelConfig c) {
            return c.toJson().replaceAll("\\s+", "");
        }
        if (v instanceof List<?> l) {
            return ModelConfig.of(Map.of("v", l)).toJson().replaceAll("\\s+", "")
                    .replaceFirst("^\\{\"v\":", "").replaceFirst("}$", "");
        }
        return String.valueOf(v);
    }
}
