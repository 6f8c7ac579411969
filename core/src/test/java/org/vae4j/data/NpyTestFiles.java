package org.vae4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes {@code .npy} and {@code .npz} files as NumPy does (format 1.0, 64-byte aligned). */
public final class NpyTestFiles {

    private NpyTestFiles() {
    }

    /** The bytes of a {@code .npy} file of {@code dtype} ('<f4', '|u1', ...) and shape. */
    public static byte[] npy(String dtype, boolean fortran, int[] shape, double... values) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString)
                .collect(Collectors.joining(", "));
        if (shape.length == 1) {
            dims += ",";
        }
        String header = "{'descr': '" + dtype + "', 'fortran_order': " + (fortran ? "True"
                : "False") + ", 'shape': (" + dims + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        int item = switch (dtype.substring(1)) {
            case "u1", "b1" -> 1;
            case "f4", "i4" -> 4;
            case "f8", "i8" -> 8;
            case "f2", "i2" -> 2;
            default -> throw new IllegalArgumentException(dtype);
        };
        ByteBuffer data = ByteBuffer.allocate(values.length * item).order(
                dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (dtype.substring(1)) {
                case "u1", "b1" -> data.put((byte) v);
                case "f4" -> data.putFloat((float) v);
                case "f8" -> data.putDouble(v);
                case "i4" -> data.putInt((int) v);
                case "i8" -> data.putLong((long) v);
                case "f2", "i2" -> data.putShort((short) v);
                default -> throw new IllegalArgumentException(dtype);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int len = header.length();
        out.write(len & 0xff);
        out.write(len >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    /** A C-order {@code .npy} file. */
    public static Path npy(Path file, String dtype, int[] shape, double... values)
            throws IOException {
        Files.write(file, npy(dtype, false, shape, values));
        return file;
    }

    /** A {@code .npz} of named members (compressed or stored), as numpy.savez writes. */
    public static Path npz(Path file, boolean compressed, Map<String, byte[]> members)
            throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
             ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.setMethod(compressed ? ZipOutputStream.DEFLATED : ZipOutputStream.STORED);
            for (var e : members.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                if (!compressed) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    entry.setSize(e.getValue().length);
                    entry.setCompressedSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
