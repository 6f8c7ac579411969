package org.vae4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.cli.bench.TrainingBenchmark;
import org.vae4j.cli.bench.TrainingBenchmark.Result;
import org.vae4j.data.Dataset;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelProvider;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.tensor.OpProfiler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae4j bench}: times the training step of a model on each backend. */
@Command(name = "bench", sortOptions = false,
        usageHelpAutoWidth = true, abbreviateSynopsis = true,
        description = {
            "Time the training step (batch, loss, backward, Adam step) of a model on"
                    + " MNIST-shaped data, on every available backend or the one --backend"
                    + " names, and print ms per step (median, 90th percentile), samples per"
                    + " second, the implied seconds per MNIST epoch (60,000 examples at the mean"
                    + " step), the share of the step spent in matrix products, and memory.",
            "Nothing is written to disk. The machine's load average is printed alongside:"
                    + " compare backends within one run."
        },
        footer = {"", "Examples:",
            "  vae4j bench                                   (the classic VAE, every backend)",
            "  vae4j bench --backend nd4j --profile          (time per op as well)",
            "  vae4j bench --json --steps 100",
            "  vae4j bench --backend tensorflow --epochs 10  (memory over ten epochs)",
            "  vae4j bench --data big.npy --set input=784    (batches read from a file)"})
