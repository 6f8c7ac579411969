package org.vae4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests. */
final class IdxTestFiles {

    private IdxTestFiles() {
    }

    /** An IDX file's bytes: magic, dimensions, data. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    /** {@code count} images of {@code h x w} whose pixel j of image i is {@code (i * 7 + j) % 256}. */
    static byte[] images(int count, int h, int w) {
        byte[] data = new byte[count * h * w];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < h * w; j++) {
                data[i * h * w + j] = (byte) ((i * 7 + j) % 256);
            }
        }
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, h, w}, data);
    }

    /** Labels {@code i % 10}. */
    static byte[] labels(int count) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) {
            data[i] = (byte) (i % 10);
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {count}, data);
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(Mnist.sha256().digest(content));
    }
}
