package org.vae4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the format of the MNIST family: a big-endian magic number {@code 0x0000 08 r}
 * for unsigned bytes of rank {@code r}, {@code r} big-endian dimensions, then the bytes), raw or
 * gzip-compressed; compression is recognised by its magic bytes {@code 1f 8b}, whatever the
 * file's name. The length must be exact: a short file or trailing bytes are errors.
 */
public final class IdxReader {

    /** The magic number of a rank-3 unsigned-byte array (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of a rank-1 unsigned-byte array (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Reads an images file: {@code count x rows x columns} unsigned bytes. */
    public static IdxArray readImages(Path file) throws IOException {
        return read(file, IMAGES_MAGIC, null);
    }

    /** Reads a labels file: {@code count} unsigned bytes. */
    public static IdxArray readLabels(Path file) throws IOException {
        return read(file, LABELS_MAGIC, null);
    }

    /**
     * Reads {@code file}, which must carry {@code expectedMagic}; when {@code digest} is given it
     * is fed the whole decompressed content.
     */
    static IdxArray read(Path file, int expectedMagic, MessageDigest digest) throws IOException {
        try (InputStream raw = openDecompressed(file)) {
            InputStream in = digest == null ? raw : new DigestInputStream(raw, digest);
            return parse(file, in, expectedMagic);
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(file, "corrupt or truncated gzip data (" + e.getMessage()
                    + ")", e);
        }
    }

    /** Opens {@code file} for reading, decompressing it when it starts with the gzip magic. */
    static InputStream openDecompressed(Path file) throws IOException {
        return decompressIfGzip(Files.newInputStream(file));
    }

    /** Wraps {@code in} in a gzip decoder when its first bytes are the gzip magic {@code 1f 8b}. */
    static InputStream decompressIfGzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(buffered, 1 << 16);
        }
        return buffered;
    }

    private static IdxArray parse(Path file, InputStream in, int expectedMagic)
            throws IOException {
        int rank = expectedMagic & 0xff;
        byte[] header = in.readNBytes(4 + 4 * rank);
        if (header.length < 4) {
            throw new IdxFormatException(file, "truncated: expected a " + (4 + 4 * rank)
                    + "-byte IDX header, found only " + header.length + " bytes");
        }
        int magic = readInt(header, 0);
        if (magic != expectedMagic) {
            throw new IdxFormatException(file, "not an IDX file of " + describe(expectedMagic)
                    + ": expected magic number " + hex(expectedMagic) + ", found " + hex(magic)
                    + describeFound(magic));
        }
        if (header.length < 4 + 4 * rank) {
            throw new IdxFormatException(file, "truncated: expected a " + (4 + 4 * rank)
                    + "-byte IDX header, found only " + header.length + " bytes");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(header, 4 + 4 * i);
            if (dims[i] < 0) {
                throw new IdxFormatException(file, "dimension " + i + " is " + dims[i]
                        + " (" + hex(dims[i]) + "); expected a size >= 0");
            }
            count *= dims[i];
        }
        String shape = formatDims(dims);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IdxFormatException(file, "header declares " + shape + " = " + count
                    + " values; at most " + (Integer.MAX_VALUE - 8) + " are supported");
        }
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new IdxFormatException(file, "truncated: the header (" + shape + ") promises "
                    + count + " data bytes after the " + header.length + "-byte header, found only "
                    + data.length);
        }
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new IdxFormatException(file, trailing + " unexpected trailing bytes after the "
                    + count + " data bytes the header (" + shape + ") promises; expected the file"
                    + " to end there");
        }
        return new IdxArray(dims, data);
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
                | (b[off + 3] & 0xff);
    }

    private static String describe(int magic) {
        return switch (magic) {
            case IMAGES_MAGIC -> "unsigned-byte images (rank 3)";
            case LABELS_MAGIC -> "unsigned-byte labels (rank 1)";
            default -> "type " + hex(magic);
        };
    }

    private static String describeFound(int magic) {
        if ((magic >>> 16) != 0) {
            return " (not an IDX header)";
        }
        if ((magic >>> 8) == 0x08) {
            return " (unsigned bytes of rank " + (magic & 0xff) + ")";
        }
        return " (an IDX element type other than unsigned byte)";
    }

    static String formatDims(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
