package org.vae4j.tensor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Work that runs beside the caller's on the process's worker threads (one fewer than the cores):
 * the half of a large in-place kernel, or one of two independent gradients of the backward pass.
 *
 * <p>This is how vae4j uses a second core where the libraries' own pools do not help: on a
 * two-core machine TensorFlow's matrix products stay on one thread whatever the intra-op
 * setting, and the pools of ND4J's OpenMP and OpenBLAS spin against each other. Two plain
 * threads, each running single-threaded kernels, keep both cores busy without either.
 *
 * <p>A task forked from a worker runs at once on that worker, so work never waits for itself.
 * Forked work must touch only tensors no other code writes meanwhile; the caller always
 * {@linkplain Forked#join joins} before it frees anything the task reads.
 */
public final class Parallel {

    /**
     * How long an idle worker keeps looking for work before it sleeps, and how long a join
     * spins before it blocks. Waking a sleeping thread costs 35-40 µs on small virtual
     * machines, as much as a quarter of the work being split; spinning costs nothing the
     * step needs, since the cores would be idle in that time.
     */
    private static final long SPIN_NANOS = 300_000;
    private static final long JOIN_SPIN_NANOS = 20_000_000;

    private static final ThreadLocal<Boolean> ON_WORKER = ThreadLocal.withInitial(() -> false);
    private static final Worker[] WORKERS = startWorkers(
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Parallel() {
    }

    /** A thread that runs queued tasks, spinning briefly before it sleeps. */
    private static final class Worker extends Thread {
        private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        private volatile boolean sleeping;

        Worker(int index) {
            super("vae4j-worker-" + index);
            setDaemon(true);
        }

        void submit(Runnable task) {
            queue.add(task);
            if (sleeping) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            ON_WORKER.set(true);
            while (true) {
                Runnable task = queue.poll();
                if (task == null) {
                    task = awaitTask();
                }
                task.run();
            }
        }

        private Runnable awaitTask() {
            long start = System.nanoTime();
            while (System.nanoTime() - start < SPIN_NANOS) {
                Runnable task = queue.poll();
                if (task != null) {
                    return task;
                }
                Thread.onSpinWait();
            }
            while (true) {
                sleeping = true;
                Runnable task = queue.poll();
                if (task != null) {
                    sleeping = false;
                    return task;
                }
                LockSupport.park(this);
                sleeping = false;
                task = queue.poll();
                if (task != null) {
                    return task;
                }
            }
        }
    }

    private static Worker[] startWorkers(int n) {
        Worker[] workers = new Worker[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
        return workers;
    }

    /**
     * A task started by {@link #fork}. {@link #join} runs it on the joining thread if no worker
     * has begun it yet (the worker was busy with earlier tasks, or not scheduled), and otherwise
     * waits for it.
     */
    public static final class Forked<T> implements Runnable {
        private final Supplier<T> task;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<T> future = new CompletableFuture<>();

        private Forked(Supplier<T> task) {
            this.task = task;
        }

        /** Runs the task unless another thread has claimed it. */
        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                future.complete(task.get());
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        }

        /** The task's result, once it is done; its exception, unwrapped, if it failed. */
        public T join() {
            run();
            if (!future.isDone()) {
                long start = System.nanoTime();
                while (!future.isDone() && System.nanoTime() - start < JOIN_SPIN_NANOS) {
                    Thread.onSpinWait();
                }
            }
            try {
                return future.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }

    /**
     * Starts {@code task} on a worker, or runs it now when called on a worker (or when the
     * process has a single core); {@link Forked#join} returns its result either way.
     */
    public static <T> Forked<T> fork(Supplier<T> task) {
        Forked<T> forked = new Forked<>(task);
        if (ON_WORKER.get() || Runtime.getRuntime().availableProcessors() < 2) {
            forked.run();
        } else {
            WORKERS[Math.floorMod(NEXT.getAndIncrement(), WORKERS.length)].submit(forked);
        }
        return forked;
    }

    /**
     * Runs {@code here} on the calling thread and {@code there} on a worker, and returns when
     * both are done; if either fails, its exception is thrown after both have finished.
     */
    public static void both(Runnable here, Runnable there) {
        Forked<Void> other = fork(() -> {
            there.run();
            return null;
        });
        try {
            here.run();
        } catch (RuntimeException | Error e) {
            try {
                other.join();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        other.join();
    }
}
