package org.vae4j.cli;

import picocli.CommandLine.Option;

/** {@code --backend} and {@code --threads}, shared by every command that computes. */
final class BackendOptions {

    @Option(names = "--backend", paramLabel = "NAME", order = 50,
            description = "ejml, nd4j or tensorflow (see 'vae4j backends'). Default: "
                    + "-Dvae4j.backend, else $VAE4J_BACKEND, else the fastest available.")
    String name;

    @Option(names = "--threads", paramLabel = "N", order = 51,
            description = "Threads the backend's kernels may use, " + Flags.THREADS_RANGE
                    + ". Default: all cores.")
    Integer threads;

    /** Checks the values that parsing alone cannot. */
    void validate(picocli.CommandLine cl) {
        Flags.notBlank(cl, "--backend", name);
        Flags.threads(cl, "--threads", threads);
    }
}
