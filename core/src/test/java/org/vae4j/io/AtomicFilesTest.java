package org.vae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.tensor.Shape;

class AtomicFilesTest {

    @TempDir
    Path dir;

    /** Passes {@code limit} bytes through, then fails as a full disk would. */
    private static final class FailingAfter extends FilterOutputStream {
        private long left;

        FailingAfter(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (left-- <= 0) {
                throw new IOException("No space left on device");
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void failedWriteLeavesThePreviousFileIntactAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("trainer.json");
        AtomicFiles.writeString(target, "old content");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("new con".getBytes());
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void safetensorsWriteFailingMidwayKeepsThePreviousWeights() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Map<String, TensorData> v1 = Map.of("w", new TensorData(Shape.of(1000),
                new float[1000]));
        Safetensors.write(target, v1, Map.of("step", "1"));
        byte[] before = Files.readAllBytes(target);

        float[] ones = new float[1000];
        java.util.Arrays.fill(ones, 1f);
        Map<String, TensorData> v2 = Map.of("w", new TensorData(Shape.of(1000), ones));
        assertThrows(IOException.class, () -> AtomicFiles.write(target,
                out -> Safetensors.write(new FailingAfter(out, 500), v2, Map.of("step", "2"))));

        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals("1", Safetensors.read(target).meta("step"));
        assertEquals(List.of(target), files());
    }

    @Test
    void successfulWriteReplacesTheFile() throws IOException {
        Path target = dir.resolve("sub").resolve("a.txt");
        AtomicFiles.writeString(target, "one");
        AtomicFiles.writeString(target, "two");
        assertEquals("two", Files.readString(target));
    }
}
