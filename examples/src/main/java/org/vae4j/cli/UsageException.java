package org.vae4j.cli;

/**
 * A mistake on the command line found where no {@link picocli.CommandLine} is at hand (an
 * unknown backend name, a label the model has no class for): reported like a bad flag, with
 * exit status 2.
 */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
