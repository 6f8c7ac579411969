package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vae4j.cli.Cli.assertFailsWith;
import static org.vae4j.cli.Cli.assertOk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vae4j.tensor.Backends;

class BenchCommandTest {

    /** A few steps on a small slice of MNIST-shaped data: each run takes well under a second. */
    private static final String[] TINY = {"bench", "--steps", "3", "--warmup", "1",
        "--profile-steps", "2", "--data-rows", "512", "--batch-size", "64"};

    private static Cli.Run bench(String... more) {
        return Cli.run(Stream.concat(Stream.of(TINY), Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void jsonHasOneObjectPerBackendWithTheDocumentedKeys() throws IOException {
        Cli.Run r = bench("--backend", "ejml", "--json");
        assertOk(r);
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.out());
        JsonNode o = new ObjectMapper().readTree(lines.get(0));
        for (String key : new String[] {"backend", "model", "ms_per_step", "samples_per_sec",
            "epoch_seconds", "peak_rss_mb", "ms_p90", "matmul_share", "peak_heap_mb"}) {
            assertTrue(o.has(key), key + " missing from " + o);
        }
        assertEquals("ejml", o.get("backend").asText());
        assertEquals("vae", o.get("model").asText());
        assertTrue(o.get("ms_per_step").asDouble() > 0, o.toString());
        assertTrue(o.get("samples_per_sec").asDouble() > 0, o.toString());
        // the epoch time is quoted for 60,000 examples at the mean step
        assertEquals(60_000 / o.get("samples_per_sec").asDouble(),
                o.get("epoch_seconds").asDouble(), 0.01 * o.get("epoch_seconds").asDouble());
        assertTrue(Double.isFinite(o.get("first_loss").asDouble()), o.toString());
        assertFalse(o.has("ops"), "per-op times only with --profile");
    }

    @Test
    void everyAvailableBackendGetsARowAndTheProfileNamesTheOps() {
        Cli.Run r = bench("--profile");
        assertOk(r);
        for (Backends.Info info : Backends.list()) {
            if (info.availability().available()) {
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith(info.name() + " ")),
                        info.name() + " has no row in:\n" + r.out());
                assertTrue(r.out().contains(info.name() + ": time per op"), r.out());
            }
        }
        assertTrue(r.out().contains("MS/STEP") && r.out().contains("RSS MB"), r.out());
        assertTrue(r.out().contains("load average"), r.out());
        // the VAE's fused ops appear by name
        assertTrue(r.out().contains("linearRelu") && r.out().contains("adamUpdate"), r.out());
    }

    @Test
    void jsonWithProfileListsTimePerOp() throws IOException {
        Cli.Run r = bench("--backend", "ejml", "--json", "--profile", "--model", "ae");
        assertOk(r);
        JsonNode o = new ObjectMapper().readTree(r.out().lines().findFirst().orElseThrow());
        assertEquals("ae", o.get("model").asText());
        assertTrue(o.get("ops").has("adamUpdate"), o.toString());
        assertTrue(o.get("ops").get("adamUpdate").get("calls_per_step").asDouble() > 0);
    }

    @Test
    void theProfileCoversTheWorkerThreadToo() throws IOException {
        Cli.Run r = Cli.run("bench", "--steps", "2", "--warmup", "1", "--profile-steps", "10",
                "--data-rows", "512", "--batch-size", "64", "--backend", "ejml", "--threads", "2",
                "--json", "--profile");
        assertOk(r);
        JsonNode o = new ObjectMapper().readTree(r.out().lines().findFirst().orElseThrow());
        double worker = o.get("profiled_worker_ms_per_step").asDouble();
        double onWorkers = 0;
        double ops = 0;
        for (JsonNode op : o.get("ops")) {
            onWorkers += op.get("worker_us_per_step").asDouble();
            ops += op.get("us_per_step").asDouble();
            assertTrue(op.get("worker_us_per_step").asDouble()
                    <= op.get("us_per_step").asDouble() + 1e-3, o.toString());
        }
        // the worker's busy time holds the ops it ran; the shares are of caller + worker time
        assertTrue(onWorkers <= worker * 1e3 + 1, o.toString());
        double thread = o.get("profiled_ms_per_step").asDouble() + worker;
        assertEquals(ops / 1e3 / thread, o.get("ops_share").asDouble(), 0.01, o.toString());
        assertTrue(o.get("matmul_share").asDouble() <= o.get("ops_share").asDouble(),
                o.toString());
        if (Runtime.getRuntime().availableProcessors() > 1) {
            // Adam updates each parameter on the worker as soon as its gradient is ready
            assertTrue(worker > 0 && onWorkers > 0, o.toString());
        }
    }

    @Test
    void benchWritesNoRunFolder() throws IOException {
        Path runs = Path.of("runs");
        long before = count(runs);
        assertOk(bench("--backend", "ejml"));
        assertEquals(before, count(runs), "bench wrote into " + runs.toAbsolutePath());
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void unknownModelIsAnErrorListingTheModels() {
        assertFailsWith(bench("--model", "gan"), "gan", "vae", "vq-vae");
    }

    @Test
    void unknownBackendIsAnErrorListingTheBackends() {
        assertFailsWith(bench("--backend", "cuda"), "cuda", "ejml");
    }

    @Test
    void badNumbersAreErrorsNamingTheFlag() {
        assertFailsWith(bench("--steps", "0"), "--steps");
        assertFailsWith(bench("--data-rows", "10"), "--data-rows");
    }
}
