package org.vae4j.tensor;

/**
 * Settings a provider applies when it creates a backend.
 *
 * @param threads how many threads the backend's kernels may use: 1 to {@link #maxThreads()}
 */
public record BackendConfig(int threads) {

    public BackendConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (threads > maxThreads()) {
            // more threads than that only contend; tens of thousands hang TensorFlow's pool
            throw new IllegalArgumentException("threads must be at most " + maxThreads()
                    + " (4 x the " + Runtime.getRuntime().availableProcessors()
                    + " available cores), got " + threads);
        }
    }

    /** The most threads a backend may be given: 4 x the available processors. */
    public static int maxThreads() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * From the system property {@code vae4j.threads}, else the environment variable
     * {@code VAE4J_THREADS}, else the number of available processors.
     */
    public static BackendConfig fromSystem() {
        String s = System.getProperty("vae4j.threads");
        String source = "system property vae4j.threads";
        if (s == null || s.isBlank()) {
            s = System.getenv("VAE4J_THREADS");
            source = "environment variable VAE4J_THREADS";
        }
        if (s == null || s.isBlank()) {
            return new BackendConfig(Runtime.getRuntime().availableProcessors());
        }
        int threads;
        try {
            threads = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " is '" + s
                    + "'; expected a whole number of threads, 1 to " + maxThreads(), e);
        }
        try {
            return new BackendConfig(threads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }
}
