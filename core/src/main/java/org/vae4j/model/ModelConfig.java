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
 * A model's settings: a flat, ordered map of names to numbers, booleans, strings and integer
 * lists, with typed getters whose errors name the setting. It is stored as JSON beside every
 * checkpoint, so it holds everything needed to rebuild the model.
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

    /** This configuration with every setting of {@code other} added or replaced. */
    public ModelConfig withAll(ModelConfig other) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.putAll(other.values);
        return new ModelConfig(copy);
    }

    private static Object normalize(String name, Object v) {
        if (v instanceof int[] a) {
            List<Integer> list = new ArrayList<>();
            for (int i : a) {
                list.add(i);
            }
            return List.copyOf(list);
        }
        if (v instanceof List<?> l) {
            List<Integer> list = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof Number n) || n.doubleValue() != n.intValue()) {
                    throw new IllegalArgumentException("setting '" + name
                            + "' must be a list of whole numbers, got " + l);
                }
                list.add(n.intValue());
            }
            return List.copyOf(list);
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        throw new IllegalArgumentException("setting '" + name + "' has unsupported value " + v
                + "; use a number, boolean, string or list of whole numbers");
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
            return l.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
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

    /** The configuration as a JSON object. */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value;
            if (v.isIntegralNumber()) {
                value = v.longValue() == v.intValue() ? (Object) v.intValue() : (Object) v.longValue();
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isTextual()) {
                value = v.textValue();
            } else if (v.isArray()) {
                List<Integer> list = new ArrayList<>();
                v.forEach(x -> list.add(x.intValue()));
                value = list;
            } else {
                throw new IllegalArgumentException("model config setting '" + e.getKey()
                        + "' has unsupported JSON value " + v);
            }
            map.put(e.getKey(), value);
        }
        return of(map);
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
