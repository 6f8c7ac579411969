package org.vae4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    @TempDir
    Path dir;

    private static float[] ramp(int n) {
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = i / (float) (n - 1);
        }
        return p;
    }

    @Test
    void writesAPngThatDecodesWithUpscaledCells() throws IOException {
        Path file = dir.resolve("grid.png");
        ImageGrid grid = ImageGrid.builder(4, 5).optColumns(3).optScale(2).optGap(1)
                .addAll(new float[4 * 5 * 7], 7).build();
        grid.write(file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img);
        assertEquals(3, grid.rows());
        // margins 2*gap each side, 3 cells of 10 px and 2 gaps of 1
        assertEquals(2 * 2 + 3 * 10 + 2, img.getWidth());
        assertEquals(2 * 2 + 3 * 8 + 2, img.getHeight());
        // first cell's top-left pixel is black (value 0), the gap is light
        assertEquals(0x000000, img.getRGB(2, 2) & 0xffffff);
        assertTrue((img.getRGB(12, 2) & 0xff) > 200, "gap colour");
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void pixelValuesMapToGreyLevelsAndNonFiniteToRed() {
        float[] image = {0f, 1f, 0.5f, Float.NaN};
        BufferedImage img = ImageGrid.builder(2, 2).optScale(1).optGap(0).add(image).build()
                .render();
        assertEquals(0x000000, img.getRGB(0, 0) & 0xffffff);
        assertEquals(0xffffff, img.getRGB(1, 0) & 0xffffff);
        assertEquals(128, img.getRGB(0, 1) & 0xff);
        assertEquals(0xd62728, img.getRGB(1, 1) & 0xffffff);
    }

    @Test
    void colourImagesReadTheirRedGreenAndBluePlanes() {
        // one 1x2 image: planes r = {1, 0}, g = {0.5, 0}, b = {0, 1}
        float[] image = {1f, 0f, 0.5f, 0f, 0f, 1f};
        BufferedImage img = ImageGrid.builder(3, 1, 2).optScale(1).optGap(0).add(image).build()
                .render();
        assertEquals(0xff8000, img.getRGB(0, 0) & 0xffffff);
        assertEquals(0x0000ff, img.getRGB(1, 0) & 0xffffff);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.builder(3, 28, 28).add(new float[784]));
        assertTrue(e.getMessage().contains("an image of 3x28x28 needs 2352 values, got 784"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.builder(2, 4, 4));
    }

    @Test
    void aTitleAndRowLabelsMakeRoomForThemselves() {
        ImageGrid plain = ImageGrid.builder(28, 28).addAll(ramp(28 * 28 * 2), 2).build();
        ImageGrid labelled = ImageGrid.builder(28, 28)
                .optTitle("a title much wider than two small digits side by side")
                .optRowLabel(0, "digit 7").addAll(ramp(28 * 28 * 2), 2).build();
        BufferedImage a = plain.render();
        BufferedImage b = labelled.render();
        assertTrue(b.getWidth() > a.getWidth() + 100, b.getWidth() + " vs " + a.getWidth());
        assertTrue(b.getHeight() > a.getHeight(), b.getHeight() + " vs " + a.getHeight());
    }

    @Test
    void aColumnSeparatorWidensOneGap() {
        BufferedImage plain = ImageGrid.builder(2, 2).optScale(1).optGap(1)
                .addAll(new float[12], 3).build().render();
        BufferedImage split = ImageGrid.builder(2, 2).optScale(1).optGap(1)
                .optSeparatorAfterColumn(0).addAll(new float[12], 3).build().render();
        assertEquals(plain.getWidth() + 2, split.getWidth(), "a gap of 3 instead of 1");
        // the second image now starts after the wide gap: x = margin 2 + cell 2 + gap 3
        assertEquals(0x000000, split.getRGB(7, 2) & 0xffffff);
        assertTrue((split.getRGB(5, 2) & 0xff) > 200, "inside the wide gap");
    }

    @Test
    void wrongImageSizesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.builder(28, 28).add(new float[10]));
        assertTrue(e.getMessage().contains("784"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ImageGrid.builder(2, 2).build());
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.builder(0, 2));
    }
}
