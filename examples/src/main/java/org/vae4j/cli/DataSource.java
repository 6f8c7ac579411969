package org.vae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.vae4j.data.BuiltInData;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxPair;
import org.vae4j.data.ImageFolderReader;
import org.vae4j.data.Mnist;
import org.vae4j.data.NpyReader;
import org.vae4j.data.Preprocessing;
import org.vae4j.data.Split;
import org.vae4j.data.TableSchema;
import org.vae4j.data.TableStream;
import picocli.CommandLine;

/**
 * Where a command's data comes from: a built-in data set ({@code mnist}, {@code fashion-mnist})
 * in a cache folder, or a path recognised by what it is (IDX images file, image folder,
 * {@code .npy}/{@code .npz}, {@code .csv}/{@code .tsv}) with the options that say how to read
 * it. Its {@link #spec()} is what a run's {@code config.json} records as its data set, so that
 * {@code resume}, {@code eval} and the other commands on a run read the same data the same way.
 */
final class DataSource {

    /** What kind of source, and so which reader. */
    enum Kind { BUILT_IN, IDX, IMAGES, ARRAY, TABLE }

    /** Built-in data sets, loaded once per cache folder, set and split, and process. */
    private static final Map<String, Dataset> LOADED = new ConcurrentHashMap<>();

    private final BuiltInData builtIn;
    private final Path path;
    private final Kind kind;
    private final Path cache;
    private final Map<String, String> options;
    private final boolean fromRun;

    private DataSource(BuiltInData builtIn, Path path, Kind kind, Path cache,
            Map<String, String> options) {
        this(builtIn, path, kind, cache, options, false);
    }

    private DataSource(BuiltInData builtIn, Path path, Kind kind, Path cache,
            Map<String, String> options, boolean fromRun) {
        this.builtIn = builtIn;
        this.path = path;
        this.kind = kind;
        this.cache = cache;
        this.options = options;
        this.fromRun = fromRun;
    }

    /**
     * Training and test data as a command reads them, with the preprocessing fitted on the
     * training data (or the run's, applied) and the split that made the test set (null when it
     * came from the data set itself or from {@code --test-data}).
     */
    record Loaded(Dataset train, Dataset test, boolean testIsTrain, TableSchema schema,
            Preprocessing preprocessing, Split split) {

        Loaded(Dataset train, Dataset test, boolean testIsTrain, TableSchema schema) {
            this(train, test, testIsTrain, schema, Preprocessing.forExamples(train, true), null);
        }
    }

