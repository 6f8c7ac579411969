package org.vae4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.vae4j.tensor.Shape;

/**
 * Reads a folder of images (PNG, JPEG, BMP, GIF, through {@code javax.imageio}) as a data set
 * of {@code C x H x W} examples with values in [0, 1]. Following the ImageFolder convention, a
 * folder with sub-folders is labelled: each sub-folder is a class, named by the folder, with
 * label ids in sorted name order; a folder of image files alone is unlabelled. Images are read
 * as grey ({@code channels} 1, ITU-R BT.601 luma of colour images) or RGB ({@code channels} 3,
 * grey images repeated), and either resized (bilinear) to a given size or required to all have
 * the first image's size.
 */
public final class ImageFolderReader {

    /** The file name extensions read as images (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final int channels;
    private final int height;
    private final int width;

    private ImageFolderReader(int channels, int height, int width) {
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /**
     * A reader of {@code channels} (1 or 3) channels that keeps each image's size (all must
     * have the first image's).
     */
    public static ImageFolderReader of(int channels) {
        return new ImageFolderReader(checkChannels(channels), 0, 0);
    }

    /** A reader of {@code channels} channels that resizes every image to height x width. */
    public static ImageFolderReader resizingTo(int channels, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size " + height + "x" + width
                    + ": expected a positive height and width");
        }
        return new ImageFolderReader(checkChannels(channels), height, width);
    }

    private static int checkChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), got "
                    + channels);
        }
        return channels;
    }

    /** Whether {@code file}'s name ends in one of {@link #EXTENSIONS}. */
    public static boolean isImageFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Reads {@code folder}; see the class comment. */
    public Dataset read(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            throw new DataFileException(folder, "no such folder");
        }
        if (!Files.isDirectory(folder)) {
            throw new DataFileException(folder, "not a folder; expected a folder of images or"
                    + " of class sub-folders of images");
        }
        List<Path> classFolders = list(folder, Files::isDirectory);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        if (classFolders.isEmpty()) {
            files.addAll(images(folder));
            if (files.isEmpty()) {
                throw new DataFileException(folder, "the folder holds no images; expected image"
                        + " files (" + String.join(", ", EXTENSIONS.stream().sorted().toList())
                        + ") or one sub-folder of images per class");
            }
        } else {
            for (Path classFolder : classFolders) {
                List<Path> inClass = images(classFolder);
                if (inClass.isEmpty()) {
                    throw new DataFileException(classFolder, "the class folder holds no images;"
                            + " expected image files ("
                            + String.join(", ", EXTENSIONS.stream().sorted().toList())
                            + ") in every class folder of " + folder);
                }
                for (Path p : inClass) {
                    files.add(p);
                    labels.add(classNames.size());
                }
                classNames.add(classFolder.getFileName().toString());
            }
        }
        DataChecks.enoughRows(folder, files.size(), "images");

        int h = height;
        int w = width;
        Path first = null;
        float[] values = null;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            BufferedImage image = decode(file);
            if (h == 0) {
                h = image.getHeight();
                w = image.getWidth();
                first = file;
            } else if (height == 0 && (image.getHeight() != h || image.getWidth() != w)) {
                throw new DataFileException(file, "image of " + image.getWidth() + "x"
                        + image.getHeight() + " pixels (width x height), but " + first + " has "
                        + w + "x" + h + "; expected all images the same size, or ask for a"
                        + " resize to one size");
            }
            if (values == null) {
                values = new float[Math.multiplyExact(files.size(), channels * h * w)];
            }
            float[] planes = planes(image, channels);
            if (image.getHeight() != h || image.getWidth() != w) {
                planes = resize(planes, channels, image.getHeight(), image.getWidth(), h, w);
            }
            System.arraycopy(planes, 0, values, i * channels * h * w, planes.length);
        }
        String name = folder.toAbsolutePath().normalize().getFileName() == null ? "images"
                : folder.toAbsolutePath().normalize().getFileName().toString();
        Dataset data = classNames.isEmpty()
                ? Dataset.create(name, values, channels * h * w, null, 0)
                : Dataset.create(name, values, channels * h * w,
                        labels.stream().mapToInt(Integer::intValue).toArray(), classNames.size())
                        .withClassNames(classNames);
        return data.withImageShape(channels, h, w).withExampleShape(Shape.of(channels, h, w));
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> keep)
            throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).filter(keep)
                    .sorted().toList();
        }
    }

    /** The image files of {@code dir} and its sub-folders, in sorted path order. */
    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(ImageFolderReader::isImageFile).sorted().toList();
        }
    }

    /**
     * Decodes one image; a decoder's warning (a truncated JPEG decodes with grey filler and only
     * a warning) is an error too, so a damaged file never trains silently.
     */
    static BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new DataFileException(file, "cannot be opened as an image");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataFileException(file, "not a PNG, JPEG, BMP or GIF image (its"
                        + " content is no image format this program reads)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new DataFileException(file, "damaged " + reader.getFormatName()
                            + " image (" + String.join("; ", warnings) + ")");
                }
                if (image.getWidth() <= 0 || image.getHeight() <= 0) {
                    throw new DataFileException(file, "empty image");
                }
                return image;
            } catch (IOException | RuntimeException e) {
                if (e instanceof DataFileException d) {
                    throw d;
                }
                throw new DataFileException(file, "corrupt or truncated "
                        + reader.getFormatName() + " image (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * The image as {@code channels} (1 or 3) planes of [0, 1] values, channels first: grey
     * samples as stored (8 or 16 bits), colour converted to grey by the Rec. 601 weights for one
     * channel. Every reader of images (files here, PNGs sent to a model server) uses it, so an
     * image gives the same row wherever it comes from.
     */
    public static float[] planes(BufferedImage image, int channels) {
        checkChannels(channels);
        int h = image.getHeight();
        int w = image.getWidth();
        float[] out = new float[channels * h * w];
        Raster raster = image.getRaster();
        boolean grey = image.getColorModel().getNumColorComponents() == 1
                && image.getColorModel().getColorSpace().getType()
                        == java.awt.color.ColorSpace.TYPE_GRAY;
        if (grey) {
            // grey samples as stored (8 or 16 bits), without a colour-space conversion
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) / max;
                    for (int c = 0; c < channels; c++) {
                        out[(c * h + y) * w + x] = v;
                    }
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                float r = ((argb >> 16) & 0xff) / 255f;
                float g = ((argb >> 8) & 0xff) / 255f;
                float b = (argb & 0xff) / 255f;
                if (channels == 1) {
                    out[y * w + x] = 0.299f * r + 0.587f * g + 0.114f * b;
                } else {
                    out[y * w + x] = r;
                    out[(h + y) * w + x] = g;
                    out[(2 * h + y) * w + x] = b;
                }
            }
        }
        return out;
    }

    /** Bilinear resize of {@code channels} planes (pixel centres aligned, edges clamped). */
    static float[] resize(float[] in, int channels, int inH, int inW, int outH, int outW) {
        float[] out = new float[channels * outH * outW];
        double sy = (double) inH / outH;
        double sx = (double) inW / outW;
        for (int y = 0; y < outH; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, inH - 1);
            int y1 = Math.min(y0 + 1, inH - 1);
            double ty = fy - y0;
            for (int x = 0; x < outW; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, inW - 1);
                int x1 = Math.min(x0 + 1, inW - 1);
                double tx = fx - x0;
                for (int c = 0; c < channels; c++) {
                    int base = c * inH * inW;
                    double top = in[base + y0 * inW + x0] * (1 - tx)
                            + in[base + y0 * inW + x1] * tx;
                    double bottom = in[base + y1 * inW + x0] * (1 - tx)
                            + in[base + y1 * inW + x1] * tx;
                    out[(c * outH + y) * outW + x] = (float) (top * (1 - ty) + bottom * ty);
                }
            }
        }
        return out;
    }
}
