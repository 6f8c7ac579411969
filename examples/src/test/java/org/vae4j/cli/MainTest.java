package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vae4j.cli.Cli.Run;

class MainTest {

    static Run run(String... args) {
        return Cli.run(args);
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
    void helpListsEveryCommand() {
        Run r = run("--help");
        assertEquals(0, r.status());
        for (String c : new String[] {"train", "resume", "eval", "sample", "reconstruct",
            "interpolate", "embed", "pca", "models", "backends"}) {
            assertTrue(r.out().contains("  " + c + " "), c + " missing from:\n" + r.out());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"train", "resume", "eval", "sample", "reconstruct",
            "interpolate", "embed", "pca", "models", "backends"}) {
            Run r = run(c, "--help");
            assertEquals(0, r.status(), c);
            assertTrue(r.out().startsWith("Usage: vae4j " + c), r.out());
            assertTrue(r.out().contains("--help"), r.out());
        }
    }

    @Test
    void trainHelpShowsTheDefaults() {
        Run r = run("train", "--help");
        assertTrue(r.out().contains("Default: vae."), r.out());
        assertTrue(r.out().contains("Epochs to train. Default: 10."), r.out());
        assertTrue(r.out().contains("--set"), r.out());
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

    @Test
    void modelsListsTheBuiltInModelsWithADescription() {
        Run r = run("models");
        assertEquals(0, r.status(), r.err());
        for (String m : new String[] {"ae", "dae", "vae", "cvae", "beta-vae", "vq-vae"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(m + " ") && l.length() > 20),
                    m + " in:\n" + r.out());
        }
    }

    @Test
    void modelsNameShowsItsSettingsDefaultsAndFlags() {
        Run r = run("models", "vq-vae");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("codebook-size") && l.contains("512")
                && l.contains("--codebook-size")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("decay")
                && l.contains("--set decay=")), r.out());
    }

    @Test
    void modelsOfAnUnknownNameListsTheKnownOnes() {
        Cli.assertFailsWith(run("models", "gan"), "unknown model 'gan'", "vae");
    }
}
