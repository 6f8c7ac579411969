package org.vae4j.cli.serve;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.vae4j.data.ImageFolderReader;
import org.vae4j.tensor.Shape;

/**
 * Images in requests and replies as base64 PNG strings (a {@code data:image/png;base64,} prefix
 * is allowed on input). An input image must have the model's height and width; it is read as
 * the image-folder reader reads files (grey or RGB planes of [0, 1] values, colour converted to
 * grey for a one-channel model), so a PNG of a training image gives the training row.
 */
final class Png {

    private static final String DATA_URL = "data:image/png;base64,";

    private Png() {
    }

    /**
     * The text at {@code path} as one row of {@code image}'s {@code channels x height x width}
     * values, written into {@code out} at {@code at}.
     */
    static void read(String text, Shape image, String path, float[] out, int at) {
        String expected = "a base64 PNG of " + image.dim(2) + "x" + image.dim(1) + " pixels"
                + " (width x height), or an array of " + image.size() + " finite numbers";
        String b64 = text.startsWith(DATA_URL) ? text.substring(DATA_URL.length()) : text;
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(path, path + " is not base64 (" + e.getMessage() + ")",
                    expected);
        }
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw ApiException.badField(path, path + " is a damaged image (" + e.getMessage()
                    + ")", expected);
        }
        if (decoded == null) {
            throw ApiException.badField(path, path + " decodes to " + bytes.length
                    + " bytes that are no PNG, JPEG, BMP or GIF image", expected);
        }
        if (decoded.getHeight() != image.dim(1) || decoded.getWidth() != image.dim(2)) {
            throw ApiException.badField(path, path + " is an image of " + decoded.getWidth()
                    + "x" + decoded.getHeight() + " pixels", expected);
        }
        float[] planes = ImageFolderReader.planes(decoded, image.dim(0));
        System.arraycopy(planes, 0, out, at, planes.length);
    }

    /** Row {@code row} of {@code values} (rows of {@code image.size()}) as a base64 PNG. */
    static String write(float[] values, int row, Shape image) {
        int c = image.dim(0);
        int h = image.dim(1);
        int w = image.dim(2);
        int at = row * image.size();
        BufferedImage img = new BufferedImage(w, h,
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, byteOf(values[at + y * w + x]));
                } else {
                    int r = byteOf(values[at + y * w + x]);
                    int g = byteOf(values[at + (h + y) * w + x]);
                    int b = byteOf(values[at + (2 * h + y) * w + x]);
                    img.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** A [0, 1] value as an 8-bit sample, clamped (outputs of a Gaussian decoder may overshoot). */
    private static int byteOf(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
