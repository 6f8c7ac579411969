package org.vae4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Checks of flag values that picocli's types cannot express; each names the flag. */
final class Flags {

    private Flags() {
    }

    static ParameterException error(CommandLine cl, String message) {
        return new ParameterException(cl, message);
    }

    /** {@code value >= min} when given. */
    static void atLeast(CommandLine cl, String flag, Integer value, int min) {
        if (value != null && value < min) {
            throw error(cl, flag + " must be at least " + min + ", got " + value);
        }
    }

    /** {@code value >= min} when given. */
    static void atLeast(CommandLine cl, String flag, Long value, long min) {
        if (value != null && value < min) {
            throw error(cl, flag + " must be at least " + min + ", got " + value);
        }
    }

    /** A finite {@code value > 0} when given. */
    static void positive(CommandLine cl, String flag, Double value) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw error(cl, flag + " must be a positive number, got " + value);
        }
    }

    /** A finite {@code value >= 0} when given. */
    static void nonNegative(CommandLine cl, String flag, Double value) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            throw error(cl, flag + " must be a number >= 0, got " + value);
        }
    }
}
