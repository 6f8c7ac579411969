package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.consistency.SkewedBackend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.UnaryOp;

class BackendSelfCheckTest {

    @Test
    void everyBackendHereAgreesWithTheReference() {
        Cli.Run r = Cli.run("backends", "--check");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("Self-check against the reference backend"), r.out());
        for (Backends.Info info : Backends.list()) {
            if (info.availability().available()) {
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith(info.name() + " ")
                        && l.endsWith("OK")), info.name() + " has no OK row:\n" + r.out());
            }
        }
        assertFalse(r.out().contains("FAIL"), r.out());
    }

    @Test
    void aBackendWithASlightlyWrongSoftplusFailsNamingTheCheck() {
        StringWriter text = new StringWriter();
        int status = new BackendSelfCheck().run(List.of(Backends.get("ejml"),
                new SkewedBackend("skewed", UnaryOp.SOFTPLUS, v -> v * (1 + 1e-4))), new PrintWriter(text));
        String out = text.toString();
        assertEquals(1, status, out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("ejml ") && l.endsWith("OK")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("skewed ") && l.endsWith("FAIL")), out);
        assertTrue(out.contains("FAIL skewed softplus/sigmoid: "), out);
        assertTrue(out.contains("SOFTPLUS["), out);
        // the VAE's Bernoulli likelihood is softplus(logits) - x·logits
        assertTrue(out.contains("FAIL skewed vae loss: "), out);
        assertFalse(out.contains("FAIL skewed matmul"), out);
        assertFalse(out.contains("FAIL ejml"), out);
    }

    @Test
    void aBackendWhoseKernelThrowsIsReportedAsAFailureNotACrash() {
        StringWriter text = new StringWriter();
        int status = new BackendSelfCheck().run(List.of(new SkewedBackend("broken",
                UnaryOp.SIGMOID, v -> {
                    throw new IllegalStateException("sigmoid kernel crashed");
                })), new PrintWriter(text));
        String out = text.toString();
        assertEquals(1, status, out);
        assertTrue(out.contains("FAIL broken softplus/sigmoid: failed: sigmoid kernel crashed"),
                out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("broken ") && l.endsWith("FAIL")), out);
    }
}
