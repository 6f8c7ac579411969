package org.vae4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data}: where MNIST is cached. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "DIR", order = 52,
            description = "The data cache folder (MNIST goes in DIR/mnist/, fetched on first use)."
                    + " Default: -Dvae4j.data, else $VAE4J_DATA, else ~/.vae4j/data.")
    Path dir;
}
