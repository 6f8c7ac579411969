package org.vae4j.tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Times the ops of a {@link Backend}: set one with {@link Backend#setProfiler} and every op that
 * backend runs for the profiler's thread is counted and timed, until it is set back to null. It is
 * a decorator of the backend's kernels ({@link ProfiledKernels}) that {@code setProfiler} swaps
 * in and out, so without a profiler the ops run no profiling code at all.
 *
 * <p>Times are <em>self</em> times: a composite defined from primitives (e.g. {@code linear} as
 * {@code matmul} then {@code add}) is charged only for what its primitives do not account for,
 * so the times of all ops add up to the time spent in the backend. The kernels of ND4J,
 * TensorFlow (eager, synchronous) and EJML have finished when they return, so the wall time of a
 * call is the op's cost.
 *
 * <p>A profiler belongs to the thread that created it, and it also times the ops that
 * {@link Parallel}'s workers run on that thread's behalf (a task forked from it, or from such a
 * task): an op's {@linkplain OpTime#workerNanos worker part} is the share of its time spent on
 * workers, and {@link #workerNanos()} is how long the workers were busy with the owner's tasks,
 * so the time the step occupies is the owner's wall time plus that. Ops of other threads are not
 * timed.
 */
public final class OpProfiler {

    /** The profilers set on a backend now; {@link Parallel} reports its workers' tasks to them. */
    private static final List<OpProfiler> ACTIVE = new CopyOnWriteArrayList<>();

    /**
     * One op's totals: how often it ran and its self time, of which {@code workerNanos} on
     * {@link Parallel}'s workers.
     */
    public record OpTime(String op, long calls, long nanos, long workerNanos) {

        /** Mean self time per call in microseconds. */
        public double microsPerCall() {
            return calls == 0 ? 0 : nanos / 1e3 / calls;
        }
    }

    /** One thread's nesting stack and totals; only that thread writes them. */
    private static final class ThreadTimes {
        final boolean worker;
        final Map<String, long[]> totals = new HashMap<>();
        /** Per nesting level: the time spent in ops called from the op open at that level. */
        long[] childNanos = new long[8];
        int depth;

        ThreadTimes(boolean worker) {
            this.worker = worker;
        }
    }

    private final Thread owner = Thread.currentThread();
    private final List<ThreadTimes> threads = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ThreadTimes> mine = ThreadLocal.withInitial(() -> {
        ThreadTimes t = new ThreadTimes(Thread.currentThread() != owner);
        threads.add(t);
        return t;
    });
    private final AtomicLong workerNanos = new AtomicLong();

    /** Runs {@code kernel} as op {@code op}, timing it when it runs for the owner thread. */
    <T> T time(String op, Supplier<T> kernel) {
        if (Parallel.onBehalfOf() != owner) {
            return kernel.get();
        }
        ThreadTimes t = mine.get();
        if (t.depth == t.childNanos.length) {
            t.childNanos = java.util.Arrays.copyOf(t.childNanos, t.depth * 2);
        }
        t.childNanos[t.depth++] = 0;
        long start = System.nanoTime();
        try {
            return kernel.get();
        } finally {
            long elapsed = System.nanoTime() - start;
            long self = elapsed - t.childNanos[--t.depth];
            if (t.depth > 0) {
                t.childNanos[t.depth - 1] += elapsed;
            }
            synchronized (t) {
                long[] sum = t.totals.computeIfAbsent(op, k -> new long[2]);
                sum[0]++;
                sum[1] += self;
            }
        }
    }

    /** Starts receiving the reports of workers' tasks (while set on a backend). */
    static void activate(OpProfiler profiler) {
        ACTIVE.add(profiler);
    }

    /** Stops receiving them. */
    static void deactivate(OpProfiler profiler) {
        ACTIVE.remove(profiler);
    }

    /** Whether any profiler wants workers' task times: {@link Parallel} times tasks only then. */
    static boolean anyActive() {
        return !ACTIVE.isEmpty();
    }

    /** A worker spent {@code nanos} on a task forked for {@code origin}. */
    static void ranAside(Thread origin, long nanos) {
        for (OpProfiler p : ACTIVE) {
            if (p.owner == origin) {
                p.workerNanos.addAndGet(nanos);
            }
        }
    }

    /** Forgets everything counted so far. */
    public void reset() {
        for (ThreadTimes t : threads) {
            synchronized (t) {
                t.totals.clear();
            }
        }
        workerNanos.set(0);
    }

    /** Every op seen, on every thread, the most expensive first. */
    public List<OpTime> times() {
        Map<String, long[]> merged = new HashMap<>();
        for (ThreadTimes t : threads) {
            synchronized (t) {
                t.totals.forEach((op, sum) -> {
                    long[] m = merged.computeIfAbsent(op, k -> new long[3]);
                    m[0] += sum[0];
                    m[1] += sum[1];
                    if (t.worker) {
                        m[2] += sum[1];
                    }
                });
            }
        }
        List<OpTime> list = new ArrayList<>();
        merged.forEach((op, m) -> list.add(new OpTime(op, m[0], m[1], m[2])));
        list.sort(Comparator.comparingLong(OpTime::nanos).reversed()
                .thenComparing(OpTime::op));
        return list;
    }

    /** The self time of every op together, on every thread, in nanoseconds. */
    public long totalNanos() {
        long sum = 0;
        for (OpTime t : times()) {
            sum += t.nanos();
        }
        return sum;
    }

    /**
     * How long {@link Parallel}'s workers were busy with tasks for the owner thread while this
     * profiler was set, in nanoseconds: their ops and the Java code around them.
     */
    public long workerNanos() {
        return workerNanos.get();
    }
}
