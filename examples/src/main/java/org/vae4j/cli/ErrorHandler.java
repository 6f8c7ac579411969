package org.vae4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's message as one line, not a stack trace (set {@code VAE4J_DEBUG=1}
 * for the trace), and exits with status 1.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cl.getErr().println(cl.getColorScheme().errorText("error: " + message));
        if (System.getenv("VAE4J_DEBUG") != null) {
            ex.printStackTrace(cl.getErr());
        }
        return 1;
    }
}