final class BenchCommand implements Callable<Integer>, ModelFlags.Host {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "vae", order = 1,
            description = "The model type, with its default settings unless model flags say"
                    + " otherwise ('vae4j models' lists them). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200", order = 2,
            description = "Steps to time after the warm-up, 1 to " + Flags.BENCH_STEPS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--epochs", paramLabel = "N", order = 3,
            description = "Time N whole epochs instead of --steps (e.g. to watch memory over a"
                    + " long run); 1 to " + Flags.BENCH_EPOCHS_MAX + ".")
    Integer epochs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "30", order = 4,
            description = "Untimed steps first, 0 to " + Flags.BENCH_STEPS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", order = 5,
            description = "Examples per step, 1 to " + Flags.BATCH_SIZE_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--profile", order = 6,
            description = "Also print the time per op (self time, per step) of each backend.")
    boolean profile;

    @Option(names = "--profile-steps", paramLabel = "N", defaultValue = "50", order = 7,
            description = "Steps of the profiled pass that splits the time by op (after the"
                    + " timed steps; 0 skips it), 0 to " + Flags.BENCH_STEPS_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int profileSteps;

    @Option(names = "--json", order = 8,
            description = "Print one JSON object per line per backend instead of the table.")
    boolean json;

    @Option(names = "--data-rows", paramLabel = "N", defaultValue = "60000", order = 10,
            description = "Rows of MNIST-shaped data to draw batches from (they cost memory,"
                    + " not time per step), the batch size to " + Flags.DATA_ROWS_MAX
                    + ". Default: ${DEFAULT-VALUE}, as MNIST.")
    int dataRows;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 9,
            description = "Seed of the data, the weights and the noise, " + Flags.SEED_RANGE
                    + ". Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;

    /** With --data: the file's size, the seconds it took to read, and where its rows live. */
    private Double dataFileMb;
    private double dataLoadSeconds;
    private boolean dataInMemory;

    @Inject
    BenchCommand(ModelRegistry registry, BackendChooser backends) {
        this.registry = registry;
        this.backends = backends;
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Flags.notBlank(cl, "--model", model);
        Flags.inRange(cl, "--steps", steps, 1, Flags.BENCH_STEPS_MAX);
        Flags.inRange(cl, "--epochs", epochs, 1, Flags.BENCH_EPOCHS_MAX);
        Flags.inRange(cl, "--warmup", warmup, 0, Flags.BENCH_STEPS_MAX);
        Flags.inRange(cl, "--batch-size", batchSize, 1, Flags.BATCH_SIZE_MAX);
        Flags.inRange(cl, "--profile-steps", profileSteps, 0, Flags.BENCH_STEPS_MAX);
        Flags.inRange(cl, "--data-rows", dataRows, batchSize, Flags.DATA_ROWS_MAX);
        backendOptions.validate(cl);
        ModelFlags.Choice choice = ModelFlags.resolve(cl, registry, model);
        ModelProvider provider = choice.provider();
        ModelConfig settings = choice.settings();

        // Every backend is resolved before any is timed, so a bad --backend fails at once.
        List<Backend> chosen = new ArrayList<>();
        if (backendOptions.name != null) {
            chosen.add(backends.choose(backendOptions.name, backendOptions.threads));
        } else {
            for (Backends.Info info : Backends.list()) {
                if (info.availability().available()) {
                    chosen.add(backends.choose(info.name(), backendOptions.threads));
                }
            }
        }
        int batchesPerEpoch = (int) (((long) TrainingBenchmark.EPOCH_EXAMPLES + batchSize - 1)
                / batchSize);
        // at most 1,000 epochs of 60,000 one-example steps: within an int, checked anyway
        int timedSteps = epochs != null ? Math.multiplyExact(epochs, batchesPerEpoch) : steps;
        TrainingBenchmark.Settings benchSettings = new TrainingBenchmark.Settings(
                batchSize, warmup, timedSteps, profileSteps, seed, dataRows);
        PrintWriter out = cl.getOut();
        TrainingBenchmark bench;
        if (dataOptions.source != null) {
            // real data: batches come from it as training reads them (from disk when mapped)
            Dataset data;
            DataSource source = DataSource.of(cl, dataOptions, null, cl.getErr());
            long loadStart = System.nanoTime();
            try {
                data = source.load().train();
                dataFileMb = java.nio.file.Files.size(source.files().get(0)) / 1e6;
            } catch (IOException e) {
                throw new CliException(e.getMessage(), e);
            }
            if (data.size() < batchSize) {
                throw new UsageException("--data " + dataOptions.source + " holds " + data.size()
                        + " examples, fewer than one batch of " + batchSize);
            }
            dataLoadSeconds = (System.nanoTime() - loadStart) / 1e9;
            dataInMemory = data.inMemory();
            if (!json) {
                boolean table = source.kindName().equals("table");
                out.printf(Locale.ROOT, "data: %s, %s; file %.0f MB, read in %.1f s; max heap"
                        + " %.0f MB%n", data, data.inMemory()
                                ? (table ? "streamed, encoded rows in memory" : "in memory")
                                : table ? "streamed into a float32 file, memory-mapped"
                                : "read from its file, memory-mapped",
                        dataFileMb, dataLoadSeconds, Runtime.getRuntime().maxMemory() / 1e6);
            }
            bench = new TrainingBenchmark(benchSettings, data);
        } else {
            bench = new TrainingBenchmark(benchSettings);
        }

        if (!json) {
            out.printf(Locale.ROOT, "%s, batch %d: %d timed steps after %d warm-up; load average"
                    + " %.2f on %d cores%n%n", provider.name(), batchSize, timedSteps, warmup,
                    loadAverage(), Runtime.getRuntime().availableProcessors());
            out.println(Table.HEADER);
            out.flush();
        }
        List<Result> results = new ArrayList<>();
        for (Backend backend : chosen) {
            Result r = bench.run(backend, be -> Flags.createModel(cl, registry, provider.name(),
                    settings, be, seed));
            results.add(r);
            out.println(json ? toJson(r, backend) : Table.row(r));
            out.flush();
        }
        if (!json) {
            out.println();
            out.println("ms/step: median and 90th percentile; epoch s: "
                    + TrainingBenchmark.EPOCH_EXAMPLES + " examples at the mean step time;"
                    + " matmul: share of the step in matrix products, on the caller's thread"
                    + " and vae4j's worker (profiled pass of " + profileSteps + " steps);"
                    + " heap and RSS: peaks while timing.");
            for (Result r : results) {
                if (!r.epochs().isEmpty()) {
                    out.println();
                    Table.memory(out, r);
                }
            }
            if (profile) {
                for (Result r : results) {
                    out.println();
                    Table.profile(out, r);
                }
            }
        }
        out.flush();
        return 0;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private String toJson(Result r, Backend backend) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("backend", r.backend());
        o.put("model", r.model());
        o.put("batch_size", r.batchSize());
        o.put("steps", r.steps());
        o.put("ms_per_step", round(r.msMedian()));
        o.put("ms_p90", round(r.msP90()));
        o.put("ms_mean", round(r.msMean()));
        o.put("samples_per_sec", round(r.samplesPerSecond()));
        o.put("epoch_seconds", round(r.epochSeconds()));
        o.put("matmul_share", round(r.matmulShare()));
        o.put("ops_share", round(r.opsShare()));
        if (r.profiledSteps() > 0) {
            o.put("profiled_ms_per_step", round(r.profiledMsMean()));
            o.put("profiled_worker_ms_per_step", round(r.profiledWorkerMsMean()));
        }
        o.put("peak_heap_mb", round(r.peakHeapMb()));
        o.put("peak_rss_mb", round(r.peakRssMb()));
        o.put("rss_start_mb", round(r.rssStartMb()));
        o.put("rss_end_mb", round(r.rssEndMb()));
        o.put("heap_live_start_mb", round(r.heapLiveStartMb()));
        o.put("heap_live_end_mb", round(r.heapLiveEndMb()));
        o.put("first_loss", round(r.firstLoss()));
        o.put("last_loss", round(r.lastLoss()));
        o.put("load_average", round(loadAverage()));
        if (dataFileMb != null) {
            o.put("data_file_mb", round(dataFileMb));
            o.put("data_load_seconds", round(dataLoadSeconds));
            o.put("data_in_memory", dataInMemory);
            o.put("max_heap_mb", round(Runtime.getRuntime().maxMemory() / 1e6));
        }
        o.put("describe", backend.describe());
        if (!r.epochs().isEmpty()) {
            var list = o.putArray("memory_by_epoch");
            for (TrainingBenchmark.EpochMemory e : r.epochs()) {
                ObjectNode m = list.addObject();
                m.put("epoch", e.epoch());
                m.put("rss_mb", round(e.rssMb()));
                m.put("heap_committed_mb", round(e.heapCommittedMb()));
                m.put("heap_used_mb", round(e.heapUsedMb()));
            }
        }
        if (profile && r.profiledSteps() > 0) {
            ObjectNode ops = o.putObject("ops");
            for (OpProfiler.OpTime t : r.ops()) {
                ObjectNode op = ops.putObject(t.op());
                op.put("calls_per_step", round((double) t.calls() / r.profiledSteps()));
                op.put("us_per_step", round(t.nanos() / 1e3 / r.profiledSteps()));
                op.put("worker_us_per_step", round(t.workerNanos() / 1e3 / r.profiledSteps()));
            }
        }
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench: could not write JSON", e);
        }
    }

    /** Three significant decimals are plenty; NaN (not measured) becomes null in JSON. */
    private static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
    }

    /** The human-readable output. */
    private static final class Table {
        static final String HEADER = String.format(Locale.ROOT,
                "%-11s %8s %8s %10s %8s %7s %9s %9s", "BACKEND", "MS/STEP", "P90 MS",
                "SAMPLES/S", "EPOCH S", "MATMUL", "HEAP MB", "RSS MB");

        static String row(Result r) {
            String matmul = Double.isFinite(r.matmulShare())
                    ? String.format(Locale.ROOT, "%6.0f%%", 100 * r.matmulShare()) : "      -";
            return String.format(Locale.ROOT, "%-11s %8.2f %8.2f %10.0f %8.2f %s %9.0f %9.0f",
                    r.backend(), r.msMedian(), r.msP90(), r.samplesPerSecond(), r.epochSeconds(),
                    matmul, r.peakHeapMb(), r.peakRssMb());
        }

        static void memory(PrintWriter out, Result r) {
            out.println(r.backend() + ": memory after each epoch (MB)");
            out.printf(Locale.ROOT, "  %-6s %9s %15s %10s%n", "EPOCH", "RSS", "HEAP COMMITTED",
                    "HEAP USED");
            for (TrainingBenchmark.EpochMemory e : r.epochs()) {
                out.printf(Locale.ROOT, "  %-6d %9.0f %15.0f %10.0f%n", e.epoch(), e.rssMb(),
                        e.heapCommittedMb(), e.heapUsedMb());
            }
        }

        static void profile(PrintWriter out, Result r) {
            int n = r.profiledSteps();
            if (n == 0) {
                out.println(r.backend() + ": no profiled steps (--profile-steps 0)");
                return;
            }
            double step = r.profiledThreadMsMean() * 1e3;
            out.printf(Locale.ROOT, "%s: time per op, per step (self time, %d profiled steps;"
                    + " a step is %.2f ms on the caller's thread + %.2f ms busy on vae4j's"
                    + " worker; ops %.0f%% of that)%n", r.backend(), n, r.profiledMsMean(),
                    r.profiledWorkerMsMean(), 100 * r.opsShare());
            out.printf(Locale.ROOT, "  %-22s %8s %10s %10s %10s %7s%n", "OP", "CALLS", "US/STEP",
                    "ON WORKER", "US/CALL", "SHARE");
            for (OpProfiler.OpTime t : r.ops()) {
                double us = t.nanos() / 1e3 / n;
                out.printf(Locale.ROOT, "  %-22s %8.1f %10.1f %10.1f %10.2f %6.1f%%%n", t.op(),
                        (double) t.calls() / n, us, t.workerNanos() / 1e3 / n,
                        t.microsPerCall(), 100 * us / step);
            }
        }
    }
}
