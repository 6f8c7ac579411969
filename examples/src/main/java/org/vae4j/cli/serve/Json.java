package org.vae4j.cli.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import org.vae4j.tensor.Shape;

/** Reading request bodies field by field, each error naming its field and what was expected. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The body as a JSON object holding only {@code allowed} fields. */
    static ObjectNode object(String body, Set<String> allowed) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? MAPPER.createObjectNode()
                    : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badField(null, "the body is not valid JSON: "
                    + e.getOriginalMessage(), "a JSON object");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badField(null, "the body is a JSON "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase())
                    + ", not an object", "a JSON object");
        }
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badField(name, "unknown field '" + name + "'",
                        "one of " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return (ObjectNode) root;
    }

    static int intField(ObjectNode o, String name, int defaultValue, int min, int max) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiException.badField(name, name + " is " + describe(n),
                    "an integer from " + min + " to " + max);
        }
        int v = n.intValue();
        if (v < min || v > max) {
            throw ApiException.badField(name, name + " is " + v + ", out of range",
                    "an integer from " + min + " to " + max);
        }
        return v;
    }

    static Integer optionalInt(ObjectNode o, String name, int min, int max) {
        JsonNode n = o.get(name);
        return n == null || n.isNull() ? null : intField(o, name, 0, min, max);
    }

    /** A string field, one of {@code choices}; {@code defaultValue} when absent. */
    static String choice(ObjectNode o, String name, String defaultValue, String... choices) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        String expected = "one of " + String.join(", ", choices);
        if (!n.isTextual()) {
            throw ApiException.badField(name, name + " is " + describe(n), expected);
        }
        for (String c : choices) {
            if (c.equals(n.textValue())) {
                return c;
            }
        }
        throw ApiException.badField(name, name + " is " + describe(n), expected);
    }

    static long longField(ObjectNode o, String name, long defaultValue) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.badField(name, name + " is " + describe(n), "a 64-bit integer");
        }
        return n.longValue();
    }

    /**
     * A batch of rows of {@code width} finite numbers: an array of 1 to {@code maxRows} rows,
     * flattened row by row. Each row is an array of numbers or, when {@code image} is not null
     * (a model of images of that shape), a base64 PNG string ({@link Png}).
     */
    static float[] rows(ObjectNode o, String name, int width, int maxRows, Shape image) {
        JsonNode n = o.get(name);
        String expected = "an array of 1 to " + maxRows + " rows, each " + rowKind(width, image);
        if (n == null || n.isNull()) {
            throw ApiException.badField(name, name + " is missing", expected);
        }
        if (!n.isArray() || n.isEmpty()) {
            throw ApiException.badField(name, name + " is " + describe(n), expected);
        }
        if (n.size() > maxRows) {
            throw ApiException.badField(name, name + " holds " + n.size() + " rows, over the"
                    + " limit", expected);
        }
        float[] out = new float[n.size() * width];
        for (int i = 0; i < n.size(); i++) {
            row(n.get(i), name + "[" + i + "]", width, image, out, i * width);
        }
        return out;
    }

    /** One row of {@code width} finite numbers, or a base64 PNG when {@code image} is given. */
    static float[] row(ObjectNode o, String name, int width, Shape image) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            throw ApiException.badField(name, name + " is missing", rowKind(width, image));
        }
        float[] out = new float[width];
        row(n, name, width, image, out, 0);
        return out;
    }

    private static String rowKind(int width, Shape image) {
        return "an array of " + width + " finite numbers" + (image == null ? ""
                : " or a base64 PNG of " + image.dim(2) + "x" + image.dim(1) + " pixels");
    }

    private static void row(JsonNode n, String path, int width, Shape image, float[] out,
            int at) {
        if (n.isTextual() && image != null) {
            Png.read(n.textValue(), image, path, out, at);
            return;
        }
        String expected = rowKind(width, image);
        if (!n.isArray()) {
            throw ApiException.badField(path, path + " is " + describe(n), expected);
        }
        if (n.size() != width) {
            throw ApiException.badField(path, path + " holds " + n.size() + " values",
                    expected);
        }
        for (int j = 0; j < width; j++) {
            JsonNode v = n.get(j);
            if (!v.isNumber()) {
                throw ApiException.badField(path + "[" + j + "]", path + "[" + j + "] is "
                        + describe(v), "a finite number");
            }
            double d = v.doubleValue();
            if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
                throw ApiException.badField(path + "[" + j + "]", path + "[" + j + "] is " + d,
                        "a finite number");
            }
            out[at + j] = (float) d;
        }
    }

    /**
     * Labels, one per row, each 0 to {@code classes - 1}: required by a conditional model
     * ({@code classes > 0}), refused by another (null when absent).
     */
    static int[] labels(ObjectNode o, String name, int rows, int classes) {
        JsonNode n = o.get(name);
        String expected = classes == 0 ? "no labels: the model is unconditional"
                : "an array of " + rows + " integers from 0 to " + (classes - 1);
        if (n == null || n.isNull()) {
            if (classes > 0) {
                throw ApiException.badField(name, name + " is missing: the model is conditional",
                        expected);
            }
            return null;
        }
        if (classes == 0) {
            throw ApiException.badField(name, name + " given to an unconditional model",
                    expected);
        }
        if (!n.isArray() || n.size() != rows) {
            throw ApiException.badField(name, name + " is " + describe(n), expected);
        }
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            JsonNode v = n.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0
                    || v.intValue() >= classes) {
                throw ApiException.badField(name + "[" + i + "]", name + "[" + i + "] is "
                        + describe(v), "an integer from 0 to " + (classes - 1));
            }
            out[i] = v.intValue();
        }
        return out;
    }

    static String describe(JsonNode n) {
        if (n.isArray()) {
            return "an array of " + n.size();
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isTextual()) {
            String t = n.textValue();
            return "the string \"" + (t.length() > 20 ? t.substring(0, 20) + "..." : t) + "\"";
        }
        if (n.isBoolean()) {
            return n.booleanValue() ? "true" : "false";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.toString();
    }

    /**
     * {@code values} as {@code rows} base64 PNG strings of {@code image}'s shape, when {@code
     * image} is not null, else as {@code rows} arrays of {@code values.length / rows} numbers.
     */
    static ArrayNode rowsOut(float[] values, int rows, Shape image) {
        if (image == null) {
            return matrix(values, rows);
        }
        ArrayNode out = MAPPER.createArrayNode();
        for (int i = 0; i < rows; i++) {
            out.add(Png.write(values, i, image));
        }
        return out;
    }

    /** {@code values} as {@code rows} arrays of {@code values.length / rows} numbers. */
    static ArrayNode matrix(float[] values, int rows) {
        ArrayNode out = MAPPER.createArrayNode();
        int width = rows == 0 ? 0 : values.length / rows;
        for (int i = 0; i < rows; i++) {
            ArrayNode row = out.addArray();
            for (int j = 0; j < width; j++) {
                row.add(values[i * width + j]);
            }
        }
        return out;
    }
}
