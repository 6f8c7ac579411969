package org.vae4j.tensor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The one place vae4j runs work beside the caller: the half of a large in-place kernel (Adam's
 * split), one of two independent gradients of the backward pass, a parameter's optimizer update
 * beside the rest of the pass. Every caller takes its pool from {@link #forThreads} with its
 * backend's {@link BackendConfig#threads()}: a pool of {@code n} threads is the caller plus
 * {@code n - 1} shared workers, and with {@code n < 2} every task runs on the caller.
 *
 * <p>This is how vae4j uses a second core where the libraries' own pools do not help: on a
 * two-core machine TensorFlow's matrix products stay on one thread whatever the intra-op
 * setting, and the pools of ND4J's OpenMP and OpenBLAS spin against each other. Two plain
 * threads, each running single-threaded kernels, keep both cores busy without either.
 *
 * <p>A task forked from a worker runs at once on that worker, so work never waits for itself.
 *
 * <h2>Ordering rules</h2>
 *
 * What runs here never changes a number: each task computes exactly what the caller would, in
 * the same order of floating-point operations, so results are the same for every thread count.
 * That holds because of these rules, which every caller keeps:
 * <ol>
 *   <li>A task touches only tensors no other code writes while it runs, and the caller
 *       {@linkplain Forked#join joins} before it frees or writes anything the task reads.
 *   <li>The backward pass reports a leaf (a parameter) only after the last rule that reads the
 *       leaf's value has finished, side-by-side halves included (a rule's forked half is joined
 *       before the node's gradients are passed on). So an optimizer may start that parameter's
 *       update, which writes the parameter in place (Adam's fused kernel), from the report.
 *   <li>An update touches only its own parameter, gradient and state buffers; updates of
 *       different parameters therefore commute, and their state is recorded on the
 *       optimizer's thread after the join.
 *   <li>A split kernel (Adam in place) splits at block boundaries, so each element sees the
 *       operations of a single-threaded pass.
 * </ol>
 * {@code BackwardAndStepTest} checks rule 2 with a parameter read by the last rule of the pass.
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
    /** The thread whose task this thread is running, if any (see {@link #onBehalfOf}). */
    private static final ThreadLocal<Thread> RUNNING_FOR = new ThreadLocal<>();
    /** The workers started so far, shared by every pool; pools of more threads add to them. */
    private static final List<Worker> WORKERS = new CopyOnWriteArrayList<>();
    /** The most threads a pool may have, to bound a mistaken setting. */
    public static final int MAX_THREADS = 256;

    private static final AtomicReferenceArray<Parallel> POOLS =
            new AtomicReferenceArray<>(MAX_THREADS + 1);

    private final int threads;
    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();

    private Parallel(int threads, Worker[] workers) {
        this.threads = threads;
        this.workers = workers;
    }

    /**
     * The pool of {@code threads} threads (the caller and {@code threads - 1} workers), e.g.
     * {@code Parallel.forThreads(backend.threads())}; pools of the same size are one object.
     */
    public static Parallel forThreads(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("a pool needs 1 to " + MAX_THREADS
                    + " threads, got " + threads);
        }
        Parallel pool = POOLS.get(threads);
        if (pool != null) {
            return pool;
        }
        synchronized (POOLS) {
            if (POOLS.get(threads) == null) {
                while (WORKERS.size() < threads - 1) {
                    Worker w = new Worker(WORKERS.size() + 1);
                    w.start();
                    WORKERS.add(w);
                }
                POOLS.set(threads, new Parallel(threads,
                        WORKERS.subList(0, threads - 1).toArray(new Worker[0])));
            }
            return POOLS.get(threads);
        }
    }

    /**
     * The thread on whose behalf the calling thread works: while it runs a forked task, the
     * thread that forked it (or, for a task forked from a task, that task's origin); otherwise
     * the calling thread itself. {@link OpProfiler} counts a worker's ops for the thread they
     * were forked from by it.
     */
    static Thread onBehalfOf() {
        Thread origin = RUNNING_FOR.get();
        return origin != null ? origin : Thread.currentThread();
    }

    /** How many threads this pool runs work on, the caller's included. */
    public int threads() {
        return threads;
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

    /**
     * A task started by {@link #fork}. {@link #join} runs it on the joining thread if no worker
     * has begun it yet (the worker was busy with earlier tasks, or not scheduled), and otherwise
     * waits for it.
     */
    public static final class Forked<T> implements Runnable {
        private final Supplier<T> task;
        private final Thread origin = onBehalfOf();
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<T> future = new CompletableFuture<>();

        private Forked(Supplier<T> task) {
            this.task = task;
        }

        /**
         * Runs the task unless another thread has claimed it, on behalf of the thread that forked
         * it; on another thread, a profiler of that thread learns how long it took.
         */
        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            Thread previous = RUNNING_FOR.get();
            RUNNING_FOR.set(origin);
            boolean aside = Thread.currentThread() != origin && OpProfiler.anyActive();
            long start = aside ? System.nanoTime() : 0;
            T result = null;
            Throwable failure = null;
            try {
                result = task.get();
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                // before completing, so that a joiner reads the profiler with this task in it
                if (aside) {
                    OpProfiler.ranAside(origin, System.nanoTime() - start);
                }
                RUNNING_FOR.set(previous);
            }
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(result);
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
     * pool has a single thread); {@link Forked#join} returns its result either way.
     */
    public <T> Forked<T> fork(Supplier<T> task) {
        Forked<T> forked = new Forked<>(task);
        if (ON_WORKER.get() || workers.length == 0) {
            forked.run();
        } else {
            workers[Math.floorMod(next.getAndIncrement(), workers.length)].submit(forked);
        }
        return forked;
    }

    /**
     * Runs {@code here} on the calling thread and {@code there} on a worker, and returns when
     * both are done; if either fails, its exception is thrown after both have finished.
     */
    public void both(Runnable here, Runnable there) {
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