    /**
     * The source a command's flags name; without {@code --data}, that of the run ({@code saved},
     * null for none) or else MNIST. A {@code --data} folder that holds a data cache
     * ({@code mnist/} or {@code fashion-mnist/} in it), as {@code --data DIR} meant before, is
     * read as that cache, with a note on {@code err}.
     */
    static DataSource of(CommandLine cl, DataOptions o, RunConfig saved, PrintWriter err) {
        Path cache = o.cache;
        if (o.source == null) {
            if (o.readerOptionsGiven()) {
                throw Flags.error(cl, "--test-data, --labels, --test-labels, --member,"
                        + " --label-column, --channels and --image-size say how to read"
                        + " --data PATH; give --data");
            }
            if (saved != null) {
                Path savedCache = cache != null ? cache
                        : saved.dataDir() != null ? Path.of(saved.dataDir()) : null;
                return fromSpec(saved.dataset(), savedCache, "the run's config.json");
            }
            return new DataSource(BuiltInData.MNIST, null, Kind.BUILT_IN, cache, Map.of());
        }
        BuiltInData named = BuiltInData.named(o.source);
        if (named != null) {
            if (o.readerOptionsGiven()) {
                throw Flags.error(cl, "--data " + o.source + " is a built-in data set; --test-data,"
                        + " --labels, --test-labels, --member, --label-column, --channels and"
                        + " --image-size apply to --data PATH only");
            }
            return new DataSource(named, null, Kind.BUILT_IN, cache, Map.of());
        }
        Path p = Path.of(o.source);
        BuiltInData cached = cacheIn(p);
        if (cached != null && cache == null && !o.readerOptionsGiven()) {
            err.println("note: --data " + o.source + " holds a data cache (" + cached.name()
                    + "/); reading it as --data-cache " + o.source + " --data " + cached.name());
            err.flush();
            return new DataSource(cached, null, Kind.BUILT_IN, p, Map.of());
        }
        Map<String, String> opts = new LinkedHashMap<>();
        put(opts, "labels", o.labels == null ? null : absoluteIfFile(o.labels));
        put(opts, "member", o.member);
        put(opts, "label-column", o.labelColumn);
        if (o.channels != null) {
            if (o.channels != 1 && o.channels != 3) {
                throw Flags.error(cl, "--channels must be 1 (grey) or 3 (RGB), got "
                        + o.channels);
            }
            put(opts, "channels", o.channels.toString());
        }
        if (o.imageSize != null) {
            int[] hw = parseSize(o.imageSize);
            if (hw == null) {
                throw Flags.error(cl, "--image-size must be HxW or N (pixels, 1 to 4096), got '"
                        + o.imageSize + "'");
            }
            put(opts, "image-size", hw[0] + "x" + hw[1]);
        }
        put(opts, "test", o.test == null ? null : Path.of(o.test).toAbsolutePath().toString());
        if (o.testFraction != null) {
            if (o.test != null) {
                throw Flags.error(cl, "--test-fraction splits --data into training and test"
                        + " rows; with --test-data there is nothing to split: give one of them");
            }
            if (!(o.testFraction > 0 && o.testFraction < 1)) {
                throw Flags.error(cl, "--test-fraction must be between 0 and 1 (exclusive), got "
                        + o.testFraction);
            }
            put(opts, "test-fraction", o.testFraction.toString());
        }
        put(opts, "split-seed", o.splitSeed == null ? null : o.splitSeed.toString());
        if (o.columns != null) {
            try {
                Preprocessing.ColumnType.parseList(o.columns);
            } catch (IllegalArgumentException e) {
                throw Flags.error(cl, e.getMessage());
            }
            put(opts, "columns", o.columns);
        }
        if (o.missing != null) {
            try {
                Preprocessing.Missing.parse(o.missing);
            } catch (IllegalArgumentException e) {
                throw Flags.error(cl, e.getMessage());
            }
            put(opts, "missing", o.missing.trim().toLowerCase(Locale.ROOT));
        }
        put(opts, "test-labels", o.testLabels == null ? null : absoluteIfFile(o.testLabels));
        Kind kind = kindOf(cl, p, "--data");
        if (o.test != null) {
            Kind testKind = kindOf(cl, Path.of(o.test), "--test-data");
            if (testKind != kind) {
                throw Flags.error(cl, "--test-data " + o.test + " is " + describe(testKind)
                        + ", but --data " + o.source + " is " + describe(kind)
                        + "; expected the same kind");
            }
        }
        checkOptionsFit(cl, kind, opts);
        return new DataSource(null, p.toAbsolutePath().normalize(), kind, cache, opts);
    }

