package org.vae4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.BinaryOp;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * A long training loop of a small MLP written with primitives only, one scope per step, as the
 * trainer runs it: the live tensor count must stay flat and the process must not grow. This is
 * what catches native memory that a backend frees only at garbage collection.
 */
public abstract class MemorySoakChecks extends BackendChecks {

    /**
     * How far resident memory outside the Java heap, and the live Java heap, may each grow after the
     * warm-up; generous, since a leak grows by gigabytes. The committed heap itself is left out:
     * the collector may grow it toward {@code -Xmx} without any leak.
     */
    public static final long RSS_GROWTH_BOUND_BYTES = 300L << 20;

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    /** Training steps of the soak; backends override only to make it longer. */
    protected int soakSteps() {
        return 20_000;
    }

    /** Steps before the resident set is first measured: pools, caches and the JIT settle. */
    protected int warmUpSteps() {
        return Math.min(500, soakSteps() / 2);
    }

    @Test
    void trainingLoopKeepsLiveTensorsAndResidentMemoryFlat() throws IOException {
        Backend be = backend();
        int batch = 32;
        int in = 64;
        int hidden = 64;
        int out = 16;
        float lr = 0.05f;
        Tensor x = TensorScope.untrack(be.fromArray(normal(Shape.of(batch, in), 1), batch, in));
        Tensor y = TensorScope.untrack(be.fromArray(normal(Shape.of(batch, out), 0.5), batch, out));
        Tensor w1 = TensorScope.untrack(be.fromArray(normal(Shape.of(in, hidden), 0.1), in, hidden));
        Tensor b1 = TensorScope.untrack(be.zeros(Shape.of(hidden)));
        Tensor w2 = TensorScope.untrack(be.fromArray(normal(Shape.of(hidden, out), 0.1), hidden, out));
        long liveBetweenSteps = be.liveTensors();
        boolean canMeasure = Files.isReadable(PROC_STATUS);
        Memory afterWarmUp = null;
        float firstLoss = Float.NaN;
        float lastLoss = Float.NaN;
        try {
            for (int step = 0; step < soakSteps(); step++) {
                try (TensorScope scope = be.newScope()) {
                    // forward: out = relu(x·W1 + b1)·W2, loss = mean((out - y)²)
                    Tensor pre = be.add(be.matmul(x, w1), b1);
                    Tensor h = be.unary(UnaryOp.RELU, pre);
                    Tensor diff = be.sub(be.matmul(h, w2), y);
                    Tensor loss = be.mean(be.unary(UnaryOp.SQUARE, diff), false);
                    // backward, by hand
                    Tensor gOut = be.mul(diff, be.scalar(2f / (batch * out)));
                    Tensor gW2 = be.matmul(h, true, gOut, false);
                    Tensor gH = be.matmul(gOut, false, w2, true);
                    Tensor gPre = be.mul(gH, be.unary(UnaryOp.STEP, pre));
                    Tensor gW1 = be.matmul(x, true, gPre, false);
                    Tensor gB1 = be.sum(gPre, false, 0);
                    // SGD: the new weights outlive the step, the old ones are closed
                    Tensor rate = be.scalar(lr);
                    Tensor newW1 = TensorScope.untrack(be.sub(w1, be.mul(gW1, rate)));
                    Tensor newB1 = TensorScope.untrack(be.sub(b1, be.mul(gB1, rate)));
                    Tensor newW2 = TensorScope.untrack(be.binary(BinaryOp.SUB, w2,
                            be.mul(gW2, rate)));
                    w1.close();
                    b1.close();
                    w2.close();
                    w1 = newW1;
                    b1 = newB1;
                    w2 = newW2;
                    if (step == 0) {
                        firstLoss = loss.item();
                    }
                    if (step == soakSteps() - 1) {
                        lastLoss = loss.item();
                    }
                }
                if (be.liveTensors() != liveBetweenSteps) {
                    assertEquals(liveBetweenSteps, be.liveTensors(),
                            "live tensors changed across training step " + step);
                }
                if (step == warmUpSteps() - 1 && canMeasure) {
                    afterWarmUp = Memory.measure();
                }
            }
        } finally {
            for (Tensor t : new Tensor[] {x, y, w1, b1, w2}) {
                t.close();
            }
        }
        assertTrue(lastLoss < firstLoss, "the loop should learn: loss went from " + firstLoss
                + " to " + lastLoss);
        Assumptions.assumeTrue(canMeasure,
                "no /proc/self/status here: resident memory was not measured");
        Memory end = Memory.measure();
        long outsideHeap = (end.resident - end.heapCommitted)
                - (afterWarmUp.resident - afterWarmUp.heapCommitted);
        long liveHeap = end.heapUsed - afterWarmUp.heapUsed;
        String what = " over " + (soakSteps() - warmUpSteps()) + " steps after warm-up (resident "
                + (afterWarmUp.resident >> 20) + " -> " + (end.resident >> 20) + " MB, heap committed "
                + (afterWarmUp.heapCommitted >> 20) + " -> " + (end.heapCommitted >> 20)
                + " MB, heap used " + (afterWarmUp.heapUsed >> 20) + " -> " + (end.heapUsed >> 20)
                + " MB); bound " + (RSS_GROWTH_BOUND_BYTES >> 20) + " MB";
        assertTrue(outsideHeap < RSS_GROWTH_BOUND_BYTES, be.name()
                + " backend: resident memory outside the Java heap grew by " + (outsideHeap >> 20)
                + " MB" + what);
        assertTrue(liveHeap < RSS_GROWTH_BOUND_BYTES, be.name()
                + " backend: the live Java heap grew by " + (liveHeap >> 20) + " MB" + what);
    }

    /** Resident set and Java heap, measured after a collection so heap garbage does not count. */
    private record Memory(long resident, long heapCommitted, long heapUsed) {
        static Memory measure() throws IOException {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            return new Memory(settledResidentBytes(), rt.totalMemory(),
                    rt.totalMemory() - rt.freeMemory());
        }
    }

    /**
     * The resident set once it stops falling: G1 returns the heap it shrank after a collection
     * concurrently, so right after {@code System.gc()} the young generation's pages (over 100 MB
     * here) still count.
     */
    private static long settledResidentBytes() throws IOException {
        long previous = residentBytes();
        for (int i = 0; i < 20; i++) {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = residentBytes();
            if (now > previous - (1L << 20)) {
                return Math.min(now, previous);
            }
            previous = now;
        }
        return previous;
    }

    /** The process's resident set ({@code VmRSS}). */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(PROC_STATUS)) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[1]) * 1024;
            }
        }
        throw new IOException("no VmRSS line in " + PROC_STATUS);
    }
}
