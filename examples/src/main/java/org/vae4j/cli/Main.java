package org.vae4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vae4j} program: one subcommand per class in this package. */
@Command(
        name = "vae4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Autoencoders (AE, DAE, VAE, CVAE, beta-VAE, VQ-VAE) on EJML, ND4J or TensorFlow.",
        subcommands = {
            BackendsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the program and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the program and returns its exit status (0 on success). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
