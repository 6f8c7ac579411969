package org.vae4j.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.vae4j.io.AtomicFiles;

/**
 * A grid of small grey-scale or colour images (e.g. MNIST digits, reconstructions, samples; colour
 * images are three planes, red, green, blue, channels first as the models see them) as one PNG a
 * person can read: each image upscaled (2x by default, nearest neighbour, so pixels stay
 * sharp), separated by gaps, with an optional title above and labels left of the rows. Pixel
 * values are in [0, 1], 0 black and 1 white; values outside are clamped and NaN or infinite
 * ones drawn red, so a diverged model shows as such. Plain {@code java.awt} and ImageIO.
 *
 * <pre>{@code
 * ImageGrid.builder(28, 28).optColumns(10).optTitle("samples")
 *         .addAll(pixels, 100).build().write(Path.of("samples.png"));
 * }</pre>
 */
public final class ImageGrid {

    private static final Color BACKGROUND = new Color(0xEE, 0xEE, 0xEE);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color BLANK_CELL = new Color(0xDD, 0xDD, 0xDD);
    private static final int NON_FINITE = 0xD62728;

    private final int channels;
    private final int height;
    private final int width;
    private final List<float[]> images;
    private final int columns;
    private final int scale;
    private final int gap;
    private final int groupRows;
    private final java.util.Set<Integer> separatedColumns;
    private final String title;
    private final Map<Integer, String> rowLabels;

    private ImageGrid(Builder b) {
        this.channels = b.channels;
        this.height = b.height;
        this.width = b.width;
        this.images = List.copyOf(b.images);
        // a single short row is as wide as its images, not as the requested columns
        this.columns = Math.min(b.columns, b.images.size());
        this.scale = b.scale;
        this.gap = b.gap;
        this.groupRows = b.groupRows;
        this.separatedColumns = java.util.Set.copyOf(b.separatedColumns);
        this.title = b.title;
        this.rowLabels = Map.copyOf(b.rowLabels);
    }

    /** Starts a grid of grey images of {@code imageHeight x imageWidth} pixels. */
    public static Builder builder(int imageHeight, int imageWidth) {
        return new Builder(1, imageHeight, imageWidth);
    }

    /**
     * Starts a grid of images of {@code channels x imageHeight x imageWidth} values: 1 channel
     * (grey) or 3 (red, green and blue planes, one after another).
     */
    public static Builder builder(int channels, int imageHeight, int imageWidth) {
        return new Builder(channels, imageHeight, imageWidth);
    }

    /** The number of images. */
    public int size() {
        return images.size();
    }

    public int columns() {
        return columns;
    }

    /** The number of rows of images. */
    public int rows() {
        return (images.size() + columns - 1) / columns;
    }

