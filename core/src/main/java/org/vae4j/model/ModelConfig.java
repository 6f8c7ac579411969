package org.vae4j.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's settings: an ordered map of names to numbers, booleans, strings, lists and nested
 * configurations (e.g. the stages of a convolutional stack), with typed getters whose errors
 * name the setting. It is stored as JSON beside every checkpoint, so it holds everything needed
 * to rebuild the model, and it round-trips JSON exactly: whole numbers stay {@link Integer} (or
 * {@link Long}), other numbers stay {@link Double} ({@code [0.5]} stays {@code [0.5]}), objects
 * become nested {@code ModelConfig}s and arrays lists of any of these.
 */
public final class ModelConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> values;

    private ModelConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** An empty configuration: every setting takes its default. */
    public static ModelConfig empty() {
        return new ModelConfig(Map.of());
    }

    /** A configuration from name/value pairs. */
    public static ModelConfig of(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, normalize(k, v)));
        return new ModelConfig(copy);
    }

    /** This configuration with one setting added or replaced. */
    public ModelConfig with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name, normalize(name, value));
        return new ModelConfig(copy);
    }

    /**
     * This configuration with every setting of {@code other} added or replaced; where both hold
     * a nested configuration under one name, the two are merged the same way (so a partial
     * nested setting keeps the other nested defaults). Lists are replaced whole.
     */
    public ModelConfig withAll(ModelConfig other) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        other.values.forEach((k, v) -> {
            Object mine = copy.get(k);
            copy.put(k, mine instanceof ModelConfig a && v instanceof ModelConfig b
                    ? a.withAll(b) : v);
        });
        return new ModelConfig(copy);
    }

    private static Object normalize(String name, Object v) {
        if (v instanceof int[] a) {
            List<Object> list = new ArrayList<>();
            for (int i : a) {
                list.add(i);
            }
            return Collections.unmodifiableList(list);
        }
        if (v instanceof double[] a) {
            List<Object> list = new ArrayList<>();
            for (double d : a) {
                list.add(d);
            }
            return Collections.unmodifiableList(list);
        }
        if (v instanceof List<?> l) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                list.add(normalize(name + "[" + i + "]", l.get(i)));
            }
            return Collections.unmodifiableList(list);
        }
        if (v instanceof ModelConfig c) {
            return c;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> nested = new LinkedHashMap<>();
            m.forEach((k, x) -> nested.put(String.valueOf(k), normalize(name + "." + k, x)));
            return new ModelConfig(nested);
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Double
                || v instanceof Boolean || v instanceof String) {
            return v;
        }
        throw new IllegalArgumentException("setting '" + name + "' has unsupported value " + v
                + "; use a number, boolean, string, list or nested settings");
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every setting, in insertion order. */
    public Map<String, Object> asMap() {
        return values;
    }

    public int getInt(String name, int defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new IllegalArgumentException("setting '" + name + "' must be a whole number, got '"
                + v + "'");
    }

    public double getDouble(String name, double defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new IllegalArgumentException("setting '" + name + "' must be a number, got '" + v
                + "'");
    }

    public boolean getBoolean(String name, boolean defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("setting '" + name + "' must be true or false, got '"
                + v + "'");
    }

    public String getString(String name, String defaultValue) {
        Object v = values.get(name);
        return v == null ? defaultValue : v.toString();
    }

    /** A list of whole numbers, e.g. hidden layer sizes; a string "512,256" is accepted too. */
    public int[] getInts(String name, int... defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue.clone();
        }
        if (v instanceof List<?> l) {
            int[] r = new int[l.size()];
            for (int i = 0; i < r.length; i++) {
                if (!(l.get(i) instanceof Number n) || !isWhole(n)) {
                    throw new IllegalArgumentException("setting '" + name
                            + "' must be a list of whole numbers, got " + l);
                }
                r[i] = n.intValue();
            }
            return r;
        }
        if (v instanceof Number n) {
            return new int[] {getInt(name, 0)};
        }
        try {
            String s = v.toString().trim();
            if (s.isEmpty()) {
                return new int[0];
            }
            String[] parts = s.split("\\s*,\\s*");
            int[] r = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                r[i] = Integer.parseInt(parts[i]);
            }
            return r;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + name
                    + "' must be a comma-separated list of whole numbers, got '" + v + "'");
        }
    }

    /** A list of numbers, e.g. per-stage dropout rates. */
    public double[] getDoubles(String name, double... defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue.clone();
        }
        List<?> l = v instanceof List<?> list ? list : List.of(v);
        double[] r = new double[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("setting '" + name
                        + "' must be a list of numbers, got " + v);
            }
            r[i] = n.doubleValue();
        }
        return r;
    }

    /** The nested settings under {@code name}; empty when absent. */
    public ModelConfig getConfig(String name) {
        Object v = values.get(name);
        if (v == null) {
            return empty();
        }
        if (v instanceof ModelConfig c) {
            return c;
        }
        throw new IllegalArgumentException("setting '" + name + "' must be nested settings"
                + " (a JSON object), got " + v);
    }

    /** A list of nested settings under {@code name}, e.g. one per stage; empty when absent. */
    public List<ModelConfig> getConfigs(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l && l.stream().allMatch(o -> o instanceof ModelConfig)) {
            return l.stream().map(o -> (ModelConfig) o).toList();
        }
        throw new IllegalArgumentException("setting '" + name + "' must be a list of nested"
                + " settings (JSON objects), got " + v);
    }

    /** The raw value of a setting (a number, boolean, string, list or ModelConfig), or null. */
    public Object get(String name) {
        return values.get(name);
    }

    private static boolean isWhole(Number n) {
        double d = n.doubleValue();
        return n instanceof Integer || n instanceof Long
                || d == Math.rint(d) && !Double.isInfinite(d);
    }

    /** The configuration as a JSON object. */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plain());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings as plain maps and lists, nested configurations included. */
    public Map<String, Object> plain() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, plain(v)));
        return out;
    }

    private static Object plain(Object v) {
        if (v instanceof ModelConfig c) {
            return c.plain();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ModelConfig::plain).toList();
        }
        return v;
    }

    /** Parses {@link #toJson()}'s output; the error names what is wrong. */
    public static ModelConfig fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model config is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new IllegalArgumentException("model config must be a JSON object");
        }
        return new ModelConfig(readObject("", obj));
    }

    private static Map<String, Object> readObject(String prefix, ObjectNode obj) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), value(prefix + e.getKey(), e.getValue()));
        }
        return map;
    }

    private static Object value(String name, JsonNode v) {
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw new IllegalArgumentException("model config setting '" + name
                        + "' has a whole number too large: " + v);
            }
            return v.longValue() == v.intValue() ? (Object) v.intValue() : (Object) v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                list.add(value(name + "[" + i + "]", v.get(i)));
            }
            return Collections.unmodifiableList(list);
        }
        if (v instanceof ObjectNode o) {
            return new ModelConfig(readObject(name + ".", o));
        }
        throw new IllegalArgumentException("model config setting '" + name
                + "' has unsupported JSON value " + v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
