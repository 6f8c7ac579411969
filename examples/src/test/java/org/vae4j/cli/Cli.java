package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Module;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import picocli.CommandLine;

/** Runs the program in-process as the tests need it, and checks its typical results. */
final class Cli {

    private Cli() {
    }

    /** The exit status and what the program printed on stdout and stderr. */
    record Run(int status, String out, String err) {
    }

    /** The settings of a training run that takes about a second on EJML. */
    static final String[] QUICK = {"--limit", "512", "--epochs", "1", "--hidden", "32",
        "--latent", "4", "--backend", "ejml"};

    static Run run(String... args) {
        return run(new Module[0], args);
    }

    static Run run(Module[] modules, String... args) {
        CommandLine cl = Main.commandLine(modules);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    /** {@code train} with the quick settings, overridden by {@code more}, into {@code out}. */
    static Run quickTrain(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        List<String> given = List.of(more);
        for (int i = 0; i < QUICK.length; i += 2) {
            if (!given.contains(QUICK[i])) {
                args.add(QUICK[i]);
                args.add(QUICK[i + 1]);
            }
        }
        args.addAll(given);
        return run(args.toArray(String[]::new));
    }

    static void assertOk(Run r) {
        assertEquals(0, r.status(), () -> "exit status; stderr:\n" + r.err() + "\nstdout:\n"
                + r.out());
    }

    /**
     * A failure reported as one "error:" line (plus, for flag mistakes, the pointer to --help)
     * that contains every one of {@code expected}, and no stack trace.
     */
    static void assertFailsWith(Run r, String... expected) {
        assertNotEquals(0, r.status(), () -> "should fail; stdout:\n" + r.out());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        List<String> errors = lines.stream().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), () -> "one error line expected:\n" + r.err());
        for (String line : lines) {
            assertTrue(line.startsWith("error: ") || line.startsWith("Try '")
                    || line.startsWith("Did you mean"), () -> "unexpected line: " + line
                    + "\nin:\n" + r.err());
        }
        assertFalse(r.err().contains("\tat "), () -> "stack trace:\n" + r.err());
        for (String e : expected) {
            assertTrue(errors.get(0).contains(e), () -> "'" + e + "' not in: " + errors.get(0));
        }
    }

    /** Decodes a PNG and checks it is a real picture of a sensible size. */
    static BufferedImage assertPng(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, () -> file + " does not decode as an image");
        assertTrue(img.getWidth() >= 100 && img.getHeight() >= 60,
                () -> file + " is only " + img.getWidth() + "x" + img.getHeight());
        return img;
    }
}
