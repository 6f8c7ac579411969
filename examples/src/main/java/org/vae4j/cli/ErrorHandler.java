package org.vae4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's message as one line, not a stack trace ({@code --debug} or
 * {@code VAE4J_DEBUG=1} add the trace), and exits with status 1, or 2 for a
 * {@link UsageException}. File-system errors, whose JDK messages are often a bare path, are
 * spelled out.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    /** Exit status of a failure. */
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        if (ex instanceof UsageException) {
            int status = new UsageErrorHandler().handleParseException(
                    new CommandLine.ParameterException(cl, ex.getMessage(), ex),
                    new String[0]);
            printTrace(ex, cl, parsed);
            return status;
        }
        cl.getErr().println(cl.getColorScheme().errorText("error: " + describe(ex)));
        printTrace(ex, cl, parsed);
        cl.getErr().flush();
        return FAILURE;
    }

    private static void printTrace(Exception ex, CommandLine cl, ParseResult parsed) {
        if (debug(parsed)) {
            ex.printStackTrace(cl.getErr());
            cl.getErr().flush();
        }
    }

    /** Whether {@code --debug} was given on any command of the line, or VAE4J_DEBUG is set. */
    static boolean debug(ParseResult parsed) {
        String env = System.getenv("VAE4J_DEBUG");
        if (env != null && !env.isBlank() && !env.equals("0")) {
            return true;
        }
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(Main.DEBUG)) {
                return true;
            }
        }
        return false;
    }

    /** A message a user can act on, for any exception. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while ((t instanceof UncheckedIOException || t instanceof CommandLine.ExecutionException)
                && t.getCause() != null) {
            String own = t.getMessage();
            Throwable cause = t.getCause();
            // keep a wrapper's message when it says more than its cause's
            if (own != null && cause.getMessage() != null && !own.equals(cause.toString())
                    && !own.equals(cause.getMessage()) && own.contains(cause.getMessage())) {
                return own;
            }
            t = cause;
        }
        if (t instanceof FileSystemException fs && fs.getReason() == null) {
            String file = fs.getFile();
            if (t instanceof NoSuchFileException) {
                return "no such file or folder: " + file;
            }
            if (t instanceof AccessDeniedException) {
                return "permission denied: " + file;
            }
            if (t instanceof FileAlreadyExistsException) {
                return "already exists: " + file;
            }
            if (t instanceof NotDirectoryException) {
                return "not a folder: " + file;
            }
            if (t instanceof DirectoryNotEmptyException) {
                return "folder not empty: " + file;
            }
        }
        if (t instanceof FileSystemException fs && fs.getReason() != null
                && fs.getMessage() != null) {
            return fs.getMessage();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName() + (t instanceof IOException ? " (input/output)" : "");
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory: " + message + "; try a smaller --batch-size or give Java more"
                    + " memory, e.g. ./vae4j -Xmx8g ...";
        }
        return message;
    }
}
