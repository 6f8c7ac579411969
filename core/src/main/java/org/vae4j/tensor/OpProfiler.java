package org.vae4j.tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times the ops of a {@link Backend}: set one with {@link Backend#setProfiler} and every op that
 * backend runs on the profiler's thread is counted and timed, until it is set back to null. It is
 * a decorator of the backend's kernels ({@link ProfiledKernels}) that {@code setProfiler} swaps
 * in and out, so without a profiler the ops run no profiling code at all.
 *
 * <p>Times are <em>self</em> times: a composite defined from primitives (e.g. {@code linear} as
 * {@code matmul} then {@code add}) is charged only for what its primitives do not account for,
 * so the times of all ops add up to the time spent in the backend. The kernels of ND4J,
 * TensorFlow (eager, synchronous) and EJML have finished when they return, so the wall time of a
 * call is the op's cost.
 *
 * <p>A profiler belongs to the thread that created it; ops on other threads are not timed.
 */
public final class OpProfiler {

    /** One op's totals: how often it ran and its self time. */
    public record OpTime(String op, long calls, long nanos) {

        /** Mean self time per call in microseconds. */
        public double microsPerCall() {
            return calls == 0 ? 0 : nanos / 1e3 / calls;
        }
    }

    private final Thread owner = Thread.currentThread();
    private final Map<String, long[]> totals = new HashMap<>();
    /** Per nesting level: the time spent in ops called from the op open at that level. */
    private long[] childNanos = new long[8];
    private int depth;

    /** Runs {@code kernel} as op {@code op}, timing it when called on the owner thread. */
    <T> T time(String op, Supplier<T> kernel) {
        if (Thread.currentThread() != owner) {
            return kernel.get();
        }
        if (depth == childNanos.length) {
            childNanos = java.util.Arrays.copyOf(childNanos, depth * 2);
        }
        childNanos[depth++] = 0;
        long start = System.nanoTime();
        try {
            return kernel.get();
        } finally {
            long elapsed = System.nanoTime() - start;
            long self = elapsed - childNanos[--depth];
            if (depth > 0) {
                childNanos[depth - 1] += elapsed;
            }
            long[] t = totals.computeIfAbsent(op, k -> new long[2]);
            t[0]++;
            t[1] += self;
        }
    }

    /** Forgets everything counted so far. */
    public void reset() {
        totals.clear();
    }

    /** Every op seen, the most expensive first. */
    public List<OpTime> times() {
        List<OpTime> list = new ArrayList<>();
        totals.forEach((op, t) -> list.add(new OpTime(op, t[0], t[1])));
        list.sort(Comparator.comparingLong(OpTime::nanos).reversed()
                .thenComparing(OpTime::op));
        return list;
    }

    /** The self time of every op together, in nanoseconds. */
    public long totalNanos() {
        long sum = 0;
        for (long[] t : totals.values()) {
            sum += t[1];
        }
        return sum;
    }
}
