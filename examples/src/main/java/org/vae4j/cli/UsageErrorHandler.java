package org.vae4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * A mistake on the command line (unknown flag, bad value, contradictory flags): one line naming
 * it, a pointer to the command's help, and exit status 2, rather than the whole usage text.
 * {@code --debug} adds the stack trace.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getColorScheme().errorText("error: " + ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more"
                + " information.");
        if (ErrorHandler.debug(cl.getParseResult())) {
            ex.printStackTrace(err);
        }
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }
}
