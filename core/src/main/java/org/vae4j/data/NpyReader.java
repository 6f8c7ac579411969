package org.vae4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.vae4j.tensor.Shape;

/**
 * Reads NumPy arrays as data sets: a {@code .npy} file, or a member of a {@code .npz} archive
 * ({@code numpy.savez}, stored or compressed). The first axis counts the examples; the trailing
 * axes are the example shape (rank 1 to 3). Supported element types are little-endian
 * {@code uint8} (pixels: scaled to [0, 1] by 1/255), {@code float32} and {@code float64} (kept
 * as they are, as float32), in C order; NaN or infinite values are an error naming the element.
 * Labels, optional, come from a second {@code .npy} file or a named {@code .npz} member of
 * non-negative integers ({@code uint8}, {@code int32}, {@code int64}), one per example.
 *
 * <p>A {@code .npy} file whose values would take more than a quarter of the heap as float32 is
 * not read into memory but {@linkplain MappedRows memory-mapped} ({@link Loading#AUTO}); its
 * values are still checked once, in file order, when it is opened.
 */
public final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /** Whether an array is read onto the heap or memory-mapped. */
    public enum Loading {
        /** Mapped when its float32 values would take more than a quarter of the maximum heap. */
        AUTO,
        /** Always read onto the heap (up to 2 GB of data). */
        HEAP,
        /** Always memory-mapped ({@code .npy} files only). */
        MAP
    }

    /** A parsed {@code .npy} header: element type, shape and where the data start. */
    private record Header(String dtype, long[] shape, long dataOffset, long bytes) {
    }

    /** One parsed array: where it came from, its NumPy type, shape and raw little-endian data. */
    record NpyArray(String where, String dtype, long[] shape, ByteBuffer data) {
        long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * Reads {@code file} ({@code .npy}, or {@code .npz} with {@code member} naming the array,
     * null when the archive holds one array besides the labels), labelled from {@code labels}
     * (a {@code .npy} path, or for a {@code .npz} a member name; null for no labels).
     */
    public static Dataset read(Path file, String member, String labels) throws IOException {
        return read(file, member, labels, Loading.AUTO);
    }

    /** {@link #read(Path, String, String)}, onto the heap or memory-mapped as {@code loading} says. */
    public static Dataset read(Path file, String member, String labels, Loading loading)
            throws IOException {
        if (!Files.exists(file)) {
            throw new DataFileException(file, "no such file");
        }
        boolean npz = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz");
        NpyArray x;
        NpyArray y = null;
        if (npz) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                List<String> members = members(zip);
                String labelMember = null;
                if (labels != null && !labels.toLowerCase(Locale.ROOT).endsWith(".npy")) {
                    labelMember = strip(labels);
                }
                String dataMember = member != null ? strip(member) : null;
                if (dataMember == null) {
                    List<String> candidates = new ArrayList<>(members);
                    candidates.remove(labelMember);
                    if (candidates.size() != 1) {
                        throw new DataFileException(file, "holds the arrays " + members
                                + "; name the one to read");
                    }
                    dataMember = candidates.get(0);
                }
                x = member(zip, file, members, dataMember);
                if (labelMember != null) {
                    y = member(zip, file, members, labelMember);
                }
            } catch (ZipException e) {
                throw new DataFileException(file, "not a readable .npz archive (" + e.getMessage()
                        + "); expected a zip of .npy arrays as numpy.savez writes", e);
            }
        } else {
            if (member != null) {
                throw new DataFileException(file, "a .npy file holds one array; a member name ("
                        + member + ") applies to .npz archives only");
            }
            Header header;
            try (InputStream in = Files.newInputStream(file)) {
                header = header(in, file.toString());
            }
            long floatBytes = Math.multiplyExact(header.bytes / itemSize(header.dtype,
                    file.toString()), 4L);
            if (loading == Loading.MAP || loading == Loading.AUTO
                    && floatBytes > Runtime.getRuntime().maxMemory() / 4) {
                return mapped(file, header, labels == null ? null : labels(file, labels));
            }
            try (InputStream in = Files.newInputStream(file)) {
                x = parse(in, file.toString(), Files.size(file));
            }
        }
        if (loading == Loading.MAP) {
            throw new DataFileException(file, "a .npz member cannot be memory-mapped; save the"
                    + " array as a .npy file (numpy.save) to read it from disk");
        }
        if (labels != null && y == null) {
            y = labels(file, labels);
        }
        return toDataset(file, x, y);
    }

    /** The labels array {@code labels} names: a path, or a file beside {@code file}. */
    private static NpyArray labels(Path file, String labels) throws IOException {
        Path labelFile = Path.of(labels);
        if (!Files.exists(labelFile) && file.getParent() != null) {
            labelFile = file.getParent().resolve(labels);
        }
        if (!Files.exists(labelFile)) {
            throw new DataFileException(Path.of(labels), "no such labels file");
        }
        try (InputStream in = Files.newInputStream(labelFile)) {
            return parse(in, labelFile.toString(), Files.size(labelFile));
        }
    }

    /** The data set of a {@code .npy} file read from disk, memory-mapped. */
    private static Dataset mapped(Path file, Header h, NpyArray y) throws IOException {
        int[] exampleDims = exampleDims(file.toString(), h.shape);
        int width = width(file.toString(), exampleDims);
        long rows = h.shape[0];
        DataChecks.enoughRows(file, (int) Math.min(rows, Integer.MAX_VALUE), "examples");
        MappedRows values = new MappedRows(file, h.dataOffset, h.dtype, rows, width);
        values.checkFinite(h.shape);
        int[] labels = null;
        int classes = 0;
        if (y != null) {
            labels = labels(y, (int) rows, file.toString());
            classes = Arrays.stream(labels).max().orElse(0) + 1;
        }
        return shaped(Dataset.mapped(name(file), values, width, labels, classes), exampleDims);
    }

    private static String strip(String member) {
        return member.endsWith(".npy") ? member.substring(0, member.length() - 4) : member;
    }

    private static List<String> members(ZipFile zip) {
        List<String> names = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.endsWith(".npy")) {
                names.add(n.substring(0, n.length() - 4));
            }
        }
        return names;
    }

    private static NpyArray member(ZipFile zip, Path file, List<String> members, String name)
            throws IOException {
        ZipEntry entry = zip.getEntry(name + ".npy");
        if (entry == null) {
            throw new DataFileException(file, "has no array '" + name + "'; it holds "
                    + members);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return parse(in, file + " member '" + name + "'", entry.getSize());
        }
    }

    /** Parses one {@code .npy} stream; {@code where} names it in errors. */
    static NpyArray parse(InputStream in, String where, long sizeHint) throws IOException {
        Header h = header(in, where);
        long[] shape = h.shape;
        String dtype = h.dtype;
        long bytes = h.bytes;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw error(where, "array of " + bytes + " bytes; arrays up to 2 GB are read into"
                    + " memory (a larger .npy file is memory-mapped; a .npz member cannot be)");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) bytes);
        long copied = in.transferTo(buffer);
        if (copied < bytes) {
            throw error(where, "truncated: the header announces shape " + Arrays.toString(shape)
                    + " of " + dtype + " (" + bytes + " bytes of data), but the file holds "
                    + copied);
        }
        ByteBuffer data = ByteBuffer.wrap(buffer.toByteArray(), 0, (int) bytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        return new NpyArray(where, dtype, shape, data);
    }

    /** Reads a {@code .npy} header, leaving {@code in} at the first data byte. */
    private static Header header(InputStream in, String where) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw error(where, "not a NumPy .npy array (no \\x93NUMPY header)");
        }
        int major = magic[6];
        int headerLength;
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            if (b.length < 2) {
                throw error(where, "truncated .npy header");
            }
            headerLength = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                throw error(where, "truncated .npy header");
            }
            headerLength = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw error(where, ".npy format version " + major + "; expected 1, 2 or 3");
        }
        byte[] headerBytes = in.readNBytes(headerLength);
        if (headerBytes.length < headerLength) {
            throw error(where, "truncated .npy header");
        }
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeText.find()) {
            throw error(where, "unreadable .npy header " + header.trim());
        }
        String dtype = descr.group(1);
        if (fortran.group(1).equals("True")) {
            throw error(where, "array in Fortran (column-major) order; expected C order (save"
                    + " numpy.ascontiguousarray(a))");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : shapeText.group(1).split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim()));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        int itemSize = itemSize(dtype, where);
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        long bytes = Math.multiplyExact(count, (long) itemSize);
        long offset = 8 + (major == 1 ? 2 : 4) + (long) headerLength;
        return new Header(dtype, shape, offset, bytes);
    }

    private static int itemSize(String dtype, String where) throws DataFileException {
        switch (dtype) {
            case "|u1", "<u1", "|b1":
                return 1;
            case "<f4", "<i4":
                return 4;
            case "<f8", "<i8":
                return 8;
            default:
                String why = dtype.startsWith(">") ? " (big-endian)" : "";
                throw error(where, "element type '" + dtype + "'" + why + "; expected uint8"
                        + " ('|u1'), float32 ('<f4') or float64 ('<f8'), little-endian (labels:"
                        + " uint8, int32 or int64)");
        }
    }

    private static Dataset toDataset(Path file, NpyArray x, NpyArray y) throws IOException {
        int rows = (int) x.shape[0];
        int[] exampleDims = exampleDims(x.where, x.shape);
        int width = width(x.where, exampleDims);
        DataChecks.enoughRows(file, rows, "examples");
        float[] values = features(x);
        int[] labels = null;
        int classes = 0;
        if (y != null) {
            labels = labels(y, rows, x.where);
            classes = Arrays.stream(labels).max().orElse(0) + 1;
        }
        return shaped(Dataset.create(name(file), values, width, labels, classes), exampleDims);
    }

    private static String name(Path file) {
        return file.getFileName().toString().replaceFirst("\\.(npy|npz)$", "");
    }

    /** The example shape: the axes after the first (one value per example for a 1-d array). */
    private static int[] exampleDims(String where, long[] shape) throws DataFileException {
        if (shape.length < 1 || shape.length > Shape.MAX_RANK) {
            throw error(where, "array of shape " + Arrays.toString(shape) + "; expected one"
                    + " axis of examples and 0 to " + (Shape.MAX_RANK - 1) + " axes per example");
        }
        int[] dims = new int[Math.max(1, shape.length - 1)];
        dims[0] = 1;
        for (int a = 1; a < shape.length; a++) {
            dims[a - 1] = Math.toIntExact(shape[a]);
        }
        return dims;
    }

    private static int width(String where, int[] exampleDims) throws DataFileException {
        long width = 1;
        for (int d : exampleDims) {
            width *= d;
        }
        if (width == 0) {
            throw error(where, "examples of shape " + Arrays.toString(exampleDims)
                    + " hold no values");
        }
        if (width > Integer.MAX_VALUE / 8) {
            throw error(where, "examples of " + width + " values; expected at most "
                    + Integer.MAX_VALUE / 8);
        }
        return (int) width;
    }

    /** {@code data} with its example shape and, for 2-d or 1/3-channel 3-d examples, images. */
    private static Dataset shaped(Dataset data, int[] exampleDims) {
        Shape shape = Shape.of(exampleDims);
        if (exampleDims.length == 2) {
            data = data.withImageShape(exampleDims[0], exampleDims[1]);
        } else if (exampleDims.length == 3 && (exampleDims[0] == 1 || exampleDims[0] == 3)) {
            data = data.withImageShape(exampleDims[0], exampleDims[1], exampleDims[2]);
        }
        return data.withExampleShape(shape);
    }

    private static float[] features(NpyArray a) throws DataFileException {
        int n = (int) a.count();
        float[] out = new float[n];
        ByteBuffer b = a.data;
        switch (a.dtype) {
            case "|u1", "<u1":
                for (int i = 0; i < n; i++) {
                    out[i] = (b.get(i) & 0xff) / 255f;
                }
                return out;
            case "<f4":
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(4 * i);
                    checkFinite(a, i, out[i]);
                }
                return out;
            case "<f8":
                for (int i = 0; i < n; i++) {
                    double v = b.getDouble(8 * i);
                    out[i] = (float) v;
                    checkFinite(a, i, v);
                    if (Float.isInfinite(out[i])) {
                        throw error(a.where, "element " + index(a.shape, i) + " is " + v
                                + ", beyond float32's range; expected values within +-3.4e38");
                    }
                }
                return out;
            default:
                throw error(a.where, "element type '" + a.dtype + "'; expected uint8 ('|u1'),"
                        + " float32 ('<f4') or float64 ('<f8') for the examples");
        }
    }

    private static void checkFinite(NpyArray a, int i, double v) throws DataFileException {
        if (!Double.isFinite(v)) {
            throw error(a.where, "element " + index(a.shape, i) + " is " + v
                    + "; expected finite values (no NaN or infinity)");
        }
    }

    /** The NumPy index {@code [i, j, ...]} of flat position {@code flat}. */
    static String index(long[] shape, long flat) {
        long[] idx = new long[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = shape[a] == 0 ? 0 : flat % shape[a];
            flat = shape[a] == 0 ? 0 : flat / shape[a];
        }
        return Arrays.toString(idx);
    }

    private static int[] labels(NpyArray y, int rows, String dataWhere) throws DataFileException {
        if (y.shape.length != 1 || y.shape[0] != rows) {
            throw error(y.where, "labels of shape " + Arrays.toString(y.shape) + "; expected ("
                    + rows + ",): one label per example of " + dataWhere);
        }
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            long v = switch (y.dtype) {
                case "|u1", "<u1" -> y.data.get(i) & 0xff;
                case "<i4" -> y.data.getInt(4 * i);
                case "<i8" -> y.data.getLong(8 * i);
                default -> throw error(y.where, "labels of element type '" + y.dtype
                        + "'; expected whole numbers (uint8, int32 or int64)");
            };
            if (v < 0 || v > 65535) {
                throw error(y.where, "label " + v + " at index " + i + "; expected a class"
                        + " number 0 to 65535");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private static DataFileException error(String where, String problem) {
        return new DataFileException(where, problem);
    }
}
