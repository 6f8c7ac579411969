package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fashion-MNIST through the same cache code as MNIST: fetched for real (public mirrors, then the
 * Debian package), verified by SHA-256, loaded with its ten class names.
 */
class FashionMnistTest {

    @TempDir
    Path cache;

    @Test
    void realFashionMnistHasTheKnownSizesBalancedClassesMeanAndNames() throws IOException {
        // fetched into the default cache on first use, as the program does
        Mnist fashion = Mnist.of(BuiltInData.FASHION_MNIST, Mnist.defaultCacheRoot());
        assertEquals(Mnist.defaultCacheRoot().resolve("fashion-mnist"), fashion.directory());
        Dataset train = fashion.load(Mnist.Split.TRAIN);
        Dataset test = fashion.load(Mnist.Split.TEST);
        assertEquals("fashion-mnist-train", train.name());
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals(784, train.features());
        assertEquals(28, train.imageWidth());
        int[] sixThousand = new int[10];
        int[] thousand = new int[10];
        java.util.Arrays.fill(sixThousand, 6000);
        java.util.Arrays.fill(thousand, 1000);
        assertArrayEquals(sixThousand, train.labelCounts());
        assertArrayEquals(thousand, test.labelCounts());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5},
                train.subset(0, 10).labels());
        double sum = 0;
        float[] pixels = train.rows(0, train.size());
        for (float p : pixels) {
            sum += p;
        }
        assertEquals(0.28604, sum / pixels.length, 1e-5);
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                "Shirt", "Sneaker", "Bag", "Ankle boot"), test.classNames());
        assertTrue(test.hasClassNames());
    }

    @Test
    void theDebianPackageAloneSuppliesVerifiedFilesWithoutInstallingIt() throws IOException {
        Mnist fashion = Mnist.of(BuiltInData.FASHION_MNIST, cache)
                .withSources(List.of(DebianPackageSource.fashionMnist()));
        Dataset test = fashion.load(Mnist.Split.TEST);
        assertEquals(10000, test.size());
        assertEquals(Set.of(), fashion.missing(EnumSet.of(MnistFile.TEST_IMAGES,
                MnistFile.TEST_LABELS)));
        assertTrue(Files.isRegularFile(cache.resolve("fashion-mnist")
                .resolve("t10k-images-idx3-ubyte.gz")));
        // no installation: the package's folder is not on this machine unless it was installed
        // by other means, and the temporary download folder is gone
        try (var listing = Files.list(cache.resolve("fashion-mnist"))) {
            assertEquals(2, listing.count());
        }
    }

    @Test
    void anUnknownPackageIsReportedWithAptGetsOwnWords() {
        DebianPackageSource none = new DebianPackageSource("vae4j-no-such-package",
                "usr/share/none", Duration.ofMinutes(2));
        Mnist fashion = Mnist.of(BuiltInData.FASHION_MNIST, cache).withSources(List.of(none));
        MnistUnavailableException e = assertThrows(MnistUnavailableException.class,
                () -> fashion.load(Mnist.Split.TEST));
        String m = e.getMessage();
        assertTrue(m.startsWith("Fashion-MNIST is not available: t10k-images-idx3-ubyte,"
                + " t10k-labels-idx1-ubyte missing from " + cache.resolve("fashion-mnist")), m);
        assertTrue(m.contains("apt-get download vae4j-no-such-package: apt-get download"
                + " vae4j-no-such-package exited with code"), m);
        assertTrue(m.contains("fashion-mnist" + java.io.File.separator + " folder holds them"),
                m);
        assertTrue(m.contains("apt-get download"), m);
    }

    @Test
    void checksumsDifferFromMnistsAndAreLowerCaseHex() {
        for (MnistFile f : MnistFile.values()) {
            String sum = BuiltInData.FASHION_MNIST.checksums().get(f);
            assertTrue(sum.matches("[0-9a-f]{64}"), f + ": " + sum);
            assertTrue(!sum.equals(BuiltInData.MNIST.checksums().get(f)), f.toString());
        }
        assertEquals(BuiltInData.FASHION_MNIST, BuiltInData.named(" Fashion-MNIST "));
        assertEquals(BuiltInData.MNIST, BuiltInData.named("mnist"));
        assertEquals(null, BuiltInData.named("cifar"));
        assertEquals(10, BuiltInData.FASHION_MNIST.classNames().size());
    }
}
