package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV table several times larger than the heap trains: the program in a child JVM with a
 * small {@code -Xmx} streams the file in passes (check and count, fit on the training rows,
 * encode), keeps only the encoded rows, in a float32 file in the child's {@code java.io.tmpdir}
 * that it reads memory-mapped, and the run ends with its model, metrics and preprocessing. The
 * encoded file is gone once the child has ended.
 */
class CsvLargerThanHeapTest {

    private static final int NUMERIC = 40;
    private static final int ROWS = 320_000;
    private static final String[] COLOURS = {"amber", "blue", "green", "red", "violet"};

    @TempDir
    Path tmp;

    @Test
    void aCsvTwiceTheHeapIsStreamedAndTrains() throws Exception {
        // rows of about 330 bytes: 320,000 of them are 105 MB, over twice a 48 MB heap
        Path csv = writeCsv(tmp.resolve("wide.csv"), ROWS);
        assertTrue(Files.size(csv) > 3 * 32L * 1024 * 1024, "the file is over three times the"
                + " heap: " + Files.size(csv));
        // a short epoch and a small test side: the point is the pass over the whole file
        trainAndCheck(csv, "48m", ROWS, 0.02, "--limit", "4096");
    }

    @Test
    @Tag("long")
    void aCsvTenTimesTheHeapTrainsAWholeEpoch() throws Exception {
        Path csv = writeCsv(tmp.resolve("wider.csv"), 2_200_000);
        assertTrue(Files.size(csv) > 10 * 64L * 1024 * 1024, "the file is over ten times the"
                + " heap: " + Files.size(csv));
        trainAndCheck(csv, "64m", 2_200_000, 0.1);
    }

    private void trainAndCheck(Path csv, String heap, int rows, double testFraction,
            String... more)
            throws Exception {
        Path run = tmp.resolve("run-" + heap);
        Path log = tmp.resolve("log-" + heap + ".txt");
        Path childTmp = Files.createDirectories(tmp.resolve("child-tmp-" + heap));
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", csv.toString(),
                "--label-column", "label", "--epochs", "1",
                "--test-fraction", Double.toString(testFraction), "--batch-size", "256",
                "--backend", "ejml", "--out", run.toString()));
        args.addAll(List.of(more));
        try (Child child = Child.startWithJvmOptions(log, List.of("-Xmx" + heap,
                "-Djava.io.tmpdir=" + childTmp), args.toArray(String[]::new))) {
            assertEquals(0, child.waitFor(), child.output());
            String out = child.output();
            int test = (int) Math.round(rows * testFraction);
            assertTrue(out.contains("split: " + (rows - test) + " training and " + test
                    + " test examples"), out);
            assertTrue(out.contains("colour  categorical [amber, blue, green, red, violet]"),
                    out);
            assertTrue(out.contains("46 features per row"), out);
            assertTrue(out.contains("streamed into a float32 file in " + childTmp), out);
            assertTrue(out.contains("memory-mapped, a batch at a time"), out);
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(2, metrics.size(), "a header and one epoch: " + metrics);
        assertTrue(Files.isRegularFile(run.resolve("model.safetensors")));
        assertTrue(Files.readString(run.resolve("preprocessing.json")).contains("\"x39\""));
        try (Stream<Path> left = Files.list(childTmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString()
                    .startsWith("vae4j-table-")).toList(), "the encoded file is deleted");
        }
    }

    /**
     * Forty numbers of four decimals, a 0/1 flag, a colour of five and a yes/no label per row,
     * written a row at a time.
     */
    private static Path writeCsv(Path file, int rows) throws IOException {
        Random random = new Random(3);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder();
            for (int j = 0; j < NUMERIC; j++) {
                header.append('x').append(j).append(',');
            }
            w.write(header + "flag,colour,label\n");
            StringBuilder row = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                row.setLength(0);
                for (int j = 0; j < NUMERIC; j++) {
                    appendFixed(row, Math.round((random.nextGaussian() + j) * 1e4));
                    row.append(',');
                }
                row.append(random.nextBoolean() ? '1' : '0').append(',')
                        .append(COLOURS[random.nextInt(COLOURS.length)]).append(',')
                        .append(random.nextInt(3) == 0 ? "yes" : "no").append('\n');
                w.write(row.toString());
            }
        }
        return file;
    }

    /** {@code tenThousandths / 10^4} with four decimals, as {@code %.4f} writes it. */
    private static void appendFixed(StringBuilder sb, long tenThousandths) {
        if (tenThousandths < 0) {
            sb.append('-');
            tenThousandths = -tenThousandths;
        }
        long fraction = tenThousandths % 10_000;
        sb.append(tenThousandths / 10_000).append('.');
        for (long d = 1000; d > fraction && d > 1; d /= 10) {
            sb.append('0');
        }
        sb.append(fraction);
    }
}
