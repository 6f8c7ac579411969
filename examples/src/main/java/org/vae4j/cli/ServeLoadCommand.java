package org.vae4j.cli;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.vae4j.random.Rng;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae4j benchmark serve}: a bounded load test of {@code vae4j serve} on loopback: many
 * clients send a mix of requests for a fixed time; throughput, latency quantiles, errors, heap
 * before and after, and the time requests waited for the model lock.
 */
@Command(name = "serve", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Start the model server of a run on a loopback port and load it: --clients"
                + " concurrent clients send a mix of sample, encode, decode, reconstruct, score"
                + " and health requests for --seconds; report throughput, p50/p99 latency,"
                + " errors and heap."},
        footer = {"", "Example:",
            "  vae4j benchmark serve --run runs/vae-20250101-120000 --clients 32 --seconds 30"})
final class ServeLoadCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--run", paramLabel = "DIR", required = true, order = 1,
            description = "The run folder whose model to serve.")
    Path run;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "32", order = 2,
            description = "Concurrent clients, 1 to 256. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "30", order = 3,
            description = "How long to load, 1 to 3600. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", order = 4,
            description = "Rows per batched request, 1 to 256. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;

    @Inject
    ServeLoadCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        Flags.inRange(cl, "--clients", clients, 1, 256);
        Flags.inRange(cl, "--seconds", seconds, 1, 3600);
        Flags.inRange(cl, "--batch", batch, 1, 256);
        ServeCommand serve = new ServeCommand(registry, backends);
        serve.spec = spec;
        serve.run = run;
        serve.host = "127.0.0.1";
        serve.port = 0;
        serve.backendOptions = backendOptions;
        serve.dataOptions = dataOptions;
        try (ServeCommand.Served served = serve.open()) {
            String base = "http://127.0.0.1:" + served.server().port() + "/api/v1/";
            int d = served.model().inputSize();
            int latent = served.model() instanceof org.vae4j.model.Encoder e ? e.latentSize() : 0;
            String[] bodies = bodies(d, latent);
            String[] paths = {"sample", "encode", "decode", "reconstruct", "score", "health"};
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .executor(Executors.newFixedThreadPool(4)).build();
            for (int i = 0; i < paths.length; i++) {
                call(http, base, paths[i], bodies[i]); // warm up, and fail early when refused
            }
            long heapBefore = heap();
            long waitBefore = served.server().lockWaitNanos();
            long callsBefore = served.server().modelCalls();
            AtomicLong errors = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<long[]>> results = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                long seed = c;
                results.add(pool.submit(() -> {
                    Rng rng = new Rng(seed);
                    long[] lat = new long[1024];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        int k = rng.nextInt(paths.length);
                        long t0 = System.nanoTime();
                        try {
                            if (call(http, base, paths[k], bodies[k]) != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, 2 * n);
                        }
                        lat[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> f : results) {
                long[] l = f.get();
                int at = all.length;
                all = Arrays.copyOf(all, at + l.length);
                System.arraycopy(l, 0, all, at, l.length);
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            long heapAfter = heap();
            Arrays.sort(all);
            long calls = served.server().modelCalls() - callsBefore;
            double waitMs = (served.server().lockWaitNanos() - waitBefore) / 1e6;
            PrintWriter out = cl.getOut();
            out.printf(Locale.ROOT, "model        %s on %s, batch %d, %d clients, %d s%n",
                    served.model().typeName(), served.model().backend().name(), batch, clients,
                    seconds);
            out.printf(Locale.ROOT, "requests     %d (%.0f per second)%n", all.length,
                    all.length / elapsed);
            out.printf(Locale.ROOT, "latency      p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    quantile(all, 0.50), quantile(all, 0.99),
                    all.length == 0 ? 0 : all[all.length - 1] / 1e6);
            out.printf(Locale.ROOT, "errors       %d%n", errors.get());
            out.printf(Locale.ROOT, "model lock   %d calls, mean wait %.1f ms%n", calls,
                    calls == 0 ? 0 : waitMs / calls);
            out.printf(Locale.ROOT, "heap         %.1f MiB before, %.1f MiB after (after GC)%n",
                    heapBefore / 1048576.0, heapAfter / 1048576.0);
            out.flush();
            return errors.get() == 0 ? 0 : 1;
        }
    }

    private String[] bodies(int d, int latent) {
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < batch; i++) {
            rows.append(i > 0 ? "," : "").append('[');
            for (int j = 0; j < d; j++) {
                rows.append(j > 0 ? "," : "").append(((i * 31 + j) % 17) / 17.0f);
            }
            rows.append(']');
        }
        rows.append(']');
        StringBuilder z = new StringBuilder("[");
        for (int i = 0; i < batch; i++) {
            z.append(i > 0 ? "," : "").append('[');
            for (int j = 0; j < latent; j++) {
                z.append(j > 0 ? "," : "").append((i - j) * 0.25f);
            }
            z.append(']');
        }
        z.append(']');
        return new String[] {"{\"n\":" + batch + ",\"seed\":5}", "{\"inputs\":" + rows + "}",
            "{\"z\":" + z + "}", "{\"inputs\":" + rows + "}", "{\"inputs\":" + rows + "}", null};
    }

    private static int call(HttpClient http, String base, String path, String body)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60));
        HttpRequest r = body == null ? b.GET().build() : b.header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static double quantile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1,
                Math.floor(q * sorted.length))] / 1e6;
    }

    private static long heap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
