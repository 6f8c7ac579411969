package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    /** The exit status and what the program printed on stdout and stderr. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty("vae4j.backend");
    }

    @Test
    void versionPrintsTheProgramName() {
        Run r = run("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("vae4j "), r.out());
    }

    @Test
    void helpListsTheBackendsCommand() {
        Run r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("backends"), r.out());
    }

    @Test
    void unknownSubcommandFailsWithAClearMessage() {
        Run r = run("trian");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("trian"), r.err());
    }

    @Test
    void unknownFlagFailsWithAClearMessage() {
        Run r = run("backends", "--frobnicate");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("--frobnicate"), r.err());
    }

    @Test
    void backendsListsEjmlAsAvailableAndMarksTheChoice() {
        Run r = run("backends");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("ejml") && l.contains("available")),
                r.out());
        assertTrue(r.out().contains("<- chosen"), r.out());
    }

    @Test
    void backendsHonoursTheSystemProperty() {
        System.setProperty("vae4j.backend", "ejml");
        Run r = run("backends");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("ejml") && l.contains("<- chosen")
                && l.contains("system property vae4j.backend")), r.out());
    }

    @Test
    void backendsNamesAnUnknownBackendFromTheSystemProperty() {
        System.setProperty("vae4j.backend", "cuda-dreams");
        Run r = run("backends");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("'cuda-dreams'") && r.err().contains("unknown"), r.err());
        assertTrue(r.err().contains("ejml"), r.err());
    }
}
