package org.vae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.tensor.Shape;

class SafetensorsTest {

    @TempDir
    Path dir;

    private static Map<String, TensorData> sample() {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("encoder.0.weight", new TensorData(Shape.of(2, 3),
                new float[] {1f, -2.5f, 3e-38f, Float.NaN, Float.POSITIVE_INFINITY, -0f}));
        t.put("encoder.0.bias", new TensorData(Shape.of(3), new float[] {0.1f, 0.2f, 0.3f}));
        t.put("scale", new TensorData(Shape.scalar(), new float[] {7f}));
        t.put("empty", new TensorData(Shape.of(0, 4), new float[0]));
        return t;
    }

    @Test
    void roundTripKeepsNamesOrderShapesBitsAndMetadata() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, String> meta = Map.of("format", "vae4j", "config", "{\"hidden\": [4]}");
        Safetensors.write(file, sample(), meta);

        SafetensorsFile read = Safetensors.read(file);
        assertEquals(List.copyOf(sample().keySet()), List.copyOf(read.tensors().keySet()));
        for (Map.Entry<String, TensorData> e : sample().entrySet()) {
            TensorData got = read.tensors().get(e.getKey());
            assertEquals(e.getValue().shape(), got.shape(), e.getKey());
            float[] want = e.getValue().values();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Float.floatToRawIntBits(want[i]),
                        Float.floatToRawIntBits(got.values()[i]), e.getKey() + "[" + i + "]");
            }
        }
        assertEquals(meta, read.metadata());
        assertEquals(meta, Safetensors.readMetadata(file));
    }

    @Test
    void int64TensorsAreWrittenAfterTheFloatsAndReadOnlyWhenAskedFor() throws IOException {
        Path file = dir.resolve("mixed.safetensors");
        Map<String, TensorData> floats = new LinkedHashMap<>();
        floats.put("w", new TensorData(Shape.of(2), new float[] {1.5f, -2f}));
        Map<String, Int64Data> ints = new LinkedHashMap<>();
        ints.put("count", Int64Data.scalar(Long.MAX_VALUE - 3));
        ints.put("steps", new Int64Data(Shape.of(2), new long[] {-1, 1L << 40}));
        Safetensors.write(file, floats, ints, Map.of("k", "v"));
        SafetensorsFile both = Safetensors.read(file, true);
        assertArrayEquals(new float[] {1.5f, -2f}, both.tensors().get("w").values());
        assertEquals(List.of("count", "steps"), List.copyOf(both.int64().keySet()));
        assertEquals(Shape.of(), both.int64().get("count").shape());
        assertArrayEquals(new long[] {Long.MAX_VALUE - 3}, both.int64().get("count").values());
        assertArrayEquals(new long[] {-1, 1L << 40}, both.int64().get("steps").values());
        assertEquals("v", both.meta("k"));
        // bytes: 8 for w, then 8 + 16 for the two int64 tensors
        long header = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8)
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(8 + header + 8 + 24, Files.size(file));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains("has dtype I64, which vae4j does not read"),
                e.getMessage());
    }

    @Test
    void headerIsSpacePaddedToMultipleOfEightAndDataFollowsContiguously() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("a", new TensorData(Shape.of(2), new float[] {1f, 2f}));
        t.put("b", new TensorData(Shape.of(1), new float[] {3f}));
        Safetensors.write(file, t, Map.of("format", "vae4j"));
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"vae4j\"}"), header);
        assertTrue(header.contains("\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"),
                header);
        assertTrue(header.contains("\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}"),
                header);
        assertTrue(header.stripTrailing().endsWith("}"));
        assertTrue(header.substring(header.stripTrailing().length()).chars()
                .allMatch(c -> c == ' '), "padding must be spaces");
        assertEquals(8 + n + 12, bytes.length);
        assertEquals(1f, buf.getFloat((int) (8 + n)));
        assertEquals(3f, buf.getFloat((int) (8 + n + 8)));
    }

    @Test
    void writeToStreamGivesTheSameBytesAsWriteToFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Safetensors.write(file, sample(), Map.of("k", "v"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, sample(), Map.of("k", "v"));
        assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
    }

    // ---------------------------------------------------------------- corrupt files

    /** A file of an 8-byte length, the header text as given, and {@code dataBytes} zero bytes. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, buf.array());
        return f;
    }

    private String readError(Path f) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void fileShorterThanTheLengthFieldIsRejected() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertContains(readError(f), "3 bytes, too short");
    }

    @Test
    void headerLengthLargerThanTheFileIsRejected() throws IOException {
        Path f = dir.resolve("big.safetensors");
        ByteBuffer buf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(1000).put("{}      ".getBytes(StandardCharsets.US_ASCII));
        Files.write(f, buf.array());
        assertContains(readError(f), "header length 1000 is larger than the file (16 bytes");
    }

    @Test
    void negativeHeaderLengthIsReportedUnsignedAndRejected() throws IOException {
        Path f = dir.resolve("neg.safetensors");
        ByteBuffer buf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(-1L).putLong(0);
        Files.write(f, buf.array());
        assertContains(readError(f), "header length 18446744073709551615 is larger than the file");
    }

    @Test
    void invalidJsonIsRejected() throws IOException {
        assertContains(readError(file("{\"a\": {\"dtype\": \"F32\",", 0)),
                "the header is not valid JSON");
    }

    @Test
    void headerThatIsNotAnObjectIsRejected() throws IOException {
        assertContains(readError(file("[1, 2]  ", 0)), "not valid JSON: it must start with '{'");
    }

    @Test
    void trailingGarbageAfterTheJsonIsRejected() throws IOException {
        assertContains(readError(file("{} xx   ", 0)), "not valid JSON");
    }

    @Test
    void duplicateTensorNamesAreRejected() throws IOException {
        String entry = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        assertContains(readError(file("{\"a\":" + entry + ",\"a\":" + entry + "}", 4)),
                "not valid JSON", "Duplicate field 'a'");
    }

    @Test
    void unknownDtypeIsRejected() throws IOException {
        assertContains(readError(file(
                "{\"w\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)),
                "tensor 'w' has unknown dtype 'F33'; only F32 is supported");
    }

    @Test
    void otherKnownDtypeIsRejectedAsUnsupported() throws IOException {
        assertContains(readError(file(
                "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)),
                "tensor 'w' has dtype F16, which vae4j does not read");
    }

    @Test
    void offsetsOutsideTheDataAreRejected() throws IOException {
        assertContains(readError(file(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4)),
                "tensor 'w' has data_offsets [0, 8] outside the data section of 4 bytes");
    }

    @Test
    void offsetsThatDoNotMatchTheShapeAreRejected() throws IOException {
        assertContains(readError(file(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12)),
                "tensor 'w' has data_offsets [0, 12] holding 12 bytes, but shape (2x2) of F32"
                        + " needs 16");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        assertContains(readError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[4,12]}}", 12)),
                "tensors 'a' [0, 8] and 'b' [4, 12] overlap");
    }

    @Test
    void gapBetweenTensorsIsRejected() throws IOException {
        assertContains(readError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[8,12]}}", 12)),
                "bytes 4 to 8 of the data section belong to no tensor");
    }

    @Test
    void dataSectionLongerThanTheHeaderSaysIsRejected() throws IOException {
        assertContains(readError(file(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 10)),
                "the data section is 10 bytes but the tensors in the header fill 4");
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertContains(readError(f), "outside the data section");
    }

    @Test
    void invalidShapeIsRejected() throws IOException {
        assertContains(readError(file(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)),
                "tensor 'w' has an invalid shape [-1]");
        assertContains(readError(file(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1],\"data_offsets\":[0,4]}}", 4)),
                "tensor 'w' has rank 5; at most 4");
    }

    @Test
    void missingOrMalformedOffsetsAreRejected() throws IOException {
        assertContains(readError(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)),
                "tensor 'w' has invalid data_offsets null");
        assertContains(readError(file(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4)),
                "end before they begin");
    }

    @Test
    void metadataThatIsNotStringsIsRejected() throws IOException {
        assertContains(readError(file("{\"__metadata__\":{\"step\":3}}", 0)),
                "__metadata__ value of 'step' must be a string");
    }

    @Test
    void invalidUtf8HeaderIsRejected() throws IOException {
        Path f = dir.resolve("utf.safetensors");
        ByteBuffer buf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(8).put(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', ' ', ' ', ' ', ' '});
        Files.write(f, buf.array());
        assertContains(readError(f), "not valid UTF-8");
    }

    @Test
    void writerRejectsReservedOrEmptyNames() {
        Map<String, TensorData> t = Map.of("__metadata__",
                new TensorData(Shape.of(1), new float[] {1f}));
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(dir.resolve("x"), t, Map.of()));
    }
}
