package org.vae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpProfilerThreadsTest {

    private static final Parallel POOL = Parallel.forThreads(2);

    private static Map<String, OpProfiler.OpTime> byOp(OpProfiler profiler) {
        return profiler.times().stream()
                .collect(Collectors.toMap(OpProfiler.OpTime::op, Function.identity()));
    }

    @Test
    void opsOfATaskForkedFromTheOwnerAreTimedAsTheWorkersPart() throws InterruptedException {
        Backend be = new ReferenceBackend();
        Tensor a = be.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = be.fromArray(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        OpProfiler profiler = new OpProfiler();
        be.setProfiler(profiler);
        Thread ranOn;
        try {
            CountDownLatch started = new CountDownLatch(1);
            Parallel.Forked<Thread> aside = POOL.fork(() -> {
                started.countDown();
                be.matmul(a, b).toArray();
                // a task forked from a task runs for the same owner
                POOL.fork(() -> be.unary(UnaryOp.EXP, a)).join().toArray();
                return Thread.currentThread();
            });
            // once the worker has begun it, join waits for it instead of running it here
            assertTrue(started.await(10, TimeUnit.SECONDS));
            be.add(a, a).toArray();
            ranOn = aside.join();
        } finally {
            be.setProfiler(null);
        }
        Map<String, OpProfiler.OpTime> ops = byOp(profiler);
        OpProfiler.OpTime matmul = ops.get("matmul");
        OpProfiler.OpTime exp = ops.get("exp");
        OpProfiler.OpTime add = ops.get("add");
        assertNotNull(matmul, ops.toString());
        assertNotNull(exp, ops.toString());
        assertNotNull(add, ops.toString());
        assertEquals(1, matmul.calls());
        assertEquals(0, add.workerNanos(), "the owner's own op is not the worker's");
        if (ranOn != Thread.currentThread()) {
            assertEquals(matmul.nanos(), matmul.workerNanos());
            assertEquals(exp.nanos(), exp.workerNanos());
            assertTrue(matmul.nanos() > 0);
            assertTrue(profiler.workerNanos() >= matmul.workerNanos() + exp.workerNanos(),
                    "the worker's busy time holds its ops: " + profiler.workerNanos());
            long onWorkers = profiler.times().stream()
                    .mapToLong(OpProfiler.OpTime::workerNanos).sum();
            assertTrue(onWorkers <= profiler.workerNanos());
        }
        assertEquals(ops.values().stream().mapToLong(OpProfiler.OpTime::nanos).sum(),
                profiler.totalNanos());
    }

    @Test
    void opsOfAnUnrelatedThreadAreNotTimedAndReportsStopWithTheProfiler() throws Exception {
        Backend be = new ReferenceBackend();
        Tensor a = be.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        OpProfiler profiler = new OpProfiler();
        be.setProfiler(profiler);
        try {
            Thread other = new Thread(() -> be.matmul(a, a).toArray());
            other.start();
            other.join(10_000);
            // a task another thread forks is that thread's, not the profiler owner's
            Thread forker = new Thread(() -> POOL.fork(() -> be.unary(UnaryOp.EXP, a)).join().toArray());
            forker.start();
            forker.join(10_000);
        } finally {
            be.setProfiler(null);
        }
        assertNull(byOp(profiler).get("matmul"), profiler.times().toString());
        assertNull(byOp(profiler).get("exp"), profiler.times().toString());
        assertEquals(0, profiler.workerNanos());

        long before = profiler.workerNanos();
        POOL.fork(() -> be.unary(UnaryOp.EXP, a)).join();
        assertEquals(before, profiler.workerNanos(), "nothing reported after setProfiler(null)");
        assertNotEquals(null, profiler.times());
    }

    @Test
    void resetForgetsTheWorkersTimesToo() throws InterruptedException {
        Backend be = new ReferenceBackend();
        Tensor a = be.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        OpProfiler profiler = new OpProfiler();
        be.setProfiler(profiler);
        try {
            CountDownLatch started = new CountDownLatch(1);
            Parallel.Forked<Tensor> aside = POOL.fork(() -> {
                started.countDown();
                return be.matmul(a, a);
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            aside.join();
            profiler.reset();
        } finally {
            be.setProfiler(null);
        }
        assertTrue(profiler.times().isEmpty(), profiler.times().toString());
        assertEquals(0, profiler.workerNanos());
        assertEquals(0, profiler.totalNanos());
    }
}
