package org.vae4j.tensor;

/**
 * Settings a provider applies when it creates a backend.
 *
 * @param threads how many threads the backend's kernels may use (at least 1)
 */
public record BackendConfig(int threads) {

    public BackendConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
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
        try {
            return new BackendConfig(Integer.parseInt(s.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is '" + s
                    + "'; expected a whole number of threads, at least 1", e);
        }
    }
}
