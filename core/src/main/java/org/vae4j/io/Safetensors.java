package org.vae4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vae4j.tensor.Shape;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length {@code N},
 * {@code N} bytes of JSON header
 * {@code {"__metadata__": {...}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}}}
 * padded with spaces to a multiple of 8, then the raw little-endian data, each tensor's bytes at
 * its offsets (relative to the start of the data), contiguous and in header order.
 *
 * <p>vae4j stores only float32 ({@code F32}); int64 ({@code I64}) tensors, which other frameworks
 * keep beside their weights (PyTorch's {@code num_batches_tracked}), are written and read only
 * by the methods that name them. The reader checks everything a corrupt or foreign
 * file can get wrong and fails with one {@link SafetensorsFormatException} that names the file
 * and the problem. Writes to a path are atomic (see {@link AtomicFiles}).
 */
public final class Safetensors {

    /** The largest header the reader accepts, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The header key of the string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final String F32 = "F32";
    private static final String I64 = "I64";

    /** Every dtype name the format defines; vae4j reads only F32, and says so for the others. */
    private static final Set<String> KNOWN_DTYPES = Set.of("BOOL", "U8", "I8", "F8_E5M2",
            "F8_E4M3", "F8_E8M0", "I16", "U16", "F16", "BF16", "I32", "U32", F32, "F64", "I64",
            "U64", "C64", "F4", "F6_E2M3", "F6_E3M2", "E8M0");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final int CHUNK_FLOATS = 1 << 16;

    private Safetensors() {
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} (in iteration order) and {@code metadata} to {@code file}
     * atomically: a failure leaves any previous file intact.
     */
    public static void write(Path file, Map<String, TensorData> tensors,
            Map<String, String> metadata) throws IOException {
        write(file, tensors, Map.of(), metadata);
    }

    /**
     * Writes the float32 {@code tensors}, then the {@code int64} ones, and {@code metadata} to
     * {@code file} atomically.
     */
    public static void write(Path file, Map<String, TensorData> tensors,
            Map<String, Int64Data> int64, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, int64, metadata);
        AtomicFiles.write(file, out -> {
            writeTo(out, header, tensors);
            writeInt64(out, int64);
        });
    }

    /** Writes the file's bytes to {@code out} (which it does not close). */
    public static void write(OutputStream out, Map<String, TensorData> tensors,
            Map<String, String> metadata) throws IOException {
        writeTo(out, header(tensors, Map.of(), metadata), tensors);
    }

    private static void writeInt64(OutputStream out, Map<String, Int64Data> int64)
            throws IOException {
        for (Int64Data t : int64.values()) {
            ByteBuffer buf = ByteBuffer.allocate(t.values().length * Long.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.asLongBuffer().put(t.values());
            out.write(buf.array());
        }
    }

    private static void writeTo(OutputStream out, byte[] header,
            Map<String, TensorData> tensors) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        len.putLong(header.length);
        out.write(len.array());
        out.write(header);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (TensorData t : tensors.values()) {
            float[] v = t.values();
            for (int from = 0; from < v.length; from += CHUNK_FLOATS) {
                int n = Math.min(CHUNK_FLOATS, v.length - from);
                buf.clear();
                buf.asFloatBuffer().put(v, from, n);
                out.write(buf.array(), 0, n * Float.BYTES);
            }
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(Map<String, TensorData> tensors, Map<String, String> metadata) {
        return header(tensors, Map.of(), metadata);
    }

    private static byte[] header(Map<String, TensorData> tensors, Map<String, Int64Data> int64,
            Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException("safetensors metadata must map strings to"
                            + " strings, got " + k + " = " + v);
                }
                meta.put(k, v);
            });
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            offset = putEntry(root, e.getKey(), F32, e.getValue().shape(), offset,
                    (long) e.getValue().values().length * Float.BYTES);
        }
        for (Map.Entry<String, Int64Data> e : int64.entrySet()) {
            if (tensors.containsKey(e.getKey())) {
                throw new IllegalArgumentException("tensor name '" + e.getKey()
                        + "' is given both as F32 and as I64");
            }
            offset = putEntry(root, e.getKey(), I64, e.getValue().shape(), offset,
                    (long) e.getValue().values().length * Long.BYTES);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Adds one tensor's header entry at {@code offset}; returns the offset after it. */
    private static long putEntry(ObjectNode root, String name, String dtype, Shape shapeOf,
            long offset, long bytes) {
        if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
            throw new IllegalArgumentException("invalid tensor name '" + name
                    + "': names must be non-empty and not " + METADATA_KEY);
        }
        ObjectNode entry = root.putObject(name);
        entry.put("dtype", dtype);
        ArrayNode shape = entry.putArray("shape");
        for (int d : shapeOf.dims()) {
            shape.add(d);
        }
        long end = offset + bytes;
        entry.putArray("data_offsets").add(offset).add(end);
        return end;
    }

    // ---------------------------------------------------------------- reading

    /** Reads and validates a whole file. */
    public static SafetensorsFile read(Path file) throws IOException {
        return read(file, false);
    }

    /**
     * Reads and validates a whole file; with {@code withInt64} its I64 tensors too (in
     * {@link SafetensorsFile#int64}), else they are an error as every dtype but F32.
     */
    public static SafetensorsFile read(Path file, boolean withInt64) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(ch, file, withInt64);
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            Map<String, Int64Data> int64 = new LinkedHashMap<>();
            for (Entry e : header.entries) {
                if (e.dtype.equals(I64)) {
                    int64.put(e.name, new Int64Data(e.shape,
                            readLongs(ch, header.dataStart + e.begin, e.shape.size(), file)));
                } else {
                    tensors.put(e.name, new TensorData(e.shape,
                            readFloats(ch, header.dataStart + e.begin, e.shape.size(), file)));
                }
            }
            return new SafetensorsFile(tensors, header.metadata, int64);
        }
    }

    /** Reads only the metadata, without the tensor data (the header is still fully checked). */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file, false).metadata;
        }
    }

    private static Header readHeader(FileChannel ch, Path file, boolean withInt64)
            throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw error(file, "the file is " + size + " bytes, too short to hold the 8-byte"
                    + " header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file);
        long headerLength = lenBuf.getLong(0);
        if (headerLength < 0 || headerLength > size - 8) {
            throw error(file, "header length " + Long.toUnsignedString(headerLength)
                    + " is larger than the file (" + size + " bytes, so at most "
                    + (size - 8) + " bytes of header)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw error(file, "header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
        readFully(ch, headerBuf, 8, file);
        return parseHeader(headerBuf.array(), 8 + headerLength, size - 8 - headerLength, file,
                withInt64);
    }

    private record Entry(String name, String dtype, Shape shape, long begin, long end) {
    }

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    private static Header parseHeader(byte[] bytes, long dataStart, long dataLength, Path file,
            boolean withInt64) throws SafetensorsFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(file, "the header is not valid UTF-8");
        }
        if (!text.startsWith("{")) {
            throw error(file, "the header is not valid JSON: it must start with '{', found "
                    + describeStart(text));
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw error(file, "the header is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (at header byte "
                    + e.getLocation().getCharOffset() + ")" : ""));
        }
        if (root == null || !root.isObject()) {
            throw error(file, "the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(METADATA_KEY)) {
                readMetadata(f.getValue(), metadata, file);
            } else {
                entries.add(readEntry(f.getKey(), f.getValue(), dataLength, file, withInt64));
            }
        }
        checkLayout(entries, dataLength, file);
        return new Header(entries, metadata, dataStart);
    }

    private static String describeStart(String text) {
        if (text.isEmpty()) {
            return "an empty header";
        }
        String s = text.length() > 16 ? text.substring(0, 16) + "..." : text;
        return "'" + s.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static void readMetadata(JsonNode node, Map<String, String> out, Path file)
            throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw error(file, METADATA_KEY + " must be a JSON object of strings, got "
                    + node.getNodeType().toString().toLowerCase());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw error(file, METADATA_KEY + " value of '" + f.getKey()
                        + "' must be a string, got " + f.getValue());
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
    }

    private static Entry readEntry(String name, JsonNode node, long dataLength, Path file,
            boolean withInt64) throws SafetensorsFormatException {
        String what = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw error(file, what + " must be a JSON object with dtype, shape and data_offsets");
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw error(file, what + " has no dtype string");
        }
        String dt = dtype.textValue();
        boolean int64 = withInt64 && dt.equals(I64);
        if (!dt.equals(F32) && !int64) {
            throw error(file, what + (KNOWN_DTYPES.contains(dt)
                    ? " has dtype " + dt + ", which vae4j does not read; only F32 is supported"
                    : " has unknown dtype '" + dt + "'; only F32 is supported"));
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw error(file, what + " has no shape array");
        }
        int rank = shapeNode.size();
        if (rank > Shape.MAX_RANK) {
            throw error(file, what + " has rank " + rank + "; at most " + Shape.MAX_RANK
                    + " is supported");
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw error(file, what + " has an invalid shape " + shapeNode
                        + ": dimensions must be whole numbers >= 0");
            }
            dims[i] = d.intValue();
            elements *= dims[i];
            if (elements > Integer.MAX_VALUE) {
                throw error(file, what + " has shape " + shapeNode + " with more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        Shape shape = Shape.of(dims);
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !isOffset(offsets.get(0)) || !isOffset(offsets.get(1))) {
            throw error(file, what + " has invalid data_offsets " + offsets
                    + ": expected [begin, end], two whole numbers >= 0");
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin > end) {
            throw error(file, what + " has data_offsets [" + begin + ", " + end
                    + "] that end before they begin");
        }
        if (end > dataLength) {
            throw error(file, what + " has data_offsets [" + begin + ", " + end
                    + "] outside the data section of " + dataLength + " bytes");
        }
        long expected = elements * (int64 ? Long.BYTES : Float.BYTES);
        if (end - begin != expected) {
            throw error(file, what + " has data_offsets [" + begin + ", " + end + "] holding "
                    + (end - begin) + " bytes, but shape " + shape + " of " + dt + " needs "
                    + expected);
        }
        return new Entry(name, dt, shape, begin, end);
    }

    private static boolean isOffset(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0;
    }

    /** Tensors must tile the data section exactly: no overlap, no gap, nothing left over. */
    private static void checkLayout(List<Entry> entries, long dataLength, Path file)
            throws SafetensorsFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < pos) {
                throw error(file, "tensors '" + previous.name + "' [" + previous.begin + ", "
                        + previous.end + "] and '" + e.name + "' [" + e.begin + ", " + e.end
                        + "] overlap in the data section");
            }
            if (e.begin > pos) {
                throw error(file, "bytes " + pos + " to " + e.begin + " of the data section"
                        + " belong to no tensor (a gap before '" + e.name + "')");
            }
            pos = e.end;
            previous = e;
        }
        if (pos != dataLength) {
            throw error(file, "the data section is " + dataLength + " bytes but the tensors"
                    + " in the header fill " + pos + " (the file is "
                    + (dataLength > pos ? "longer" : "shorter") + " than its header says)");
        }
    }

    private static float[] readFloats(FileChannel ch, long position, int count, Path file)
            throws IOException {
        float[] out = new float[count];
        ByteBuffer buf = ByteBuffer.allocate(Math.min(count, CHUNK_FLOATS) * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < count; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, count - from);
            buf.clear().limit(n * Float.BYTES);
            readFully(ch, buf, position + (long) from * Float.BYTES, file);
            buf.flip();
            buf.asFloatBuffer().get(out, from, n);
        }
        return out;
    }

    private static long[] readLongs(FileChannel ch, long position, int count, Path file)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, position, file);
        buf.flip();
        long[] out = new long[count];
        buf.asLongBuffer().get(out);
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file)
            throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw error(file, "the file ended at byte " + pos + " while reading");
            }
            pos += n;
        }
    }

    private static SafetensorsFormatException error(Path file, String problem) {
        return new SafetensorsFormatException(file + ": " + problem);
    }
}
