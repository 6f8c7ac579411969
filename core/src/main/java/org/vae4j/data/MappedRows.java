package org.vae4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The rows of a {@code .npy} array read from the file itself, memory-mapped, so a data set
 * larger than the heap costs the heap nothing: the operating system pages the file in as
 * batches touch it. A mapping is at most 2 GB, so the file is mapped in segments of whole rows
 * (about 1 GB each). Values are converted as {@link NpyReader} converts them: {@code uint8}
 * scaled by 1/255, {@code float32} as it is, {@code float64} rounded to float32. Reads are
 * absolute, so concurrent readers do not interfere.
 */
final class MappedRows implements Rows {

    private static final long SEGMENT_BYTES = 1L << 30;

    private final Path file;
    private final String dtype;
    private final int itemSize;
    private final int width;
    private final long rows;
    private final long rowsPerSegment;
    private final MappedByteBuffer[] segments;

    /**
     * Maps {@code rows x width} elements of {@code dtype} ({@code |u1}, {@code <f4} or
     * {@code <f8}) that start {@code offset} bytes into {@code file}.
     */
    MappedRows(Path file, long offset, String dtype, long rows, int width) throws IOException {
        this(file, offset, dtype, rows, width, SEGMENT_BYTES);
    }

    /** As above with segments of at most {@code segmentBytes} (whole rows; at least one row). */
    MappedRows(Path file, long offset, String dtype, long rows, int width, long segmentBytes)
            throws IOException {
        this.file = file;
        this.dtype = dtype;
        this.itemSize = switch (dtype) {
            case "|u1", "<u1" -> 1;
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new DataFileException(file, "element type '" + dtype
                    + "'; expected uint8 ('|u1'), float32 ('<f4') or float64 ('<f8')");
        };
        this.width = width;
        this.rows = rows;
        long rowBytes = (long) width * itemSize;
        this.rowsPerSegment = Math.max(1, Math.min(SEGMENT_BYTES, segmentBytes) / rowBytes);
        int count = (int) ((rows + rowsPerSegment - 1) / rowsPerSegment);
        this.segments = new MappedByteBuffer[count];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long need = offset + rows * rowBytes;
            if (channel.size() < need) {
                throw new DataFileException(file, "truncated: the header announces " + rows
                        + " rows of " + width + " " + dtype + " values (" + rows * rowBytes
                        + " bytes of data), but the file holds " + (channel.size() - offset));
            }
            for (int s = 0; s < count; s++) {
                long first = s * rowsPerSegment;
                long n = Math.min(rowsPerSegment, rows - first);
                MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY,
                        offset + first * rowBytes, n * rowBytes);
                m.order(ByteOrder.LITTLE_ENDIAN);
                segments[s] = m;
            }
        }
    }

    long rows() {
        return rows;
    }

    @Override
    public void copy(long from, float[] dst, int off, int count) {
        long end = from + count;
        long at = from;
        while (at < end) {
            long row = at / width;
            int column = (int) (at - row * width);
            int n = (int) Math.min(end - at, width - column);
            ByteBuffer segment = segments[(int) (row / rowsPerSegment)];
            int base = (int) ((row % rowsPerSegment) * width + column) * itemSize;
            convert(segment, base, dst, off, n);
            off += n;
            at += n;
        }
    }

    private void convert(ByteBuffer b, int base, float[] dst, int off, int n) {
        switch (itemSize) {
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = (b.get(base + i) & 0xff) / 255f;
                }
            }
            case 4 -> b.slice(base, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(dst, off, n);
            default -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = (float) b.getDouble(base + 8 * i);
                }
            }
        }
    }

    /**
     * Reads every value once, in file order, and fails on the first that is not finite (or, for
     * float64, beyond float32's range), naming its NumPy index; a large file is checked once,
     * when it is opened, as the in-memory reader checks it.
     */
    void checkFinite(long[] shape) throws DataFileException {
        if (itemSize == 1) {
            return;
        }
        for (long r = 0; r < rows; r++) {
            ByteBuffer segment = segments[(int) (r / rowsPerSegment)];
            int base = (int) ((r % rowsPerSegment) * width) * itemSize;
            for (int j = 0; j < width; j++) {
                double v = itemSize == 4 ? segment.getFloat(base + 4 * j)
                        : segment.getDouble(base + 8 * j);
                if (!Double.isFinite(v) || Float.isInfinite((float) v)) {
                    throw new DataFileException(file, "element "
                            + NpyReader.index(shape, r * width + j) + " is " + v
                            + "; expected finite float32 values (no NaN or infinity)");
                }
            }
        }
    }

    @Override
    public String toString() {
        return "MappedRows(" + file + ", " + rows + " x " + width + " " + dtype + ")";
    }
}
