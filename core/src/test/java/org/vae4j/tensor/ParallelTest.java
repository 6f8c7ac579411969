package org.vae4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void forkedTaskRunsOnAWorkerAndJoinReturnsItsResult() throws InterruptedException {
        Thread caller = Thread.currentThread();
        CountDownLatch started = new CountDownLatch(1);
        Parallel.Forked<Thread> ran = Parallel.fork(() -> {
            started.countDown();
            return Thread.currentThread();
        });
        // Once it has started, the join waits for it rather than running it here.
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Thread runner = ran.join();
        if (Runtime.getRuntime().availableProcessors() > 1) {
            assertNotEquals(caller, runner);
            assertTrue(runner.getName().startsWith("vae4j-worker-"), runner.getName());
        }
    }

    @Test
    void joinThrowsTheTasksOwnException() {
        IllegalStateException thrown = new IllegalStateException("boom");
        Parallel.Forked<Object> failing = Parallel.fork(() -> {
            throw thrown;
        });
        assertSame(thrown, assertThrows(IllegalStateException.class, failing::join));
    }

    @Test
    void bothRunsBothAndReportsAFailureAfterBothFinished() {
        AtomicReference<String> there = new AtomicReference<>();
        Parallel.both(() -> { }, () -> there.set("done"));
        assertEquals("done", there.get());

        AtomicReference<String> otherFinished = new AtomicReference<>();
        RuntimeException e = assertThrows(RuntimeException.class, () -> Parallel.both(
                () -> {
                    throw new RuntimeException("here failed");
                },
                () -> {
                    sleep(30);
                    otherFinished.set("yes");
                }));
        assertEquals("here failed", e.getMessage());
        assertEquals("yes", otherFinished.get());
    }

    @Test
    void forkFromAWorkerRunsInlineInsteadOfWaitingForItself() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Parallel.Forked<Thread[]> outer = Parallel.fork(() -> {
            started.countDown();
            return new Thread[] {Thread.currentThread(),
                Parallel.fork(Thread::currentThread).join()};
        });
        // Once a worker runs the outer task, the inner fork must run on that same worker.
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Thread[] threads = outer.join();
        if (Runtime.getRuntime().availableProcessors() > 1) {
            assertTrue(threads[0].getName().startsWith("vae4j-worker-"), threads[0].getName());
        }
        assertSame(threads[0], threads[1]);
    }

    @Test
    void joinRunsATaskNoWorkerHasStartedOnTheCaller() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        // Occupy every worker, so the next task waits in a queue.
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        java.util.List<Parallel.Forked<Object>> blockers = new java.util.ArrayList<>();
        for (int i = 0; i < workers; i++) {
            blockers.add(Parallel.fork(() -> {
                started.countDown();
                await(release);
                return null;
            }));
        }
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Parallel.Forked<Thread> queued = Parallel.fork(Thread::currentThread);
        assertSame(Thread.currentThread(), queued.join());
        release.countDown();
        blockers.forEach(Parallel.Forked::join);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
