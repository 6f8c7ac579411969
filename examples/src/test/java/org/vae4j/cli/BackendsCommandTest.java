package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.cli.Cli.Run;
import org.vae4j.consistency.SkewedBackend;
import org.vae4j.tensor.UnaryOp;

/** {@code vae4j backends} lists which kernel families each available backend runs natively. */
class BackendsCommandTest {

    @Test
    void listsTheKernelFamiliesEachAvailableBackendRunsNatively() {
        Run r = Cli.run("backends");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("BACKEND")
                && l.contains("KERNEL FAMILIES")).findFirst().orElseThrow(
                        () -> new AssertionError("no kernel families table:\n" + r.out())));
        List<String> table = lines.subList(header + 1, lines.size());
        if (Boolean.getBoolean("vae4j.forceComposite")) {
            // forcing composites declares no optional family on any backend
            for (String name : List.of("ejml", "nd4j", "tensorflow")) {
                assertTrue(table.contains(String.format("%-12s %s", name, "native core; composite"
                        + " layer, activation, loss, reduction, optimizer, convolution")),
                        r.out());
            }
            return;
        }
        assertTrue(table.contains("ejml         native core, layer, activation, loss, optimizer,"
                + " convolution; composite reduction"), r.out());
        assertTrue(table.contains("nd4j         native core, layer, optimizer, convolution;"
                + " composite activation, loss, reduction"), r.out());
        assertTrue(table.contains("tensorflow   native core, layer, activation, optimizer,"
                + " convolution; composite loss, reduction"), r.out());
    }

    @Test
    void aBackendOfTheCoreFamilyAloneListsEveryOtherFamilyAsComposite() {
        assertEquals("native core; composite layer, activation, loss, reduction, optimizer,"
                + " convolution",
                BackendsCommand.families(new SkewedBackend("skewed", UnaryOp.EXP, v -> v)));
    }
}