    /** The source a run's config.json recorded ({@link #spec()}) with its cache folder. */
    static DataSource fromSpec(String spec, Path cache, String where) {
        BuiltInData named = BuiltInData.named(spec);
        if (named != null) {
            return new DataSource(named, null, Kind.BUILT_IN, cache, Map.of(), true);
        }
        String pathPart = spec;
        Map<String, String> opts = new LinkedHashMap<>();
        int q = spec.lastIndexOf('?');
        if (q > 0 && spec.substring(q + 1).matches("[a-z-]+=.*")) {
            pathPart = spec.substring(0, q);
            for (String pair : spec.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                opts.put(pair.substring(0, eq),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Path p = Path.of(pathPart);
        Kind kind;
        try {
            kind = kindOf(null, p, "data");
        } catch (CliException | CommandLine.ParameterException e) {
            throw new CliException(where + " names the data set " + pathPart + ": "
                    + e.getMessage());
        }
        return new DataSource(null, p, kind, cache, opts, true);
    }

    /** What config.json records: the built-in name, or the path with its reading options. */
    String spec() {
        if (builtIn != null) {
            return builtIn.name();
        }
        if (options.isEmpty()) {
            return path.toString();
        }
        return path + "?" + options.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                        StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The cache folder given (null: the default), for config.json. */
    Path cache() {
        return cache;
    }

    /** Whether the source is a built-in data set. */
    boolean isBuiltIn() {
        return builtIn != null;
    }

    /** The source in prose for titles and messages: "MNIST", "Fashion-MNIST", a file name. */
    String title() {
        return builtIn != null ? builtIn.title() : path.getFileName().toString();
    }

    /** {@link #title()} of a recorded {@link #spec()}, without reading anything. */
    static String titleOf(String spec) {
        BuiltInData named = BuiltInData.named(spec);
        if (named != null) {
            return named.title();
        }
        int q = spec.lastIndexOf('?');
        String pathPart = q > 0 && spec.substring(q + 1).matches("[a-z-]+=.*")
                ? spec.substring(0, q) : spec;
        Path name = Path.of(pathPart).getFileName();
        return name == null ? pathPart : name.toString();
    }

    /** The training data, the first {@code limit} examples only when given. */
    Loaded load(Integer limit) throws IOException {
        return load(limit, null);
    }

    /**
     * The training data (the first {@code limit} examples only when given) and the test data,
     * preprocessed with {@code stored} (a run's, never refitted) or, when null, with a
     * preprocessing fitted on the training rows.
     */
    Loaded load(Integer limit, Preprocessing stored) throws IOException {
        Loaded all = load(stored);
        return limit == null ? all : new Loaded(all.train().take(limit), all.test(),
                all.testIsTrain(), all.schema(), all.preprocessing(), all.split());
    }

    /** The training data and the test data (a seeded split of it when no test set was given). */
    Loaded load() throws IOException {
        return load((Preprocessing) null);
    }

    private Loaded load(Preprocessing stored) throws IOException {
        if (builtIn != null) {
            Dataset train = builtIn(Mnist.Split.TRAIN);
            return new Loaded(train, builtIn(Mnist.Split.TEST), false, null,
                    stored != null ? stored : Preprocessing.forExamples(train, true), null);
        }
        String test = options.get("test");
        switch (kind) {
            case TABLE -> {
                return loadTable(test, stored);
            }
            default -> {
                Dataset all = read(path, options.get("labels"));
                Dataset train;
                Dataset testData;
                Split split = null;
                if (test == null) {
                    split = split(all.size());
                    train = split.trainOf(all);
                    testData = split.testOf(all);
                } else {
                    train = all;
                    testData = read(Path.of(test), options.get("test-labels") != null
                            ? options.get("test-labels")
                            : kind == Kind.ARRAY && isNpz(path) && isMember(labels())
                            ? labels() : null);
                }
                Preprocessing prep = stored != null ? stored
                        : Preprocessing.forExamples(train, kind != Kind.ARRAY);
                return new Loaded(prep.apply(train), prep.apply(testData), false, null, prep,
                        split);
            }
        }
    }

    /**
     * A table, streamed from its file in passes ({@link TableStream}): its encoded rows on the
     * heap, or when they would take more than a quarter of it, in a temporary float32 file read
     * memory-mapped a batch at a time.
     */
    private Loaded loadTable(String test, Preprocessing stored) throws IOException {
        Map<String, Preprocessing.ColumnType> types =
                Preprocessing.ColumnType.parseList(options.get("columns"));
        Preprocessing.Missing missing = Preprocessing.Missing.parse(
                options.getOrDefault("missing", "error"));
        TableStream.Table table = TableStream.load(path, options.get("label-column"), types,
                missing, stored, test == null ? this::split : null, NpyReader.Loading.AUTO);
        Preprocessing prep = table.preprocessing();
        Dataset testData = test == null ? table.test() : prep.apply(Path.of(test));
        return new Loaded(table.train(), testData, false, prep.schema(), prep, table.split());
    }

    /** The seeded split of {@code n} rows by the recorded fraction and seed (or the defaults). */
    private Split split(int n) {
        double fraction = Double.parseDouble(options.getOrDefault("test-fraction",
                Double.toString(Split.DEFAULT_FRACTION)));
        long seed = Long.parseLong(options.getOrDefault("split-seed",
                Long.toString(Split.DEFAULT_SEED)));
        try {
            return Split.of(path.toString(), n, fraction, seed);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /**
     * Says on {@code out} what a path's data holds: a table's inferred columns, and that the
     * training data serves as the test set when no test set was given.
     */
    static void report(Loaded data, PrintWriter out) {
        if (data.schema() != null) {
            out.println("columns of " + data.train().name() + ":");
            out.println(data.schema().describe());
        }
        if (!data.train().inMemory() && data.schema() != null) {
            out.printf(java.util.Locale.ROOT, "note: the encoded rows of %s would take more than"
                    + " a quarter of the %.0f MB heap: they were streamed into a float32 file in"
                    + " %s (deleted once mapped) and are read from it, memory-mapped, a batch at"
                    + " a time%n", data.train().name(), Runtime.getRuntime().maxMemory() / 1e6,
                    System.getProperty("java.io.tmpdir"));
        } else if (!data.train().inMemory()) {
            out.printf(java.util.Locale.ROOT, "note: %s is larger than a quarter of the %.0f MB"
                    + " heap: it is read from its file, memory-mapped, a batch at a time%n",
                    data.train().name(), Runtime.getRuntime().maxMemory() / 1e6);
        }
        if (data.split() != null) {
            out.println("split: " + data.split().train().length + " training and "
                    + data.split().test().length + " test examples (--test-fraction "
                    + data.split().fraction() + ", --split-seed " + data.split().seed() + ")");
        }
        if (data.preprocessing() != null) {
            data.preprocessing().notes().forEach(n -> out.println("note: " + n));
        }
        if (data.testIsTrain()) {
            out.println("note: no --test-data: the test figures and pictures use the training"
                    + " data (" + data.test().size() + " examples)");
        }
        out.flush();
    }

    /** The test data (the test side of the seeded split when there is no test set). */
    Dataset test() throws IOException {
        return test(null);
    }

    /**
     * The test data a command on a run evaluates, preprocessed with the run's {@code stored}
     * preprocessing when there is one (never refitted): the test side of the run's split when
     * the data is the run's own, else the whole of the {@code --data} given.
     */
    Dataset test(Preprocessing stored) throws IOException {
        if (builtIn != null) {
            return builtIn(Mnist.Split.TEST);
        }
        if (fromRun || stored == null || options.get("test") != null) {
            return load(stored).test();
        }
        if (kind == Kind.TABLE) {
            return stored.apply(path);
        }
        return stored.apply(read(path, options.get("labels")));
    }

    /** The files the data was read from (data, labels, test data, test labels), for hashes. */
    java.util.List<Path> files() {
        java.util.List<Path> files = new java.util.ArrayList<>();
        if (builtIn != null) {
            return files;
        }
        files.add(path);
        for (String key : new String[] {"labels", "test", "test-labels"}) {
            String v = options.get(key);
            if (v != null && Files.exists(Path.of(v))) {
                files.add(Path.of(v));
            }
        }
        return files;
    }

    /** The kind of source in words, for the data card. */
    String kindName() {
        return switch (kind) {
            case BUILT_IN -> "built-in";
            case IDX -> "idx";
            case IMAGES -> "image folder";
            case ARRAY -> "array";
            case TABLE -> "table";
        };
    }

    /** The preprocessing a run folder saved, or null for a run trained before it was saved. */
    static Preprocessing storedIn(RunFolder folder) throws IOException {
        Path file = folder.resolve(Preprocessing.FILE);
        return Files.exists(file) ? Preprocessing.load(file) : null;
    }

    private Dataset read(Path file, String labels) throws IOException {
        switch (kind) {
            case IDX -> {
                Path labelFile = labels != null ? Path.of(labels) : IdxPair.labelsBeside(file);
                return IdxPair.read(file, labelFile);
            }
            case IMAGES -> {
                int channels = Integer.parseInt(options.getOrDefault("channels", "1"));
                String size = options.get("image-size");
                ImageFolderReader reader = size == null ? ImageFolderReader.of(channels)
                        : ImageFolderReader.resizingTo(channels, parseSize(size)[0],
                                parseSize(size)[1]);
                return reader.read(file);
            }
            case ARRAY -> {
                return NpyReader.read(file, options.get("member"), labels);
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    private Dataset builtIn(Mnist.Split split) throws IOException {
        Path root = (cache != null ? cache : Mnist.defaultCacheRoot()).toAbsolutePath()
                .normalize();
        String key = root + "#" + builtIn.name() + "#" + split;
        Dataset d = LOADED.get(key);
        if (d == null) {
            d = Mnist.of(builtIn, root).load(split);
            LOADED.put(key, d);
        }
        return d;
    }

    /**
     * The built-in data set whose cache sub-folder {@code dir} holds, or null. A sub-folder of
     * images (an image folder with a class called "mnist") is no cache.
     */
    private static BuiltInData cacheIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        for (BuiltInData d : BuiltInData.ALL) {
            Path sub = dir.resolve(d.name());
            if (Files.isDirectory(sub)) {
                try (var listing = Files.list(sub)) {
                    if (listing.noneMatch(ImageFolderReader::isImageFile)) {
                        return d;
                    }
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Kind kindOf(CommandLine cl, Path p, String flag) {
        if (!Files.exists(p)) {
            throw fail(cl, flag + ": no such file or folder: " + p + "; expected "
                    + BuiltInData.names() + " or the path of an IDX images file, an image"
                    + " folder, a .npy/.npz array or a .csv/.tsv table");
        }
        if (Files.isDirectory(p)) {
            return Kind.IMAGES;
        }
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy") || name.endsWith(".npz")) {
            return Kind.ARRAY;
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return Kind.TABLE;
        }
        if (IdxPair.isIdxImages(p)) {
            return Kind.IDX;
        }
        throw fail(cl, flag + " " + p + " is not a data file this program recognises; expected"
                + (ImageFolderReader.isImageFile(p) ? " the folder of the images rather than"
                        + " one image, or" : "")
                + " an IDX images file (raw or .gz), an image folder, a .npy/.npz array or a"
                + " .csv/.tsv table");
    }

    private static RuntimeException fail(CommandLine cl, String message) {
        return cl != null ? Flags.error(cl, message) : new CliException(message);
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case IDX -> "an IDX images file";
            case IMAGES -> "an image folder";
            case ARRAY -> "a NumPy array";
            case TABLE -> "a table";
            case BUILT_IN -> "a built-in data set";
        };
    }

    /** Refuses reading options that do not apply to {@code kind}, naming the option. */
    private static void checkOptionsFit(CommandLine cl, Kind kind, Map<String, String> opts) {
        Map<String, Kind[]> applies = Map.of(
                "labels", new Kind[] {Kind.IDX, Kind.ARRAY},
                "test-labels", new Kind[] {Kind.IDX, Kind.ARRAY},
                "member", new Kind[] {Kind.ARRAY},
                "label-column", new Kind[] {Kind.TABLE},
                "columns", new Kind[] {Kind.TABLE},
                "missing", new Kind[] {Kind.TABLE},
                "channels", new Kind[] {Kind.IMAGES},
                "image-size", new Kind[] {Kind.IMAGES});
        for (String key : opts.keySet()) {
            Kind[] kinds = applies.get(key);
            if (kinds != null && !java.util.Arrays.asList(kinds).contains(kind)) {
                throw Flags.error(cl, "--" + key + " does not apply to " + describe(kind)
                        + "; it applies to " + java.util.Arrays.stream(kinds)
                        .map(DataSource::describe).collect(Collectors.joining(" and ")));
            }
        }
    }

    private static void put(Map<String, String> opts, String key, String value) {
        if (value != null) {
            opts.put(key, value);
        }
    }

    /** A labels path made absolute (so a run reads it from anywhere); a member name as is. */
    private static String absoluteIfFile(String labels) {
        Path p = Path.of(labels);
        return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : labels;
    }

    private String labels() {
        return options.get("labels");
    }

    /** Whether {@code labels} names a {@code .npz} member rather than a file. */
    private static boolean isMember(String labels) {
        return labels != null && !labels.toLowerCase(Locale.ROOT).endsWith(".npy");
    }

    private static boolean isNpz(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz");
    }

    /** {@code HxW} or {@code N} as {height, width}, or null when malformed. */
    static int[] parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String[] parts = t.split("x", -1);
        if (parts.length > 2) {
            return null;
        }
        try {
            int h = Integer.parseInt(parts[0].trim());
            int w = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : h;
            return h >= 1 && w >= 1 && h <= 4096 && w <= 4096 ? new int[] {h, w} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
