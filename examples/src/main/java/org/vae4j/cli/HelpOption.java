package org.vae4j.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} listed last, after the options a user came to read about. */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 99,
            description = "Show this help and exit.")
    boolean help;
}
