package org.vae4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's data card ({@code data.json}): what exactly it was trained on — the source (a
 * built-in name or a path), its kind, the example shape, a table's columns and their types, the
 * label names, the number of examples per split, the split's seed and fraction, and the SHA-256
 * of every input file (a folder: one digest over its files' relative paths and digests).
 */
public final class DataCard {

    /** The file name in a run folder. */
    public static final String FILE = "data.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DataCard() {
    }

    /**
     * The card as JSON.
     *
     * @param source the built-in name or the path, as the run records it
     * @param kind the kind of source (e.g. "table", "image folder")
     * @param train the training data as trained on
     * @param test the test data
     * @param preprocessing the fitted preprocessing (its schema gives a table's columns)
     * @param split the seeded split, or null when the test set came separately
     * @param files the input files to hash (empty for built-in data, verified on download)
     */
    public static String toJson(String source, String kind, Dataset train, Dataset test,
            Preprocessing preprocessing, Split split, List<Path> files) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "vae4j-data-card");
        root.put("source", source);
        root.put("kind", kind);
        ArrayNode shape = root.putArray("example_shape");
        for (int d : train.exampleShape().dims()) {
            shape.add(d);
        }
        if (preprocessing != null && preprocessing.isTable()) {
            ArrayNode cols = root.putArray("columns");
            TableSchema schema = preprocessing.schema();
            for (int i = 0; i < schema.columns().size(); i++) {
                TableSchema.Column c = schema.columns().get(i);
                ObjectNode n = cols.addObject();
                n.put("name", c.name());
                n.put("type", c.kind().lowerName());
                n.put("width", c.width());
                if (c.kind() != TableSchema.Kind.NUMERIC) {
                    ArrayNode values = n.putArray("categories");
                    c.categories().forEach(values::add);
                }
            }
            if (schema.labelColumn() != null) {
                root.put("label_column", schema.labelColumn());
            }
            root.put("missing", preprocessing.missing().name().toLowerCase(java.util.Locale.ROOT));
        }
        ArrayNode labels = root.putArray("label_names");
        if (train.hasLabels()) {
            train.classNames().forEach(labels::add);
        }
        ObjectNode counts = root.putObject("counts");
        counts.put("train", train.size());
        counts.put("test", test.size());
        ObjectNode splitNode = root.putObject("split");
        if (split != null) {
            splitNode.put("method", "seeded");
            splitNode.put("test_fraction", split.fraction());
            splitNode.put("seed", split.seed());
        } else {
            splitNode.put("method", "given");
        }
        ArrayNode hashes = root.putArray("files");
        for (Path f : files) {
            ObjectNode n = hashes.addObject();
            n.put("path", f.toAbsolutePath().normalize().toString());
            n.put("sha256", sha256(f));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The SHA-256 of a file in hex; of a folder, that of the lines {@code "<digest>  <relative
     * path>\n"} of its regular files in sorted path order (as {@code sha256sum} prints them).
     */
    public static String sha256(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return digestOf(path);
        }
        MessageDigest all = newDigest();
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                String line = digestOf(f) + "  " + path.relativize(f).toString().replace('\\', '/')
                        + "\n";
                all.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(all.digest());
    }

    private static String digestOf(Path file) throws IOException {
        MessageDigest d = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
