package org.vae4j.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.train.Trainer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT (Ctrl-C) and SIGTERM while {@code train} or {@code resume} runs: the first asks the
 * trainer to stop after the current step and write a checkpoint of it (see {@link
 * Trainer#requestStop}), and the command then exits with 130 (SIGINT) or 143 (SIGTERM); a
 * second signal ends the program at once (every checkpoint on disk is complete at any moment,
 * so that loses only the steps since the last one). Closing restores the previous handlers.
 * Where the signals cannot be caught (a JVM started with {@code -Xrs}), nothing changes.
 */
final class Interrupts implements AutoCloseable {

    private static final Map<String, Integer> EXIT_CODES = Map.of("INT", 130, "TERM", 143);

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final PrintWriter err;
    private volatile Trainer trainer;
    private volatile String signal;

    private Interrupts(PrintWriter err) {
        this.err = err;
    }

    /** Starts catching SIGINT and SIGTERM; {@code err} gets the line of a second signal. */
    static Interrupts install(PrintWriter err) {
        Interrupts interrupts = new Interrupts(err);
        for (String name : EXIT_CODES.keySet()) {
            try {
                Signal s = new Signal(name);
                interrupts.previous.put(s, Signal.handle(s, interrupts::handle));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not catchable here: the JVM's default (exit with 128 + n) stays
            }
        }
        return interrupts;
    }

    private void handle(Signal s) {
        if (signal != null) {
            err.println("interrupted again (SIG" + s.getName() + "): stopping at once; the newest"
                    + " complete checkpoint is kept");
            err.flush();
            Runtime.getRuntime().halt(EXIT_CODES.getOrDefault(s.getName(), 1));
        }
        signal = s.getName();
        Trainer t = trainer;
        if (t != null) {
            t.requestStop("SIG" + s.getName());
        }
    }

    /** The trainer to stop; a signal that came before it existed stops it before its first step. */
    void attach(Trainer t) {
        trainer = t;
        String s = signal;
        if (s != null) {
            t.requestStop("SIG" + s);
        }
    }

    /** Whether a signal came. */
    boolean interrupted() {
        return signal != null;
    }

    /** "SIGINT" or "SIGTERM"; null when none came. */
    String signalName() {
        String s = signal;
        return s == null ? null : "SIG" + s;
    }

    /** The exit status for the signal that came: 130 for SIGINT, 143 for SIGTERM. */
    int exitCode() {
        String s = signal;
        return s == null ? 0 : EXIT_CODES.getOrDefault(s, 1);
    }

    @Override
    public void close() {
        previous.forEach((s, h) -> {
            try {
                Signal.handle(s, h);
            } catch (IllegalArgumentException e) {
                // nothing to restore
            }
        });
        previous.clear();
    }
}
