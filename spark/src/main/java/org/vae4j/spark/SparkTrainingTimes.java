package org.vae4j.spark;

/**
 * Where the wall time of a distributed fit went, summed over its steps (synchronous) or rounds
 * (local SGD), for the benchmark and for tuning.
 *
 * @param updates     optimizer updates on the driver (steps, or rounds of local SGD)
 * @param examples    training examples processed
 * @param broadcast   seconds flattening the weights and broadcasting them
 * @param job         seconds in the Spark jobs (task launch, the workers' compute, sending
 *                    and summing the results)
 * @param compute     seconds the workers computed, averaged over the workers of each step
 * @param update      seconds of the driver's optimizer updates
 * @param total       seconds of the whole fit, set-up and checkpoints included
 */
public record SparkTrainingTimes(long updates, long examples, double broadcast, double job,
        double compute, double update, double total) {

    /** Spark's own share of the job time: launch, serialisation, transfer and the sum. */
    public double overhead() {
        return job - compute;
    }

    /** Training examples per second over the whole fit. */
    public double samplesPerSecond() {
        return total > 0 ? examples / total : 0;
    }

    /** Milliseconds per update of each part: broadcast, Spark overhead, compute, update. */
    public String perUpdate() {
        double n = Math.max(1, updates);
        return String.format(java.util.Locale.ROOT, "broadcast %.2f ms, spark overhead %.2f ms,"
                + " worker compute %.2f ms, driver update %.2f ms per update", broadcast * 1e3 / n,
                overhead() * 1e3 / n, compute * 1e3 / n, update * 1e3 / n);
    }
}
