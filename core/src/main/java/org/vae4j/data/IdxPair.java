package org.vae4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an IDX images file (raw or {@code .gz}, as MNIST ships them) with an optional IDX labels
 * file as a data set of grey images scaled to [0, 1]: the user's own data in the MNIST format.
 */
public final class IdxPair {

    private IdxPair() {
    }

    /** Whether {@code file} starts with an IDX images header (raw or gzip). */
    public static boolean isIdxImages(Path file) {
        try (var in = IdxReader.openDecompressed(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == 8
                    && head[3] == 3;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The labels file beside an images file by MNIST's naming ({@code X-images-idx3-ubyte[.gz]}
     * beside {@code X-labels-idx1-ubyte[.gz]}), or null.
     */
    public static Path labelsBeside(Path images) {
        String name = images.getFileName().toString();
        if (!name.contains("images-idx3")) {
            return null;
        }
        String base = name.replace("images-idx3", "labels-idx1");
        for (String candidate : new String[] {base, base.replaceFirst("\\.gz$", ""),
                base.endsWith(".gz") ? base : base + ".gz"}) {
            Path p = images.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Reads {@code images} with {@code labels} (null: unlabelled). */
    public static Dataset read(Path images, Path labels) throws IOException {
        if (!Files.exists(images)) {
            throw new DataFileException(images, "no such file");
        }
        if (labels != null && !Files.exists(labels)) {
            throw new DataFileException(labels, "no such labels file");
        }
        IdxArray x = IdxReader.readImages(images);
        IdxArray y = labels == null ? null : IdxReader.readLabels(labels);
        DataChecks.enoughRows(images, x.dim(0), "images");
        String name = images.getFileName().toString().replaceFirst("\\.gz$", "");
        return Mnist.toDataset(name, images, x, labels, y, 0);
    }
}
