package org.vae4j.data;

/**
 * The four files of the original MNIST distribution, each with the SHA-256 of its raw
 * (decompressed) content. A copy in the cache may be stored raw or gzip-compressed ({@code .gz}).
 * Data sets in the MNIST layout (Fashion-MNIST) use the same four names; their checksums are in
 * their {@link BuiltInData}.
 */
public enum MnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", IdxReader.IMAGES_MAGIC,
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    TRAIN_LABELS("train-labels-idx1-ubyte", IdxReader.LABELS_MAGIC,
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    TEST_IMAGES("t10k-images-idx3-ubyte", IdxReader.IMAGES_MAGIC,
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    TEST_LABELS("t10k-labels-idx1-ubyte", IdxReader.LABELS_MAGIC,
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private final String fileName;
    private final int magic;
    private final String sha256;

    MnistFile(String fileName, int magic, String sha256) {
        this.fileName = fileName;
        this.magic = magic;
        this.sha256 = sha256;
    }

    /** The raw file's name, e.g. {@code train-images-idx3-ubyte}; add {@code .gz} when gzipped. */
    public String fileName() {
        return fileName;
    }

    /** The IDX magic number the file carries. */
    public int magic() {
        return magic;
    }

    /** The SHA-256 of the raw MNIST content, in lower-case hex. */
    public String sha256() {
        return sha256;
    }
}
