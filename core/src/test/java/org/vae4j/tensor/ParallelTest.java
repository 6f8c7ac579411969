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

    private static final Parallel POOL = Parallel.forThreads(2);

    @Test
    void aPoolOfOneThreadRunsEveryTaskOnTheCaller() {
        Parallel one = Parallel.forThreads(1);
        assertEquals(1, one.threads());
        assertSame(Thread.currentThread(), one.fork(Thread::currentThread).join());
    }

    @Test
    void aPoolHasTheThreadsAskedForAndPoolsOfOneSizeAreShared() {
        assertSame(Parallel.forThreads(3), Parallel.forThreads(3));
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Parallel three = Parallel.forThreads(3);
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        java.util.List<Parallel.Forked<Object>> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            tasks.add(three.fork(() -> {
                names.add(Thread.currentThread().getName());
                both.countDown();
                try {
                    // Both tasks wait for each other, so they must run on two workers at once.
                    both.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
        }
        try {
            assertTrue(both.await(10, java.util.concurrent.TimeUnit.SECONDS),
                    "two workers ran side by side");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        tasks.forEach(Parallel.Forked::join);
        assertEquals(2, names.size(), names.toString());
        assertThrows(IllegalArgumentException.class, () -> Parallel.forThreads(0));
    }

    @Test
    void forkedTaskRunsOnAWorkerAndJoinReturnsItsResult() throws InterruptedException {
        Thread caller = Thread.currentThread();
        CountDownLatch started = new CountDownLatch(1);
        Parallel.Forked<Thread> ran = POOL.fork(() -> {
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
        Parallel.Forked<Object> failing = POOL.fork(() -> {
            throw thrown;
        });
        assertSame(thrown, assertThrows(IllegalStateException.class, failing::join));
    }

    @Test
    void bothRunsBothAndReportsAFailureAfterBothFinished() {
        AtomicReference<String> there = new AtomicReference<>();
        POOL.both(() -> { }, () -> there.set("done"));
        assertEquals("done", there.get());

        AtomicReference<String> otherFinished = new AtomicReference<>();
        RuntimeException e = assertThrows(RuntimeException.class, () -> POOL.both(
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
        Parallel.Forked<Thread[]> outer = POOL.fork(() -> {
            started.countDown();
            return new Thread[] {Thread.currentThread(),
                POOL.fork(Thread::currentThread).join()};
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
        int workers = POOL.threads() - 1;
        java.util.List<Parallel.Forked<Object>> blockers = new java.util.ArrayList<>();
        for (int i = 0; i < workers; i++) {
            blockers.add(POOL.fork(() -> {
                started.countDown();
                await(release);
                return null;
            }));
        }
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Parallel.Forked<Thread> queued = POOL.fork(Thread::currentThread);
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
