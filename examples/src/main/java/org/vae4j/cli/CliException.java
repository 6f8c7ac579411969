package org.vae4j.cli;

/** A failure the user can act on; its message is printed as the command's one error line. */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
