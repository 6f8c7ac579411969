package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training set larger than the heap trains: a 150 MB float32 {@code .npy} file (48,000 rows of
 * 784 values) through the program in a child JVM whose heap is 64 MB. The file is
 * memory-mapped, every batch is read from it, and the run ends with its model and metrics.
 */
class LargerThanHeapTest {

    private static final int ROWS = 48_000;
    private static final int WIDTH = 784;

    @TempDir
    Path tmp;

    @Test
    void aNpyFileTwiceTheHeapTrainsAnEpochAndEvaluates() throws Exception {
        Path file = writeNpy(tmp.resolve("big.npy"));
        assertTrue(Files.size(file) > 2 * 64L * 1024 * 1024, "the file is over twice the heap");
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("log.txt");
        try (Child child = Child.startWithHeap(log, "64m", "train", "--data", file.toString(),
                "--set", "input=" + WIDTH, "--epochs", "1", "--backend", "tensorflow", "--out",
                run.toString())) {
            assertEquals(0, child.waitFor(), child.output());
            String out = child.output();
            assertTrue(out.contains("43200 training examples, 4800 test examples"), out);
            assertTrue(out.contains("memory-mapped"), out);
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(2, metrics.size(), "a header and one epoch: " + metrics);
        assertTrue(Files.isRegularFile(run.resolve("model.safetensors")));
    }

    /** Rows as MNIST's: 0 with probability 0.8, else uniform; written a row at a time. */
    private static Path writeNpy(Path file) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + ROWS + ", "
                + WIDTH + "), }";
        header += " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        Random random = new Random(5);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(10 + header.length())
                    .order(ByteOrder.LITTLE_ENDIAN);
            head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})
                    .putShort((short) header.length())
                    .put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
            ch.write(head);
            ByteBuffer row = ByteBuffer.allocate(4 * WIDTH).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < ROWS; r++) {
                row.clear();
                for (int j = 0; j < WIDTH; j++) {
                    row.putFloat(random.nextFloat() < 0.8f ? 0f : random.nextFloat());
                }
                row.flip();
                ch.write(row);
            }
        }
        return file;
    }
}
