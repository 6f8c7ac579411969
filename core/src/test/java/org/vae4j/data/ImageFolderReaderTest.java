package org.vae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.tensor.Shape;

class ImageFolderReaderTest {

    @TempDir
    Path dir;

    /** A grey image whose pixel (x, y) is {@code (base + 10x + y) mod 256}. */
    static BufferedImage grey(int w, int h, int base) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (base + 10 * x + y) & 0xff);
            }
        }
        return img;
    }

    /** A one-colour RGB image. */
    static BufferedImage rgb(int w, int h, int r, int g, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    static Path write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String format = file.getFileName().toString().replaceFirst(".*\\.", "");
        assertTrue(ImageIO.write(img, format.equals("jpg") ? "jpeg" : format, file.toFile()));
        return file;
    }

    @Test
    void greyPngClassFoldersGiveSortedLabelsExactPixelsAndChannelsFirstShape() throws IOException {
        write(grey(4, 3, 0), dir.resolve("zebra/a.png"));
        write(grey(4, 3, 100), dir.resolve("ant/b.png"));
        write(grey(4, 3, 200), dir.resolve("ant/c.png"));
        Dataset d = ImageFolderReader.of(1).read(dir);
        assertEquals(3, d.size());
        assertEquals(Shape.of(1, 3, 4), d.exampleShape());
        assertEquals(3, d.imageHeight());
        assertEquals(4, d.imageWidth());
        assertEquals(List.of("ant", "zebra"), d.classNames());
        assertArrayEquals(new int[] {0, 0, 1}, d.labels());
        // row 0 is ant/b.png: pixel (x=1, y=2) = 100 + 10 + 2
        assertEquals(112 / 255f, d.row(0)[2 * 4 + 1], 0f);
        assertEquals(0f, d.row(2)[0], 0f);
    }

    @Test
    void rgbJpegReadsThreePlanesAndGreyAsLuma() throws IOException {
        write(rgb(5, 5, 200, 100, 50), dir.resolve("x/a.jpg"));
        write(rgb(5, 5, 10, 20, 250), dir.resolve("y/b.jpeg"));
        Dataset colour = ImageFolderReader.of(3).read(dir);
        assertEquals(Shape.of(3, 5, 5), colour.exampleShape());
        assertTrue(colour.hasImageShape(), "colour images are drawn too");
        assertEquals(3, colour.imageChannels());
        float[] first = colour.row(0);
        // JPEG is lossy: a flat colour comes back within a few levels
        assertEquals(200 / 255f, first[0], 4 / 255f);
        assertEquals(100 / 255f, first[25], 4 / 255f);
        assertEquals(50 / 255f, first[50], 4 / 255f);
        Dataset grey = ImageFolderReader.of(1).read(dir);
        assertEquals(Shape.of(1, 5, 5), grey.exampleShape());
        assertEquals((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255, grey.row(0)[12], 4 / 255.);
    }

    @Test
    void greyImagesAsRgbRepeatTheirPlaneAndAFlatFolderIsUnlabelled() throws IOException {
        write(grey(2, 2, 7), dir.resolve("one.png"));
        write(grey(2, 2, 9), dir.resolve("two.bmp"));
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Dataset d = ImageFolderReader.of(3).read(dir);
        assertFalse(d.hasLabels());
        assertEquals(2, d.size());
        float[] r = d.row(0);
        assertArrayEquals(Arrays.copyOfRange(r, 0, 4), Arrays.copyOfRange(r, 4, 8), 0f);
        assertArrayEquals(Arrays.copyOfRange(r, 0, 4), Arrays.copyOfRange(r, 8, 12), 0f);
    }

    @Test
    void resizingGivesOneSizeAndKeepsAFlatImageFlat() throws IOException {
        BufferedImage flat = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                flat.getRaster().setSample(x, y, 0, 51);
            }
        }
        write(flat, dir.resolve("a.png"));
        write(grey(3, 3, 0), dir.resolve("b.gif"));
        Dataset d = ImageFolderReader.resizingTo(1, 2, 2).read(dir);
        assertEquals(Shape.of(1, 2, 2), d.exampleShape());
        assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f, 0.2f}, d.row(0), 1e-6f);
    }

    @Test
    void mixedSizesWithoutResizeNameBothFilesAndSizes() throws IOException {
        write(grey(4, 4, 0), dir.resolve("a.png"));
        write(grey(5, 3, 0), dir.resolve("b.png"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> ImageFolderReader.of(1).read(dir));
        String m = e.getMessage();
        assertTrue(m.startsWith(dir.resolve("b.png") + ": image of 5x3 pixels"), m);
        assertTrue(m.contains(dir.resolve("a.png") + " has 4x4"), m);
        assertTrue(m.contains("resize"), m);
    }

    @Test
    void anEmptyFolderAndAnEmptyClassFolderAreRefused() throws IOException {
        DataFileException e = assertThrows(DataFileException.class,
                () -> ImageFolderReader.of(1).read(dir));
        assertTrue(e.getMessage().startsWith(dir + ": the folder holds no images"),
                e.getMessage());
        write(grey(2, 2, 0), dir.resolve("cats/a.png"));
        write(grey(2, 2, 0), dir.resolve("cats/b.png"));
        Files.createDirectories(dir.resolve("dogs"));
        e = assertThrows(DataFileException.class, () -> ImageFolderReader.of(1).read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("dogs")
                + ": the class folder holds no images"), e.getMessage());
    }

    @Test
    void corruptAndTruncatedImagesAreNamed() throws IOException {
        write(grey(8, 8, 0), dir.resolve("good.png"));
        Path bad = dir.resolve("bad.png");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        DataFileException e = assertThrows(DataFileException.class,
                () -> ImageFolderReader.of(1).read(dir));
        assertTrue(e.getMessage().startsWith(bad + ": not a PNG, JPEG, BMP or GIF image"),
                e.getMessage());
        Files.delete(bad);
        for (String name : new String[] {"cut.png", "cut.jpg"}) {
            Path whole = write(rgb(64, 64, 30, 160, 90), dir.resolve("whole-" + name));
            byte[] bytes = Files.readAllBytes(whole);
            Files.delete(whole);
            Path cut = dir.resolve(name);
            Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
            e = assertThrows(DataFileException.class, () -> ImageFolderReader.of(3).read(dir));
            assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("damaged"),
                    e.getMessage());
            Files.delete(cut);
        }
    }

    @Test
    void oneImageAndAMissingPathAreRefused() throws IOException {
        write(grey(2, 2, 0), dir.resolve("only.png"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> ImageFolderReader.of(1).read(dir));
        assertEquals(dir + ": holds 1 image; expected at least 2 (one to train on and one to"
                + " evaluate)", e.getMessage());
        Path none = dir.resolve("nowhere");
        e = assertThrows(DataFileException.class, () -> ImageFolderReader.of(1).read(none));
        assertEquals(none + ": no such folder", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFolderReader.of(2));
    }
}