    /** Draws the grid. */
    public BufferedImage render() {
        int rows = Math.max(1, rows());
        int cellW = width * scale;
        int cellH = height * scale;
        int margin = 2 * gap;
        int groupGap = 3 * gap;

        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics titleMetrics = pg.getFontMetrics(titleFont);
        FontMetrics labelMetrics = pg.getFontMetrics(labelFont);
        pg.dispose();

        int labelWidth = 0;
        for (String label : rowLabels.values()) {
            labelWidth = Math.max(labelWidth, labelMetrics.stringWidth(label));
        }
        int labelColumn = labelWidth > 0 ? labelWidth + 2 * gap + 4 : 0;
        int titleHeight = title != null ? titleMetrics.getHeight() + gap + 4 : 0;
        int[] rowTop = new int[rows];
        int y = margin + titleHeight;
        for (int r = 0; r < rows; r++) {
            rowTop[r] = y;
            y += cellH + (groupRows > 0 && (r + 1) % groupRows == 0 ? groupGap : gap);
        }
        int gridHeight = y - gap + margin - (groupRows > 0 && rows % groupRows == 0
                ? groupGap - gap : 0);
        int[] colLeft = new int[columns];
        int x = 0;
        for (int c = 0; c < columns; c++) {
            colLeft[c] = x;
            x += cellW + (separatedColumns.contains(c) ? groupGap : gap);
        }
        int gridWidth = labelColumn + colLeft[columns - 1] + cellW;
        int titleWidth = title != null ? titleMetrics.stringWidth(title) : 0;
        int totalWidth = Math.max(gridWidth, titleWidth) + 2 * margin;
        int left = margin + (totalWidth - 2 * margin - gridWidth) / 2 + labelColumn;

        BufferedImage img = new BufferedImage(totalWidth, gridHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, totalWidth, gridHeight);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(TEXT);
            if (title != null) {
                g.setFont(titleFont);
                g.drawString(title, (totalWidth - titleWidth) / 2,
                        margin + titleMetrics.getAscent());
            }
            g.setFont(labelFont);
            for (Map.Entry<Integer, String> e : rowLabels.entrySet()) {
                if (e.getKey() < rows) {
                    int textWidth = labelMetrics.stringWidth(e.getValue());
                    int baseline = rowTop[e.getKey()] + (cellH + labelMetrics.getAscent()
                            - labelMetrics.getDescent()) / 2;
                    g.drawString(e.getValue(), left - gap - 4 - textWidth, baseline);
                }
            }
            for (int i = 0; i < rows * columns; i++) {
                int x0 = left + colLeft[i % columns];
                int y0 = rowTop[i / columns];
                if (i < images.size()) {
                    drawImage(img, images.get(i), x0, y0);
                } else {
                    g.setColor(BLANK_CELL);
                    g.fillRect(x0, y0, cellW, cellH);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private void drawImage(BufferedImage img, float[] pixels, int x0, int y0) {
        int plane = height * width;
        // grey images read plane 0 three times; colour images their red, green and blue planes
        int green = channels == 3 ? plane : 0;
        int blue = channels == 3 ? 2 * plane : 0;
        for (int py = 0; py < height; py++) {
            for (int px = 0; px < width; px++) {
                int at = py * width + px;
                float r = pixels[at];
                float g = pixels[green + at];
                float b = pixels[blue + at];
                int rgb;
                if (Float.isFinite(r) && Float.isFinite(g) && Float.isFinite(b)) {
                    rgb = level(r) << 16 | level(g) << 8 | level(b);
                } else {
                    rgb = NON_FINITE;
                }
                for (int sy = 0; sy < scale; sy++) {
                    for (int sx = 0; sx < scale; sx++) {
                        img.setRGB(x0 + px * scale + sx, y0 + py * scale + sy, rgb);
                    }
                }
            }
        }
    }

    private static int level(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    /** Writes the grid as a PNG, atomically: the file is either the whole picture or untouched. */
    public void write(Path file) throws IOException {
        BufferedImage img = render();
        AtomicFiles.write(file, out -> {
            ImageOutputStream stream = new MemoryCacheImageOutputStream(out);
            if (!ImageIO.write(img, "png", stream)) {
                throw new IOException("no PNG writer is installed in this Java runtime");
            }
            stream.flush();
        });
    }

    /** Configures an {@link ImageGrid}: images are required, everything else optional. */
    public static final class Builder {
        private final int channels;
        private final int height;
        private final int width;
        private final List<float[]> images = new ArrayList<>();
        private int columns = 10;
        private int scale = 2;
        private int gap = 3;
        private int groupRows;
        private final java.util.Set<Integer> separatedColumns = new java.util.HashSet<>();
        private String title;
        private final Map<Integer, String> rowLabels = new HashMap<>();

        private Builder(int channels, int height, int width) {
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("image grid: images have 1 (grey) or 3 (RGB)"
                        + " channels, got " + channels);
            }
            if (height <= 0 || width <= 0) {
                throw new IllegalArgumentException("image grid: images must be at least 1x1"
                        + " pixels, got " + height + "x" + width);
            }
            this.channels = channels;
            this.height = height;
            this.width = width;
        }

        /** Images per row (fewer when there are fewer images); default 10. */
        public Builder optColumns(int columns) {
            if (columns < 1) {
                throw new IllegalArgumentException("image grid: columns must be positive, got "
                        + columns);
            }
            this.columns = columns;
            return this;
        }

        /** How many screen pixels each image pixel becomes, per side; default 2. */
        public Builder optScale(int scale) {
            if (scale < 1 || scale > 32) {
                throw new IllegalArgumentException("image grid: scale must be in 1..32, got "
                        + scale);
            }
            this.scale = scale;
            return this;
        }

        /** Pixels between neighbouring images; default 3. */
        public Builder optGap(int gap) {
            if (gap < 0 || gap > 100) {
                throw new IllegalArgumentException("image grid: gap must be in 0..100, got "
                        + gap);
            }
            this.gap = gap;
            return this;
        }

        /** A wider gap after every {@code rows} rows (e.g. 2 for original/reconstruction pairs). */
        public Builder optGroupRows(int rows) {
            if (rows < 0) {
                throw new IllegalArgumentException("image grid: group size must be >= 0, got "
                        + rows);
            }
            this.groupRows = rows;
            return this;
        }

        /** A wider gap after column {@code column} (0-based), e.g. to set originals apart. */
        public Builder optSeparatorAfterColumn(int column) {
            if (column < 0) {
                throw new IllegalArgumentException("image grid: column must be >= 0, got "
                        + column);
            }
            separatedColumns.add(column);
            return this;
        }

        /** A line of text above the grid. */
        public Builder optTitle(String title) {
            this.title = title == null || title.isBlank() ? null : title;
            return this;
        }

        /** A short label left of row {@code row} (0-based). */
        public Builder optRowLabel(int row, String label) {
            if (row < 0) {
                throw new IllegalArgumentException("image grid: row must be >= 0, got " + row);
            }
            rowLabels.put(row, Objects.requireNonNull(label, "label"));
            return this;
        }

        /** Adds one image of {@code channels x height x width} values, row-major. */
        public Builder add(float[] image) {
            if (image.length != channels * height * width) {
                throw new IllegalArgumentException("image grid: an image of " + shape()
                        + " needs " + channels * height * width + " values, got "
                        + image.length);
            }
            images.add(image.clone());
            return this;
        }

        /** Adds {@code count} images stored one after another in {@code pixels}. */
        public Builder addAll(float[] pixels, int count) {
            int per = channels * height * width;
            if (count < 0 || (long) count * per != pixels.length) {
                throw new IllegalArgumentException("image grid: " + count + " images of "
                        + shape() + " need " + (long) count * per + " values, got "
                        + pixels.length);
            }
            for (int i = 0; i < count; i++) {
                images.add(java.util.Arrays.copyOfRange(pixels, i * per, (i + 1) * per));
            }
            return this;
        }

        private String shape() {
            return (channels == 1 ? "" : channels + "x") + height + "x" + width;
        }

        public ImageGrid build() {
            if (images.isEmpty()) {
                throw new IllegalStateException("image grid: no images added");
            }
            return new ImageGrid(this);
        }
    }
}
