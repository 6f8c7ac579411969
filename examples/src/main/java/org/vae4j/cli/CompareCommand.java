package org.vae4j.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.vae4j.data.Dataset;
import org.vae4j.io.AtomicFiles;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.tensor.Backend;
import org.vae4j.train.TrainingListener;
import org.vae4j.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae4j compare}: trains several model types on one data set at one budget and writes
 * one table of their test figures. Each model trains into a run folder of its own under
 * {@code --out} (by the same path as {@code train}); the figures come from the capabilities the
 * model has, so any registered model type gets its row.
 */
@Command(name = "compare", sortOptions = false,
        usageHelpAutoWidth = true, abbreviateSynopsis = true,
        description = {
            "Train every model of --models on one data set at one budget (epochs, batch size,"
                    + " widths, seed, backend) and write one table of their test figures:"
                    + " squared reconstruction error per image, negative ELBO and"
                    + " importance-weighted NLL (models that estimate likelihoods), the share of"
                    + " samples near a class mean (generative models on labelled data), KL and"
                    + " active units (Gaussian-posterior models), parameters and training time.",
            "",
            "The table goes to stdout as Markdown and into --out as compare.md, compare.csv and"
                    + " compare.json; each model's run folder is --out/MODEL (eval, sample and"
                    + " resume work on it). A model that fails shows its error in its row."
        },
        footer = {"", "Examples:",
            "  vae4j compare --epochs 2 --backend tensorflow",
            "  vae4j compare --models ae,vae,beta-vae --data fashion-mnist --out runs/cmp",
            "  vae4j compare --models ae,vae --epochs 1 --limit 5000   (a quick look)"})
final class CompareCommand implements Callable<Integer> {

    static final String MARKDOWN = "compare.md";
    static final String CSV = "compare.csv";
    static final String JSON = "compare.json";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @Option(names = "--models", paramLabel = "NAME,NAME", order = 1,
            description = "The model types to compare, in order ('vae4j models' lists them)."
                    + " Default: every registered model that can train on the data (conditional"
                    + " ones only on labelled data).")
    String models;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", order = 2,
            description = "Epochs each model trains. Default: ${DEFAULT-VALUE}. Range: 1 to "
                    + Flags.EPOCHS_MAX + ".")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", order = 3,
            description = "Examples per optimizer step, 1 to " + Flags.BATCH_SIZE_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "1e-3", order = 4,
            description = "Adam's learning rate, > 0 and at most " + (int) Flags.LR_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--hidden", paramLabel = "N[,N...]", split = ",", order = 5,
            description = "Hidden widths, for every model with a 'hidden' setting. Default:"
                    + " each model's own.")
    List<Integer> hidden;

    @Option(names = "--latent", paramLabel = "N", order = 6,
            description = "Latent width, for every model with a 'latent' setting, 1 to "
                    + org.vae4j.models.Options.MAX_WIDTH + ". Default: each model's own.")
    Integer latent;

    @Option(names = "--arch", paramLabel = "mlp|conv", order = 7,
            description = "Architecture, for every model with an 'arch' setting. Default: each"
                    + " model's own (mlp).")
    String arch;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 8,
            description = "Seed of every model's weights, data order, noise and of the"
                    + " evaluation; " + Flags.SEED_RANGE + ". Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", order = 9,
            description = "The folder of the table and the runs. Default:"
                    + " runs/compare-DATE-TIME.")
    Path out;

    @Option(names = "--force", order = 10,
            description = "Replace an earlier comparison in --out (its table and the runs of"
                    + " the models compared again).")
    boolean force;

    @Option(names = "--limit", paramLabel = "N", order = 11,
            description = "Train on the first N training examples only, 1 to "
                    + Flags.LIMIT_MAX + ".")
    Integer limit;

    @Option(names = "--test-limit", paramLabel = "N", order = 12,
            description = "Evaluate on the first N test examples only, 1 to "
                    + Flags.LIMIT_MAX + ".")
    Integer testLimit;

    @Option(names = "--iw-samples", paramLabel = "K", defaultValue = "50", order = 13,
            description = "Importance samples per example for the NLL estimate; 0 skips it."
                    + " 0 to " + Flags.IW_SAMPLES_MAX + ". Default: ${DEFAULT-VALUE}.")
    int iwSamples;

    @Option(names = "--draws", paramLabel = "N", defaultValue = "1000", order = 14,
            description = "Samples from the prior for the sample-quality figure, 1 to "
                    + Flags.IMAGES_MAX + ". Default: ${DEFAULT-VALUE}.")
    int draws;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;
    private final Provider<Set<TrainingListener>> listeners;

    @Inject
    CompareCommand(ModelRegistry registry, BackendChooser backends,
            Provider<Set<TrainingListener>> listeners) {
        this.registry = registry;
        this.backends = backends;
        this.listeners = listeners;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        Flags.inRange(cl, "--epochs", epochs, 1, Flags.EPOCHS_MAX);
        Flags.inRange(cl, "--batch-size", batchSize, 1, Flags.BATCH_SIZE_MAX);
        Flags.positive(cl, "--lr", learningRate, Flags.LR_MAX);
        Flags.inRange(cl, "--latent", latent, 1, org.vae4j.models.Options.MAX_WIDTH);
        Flags.inRange(cl, "--limit", limit, 1, Flags.LIMIT_MAX);
        Flags.inRange(cl, "--test-limit", testLimit, 1, Flags.LIMIT_MAX);
        Flags.inRange(cl, "--iw-samples", iwSamples, 0, Flags.IW_SAMPLES_MAX);
        Flags.inRange(cl, "--draws", draws, 1, Flags.IMAGES_MAX);
        if (hidden != null) {
            for (Integer h : hidden) {
                Flags.inRange(cl, "--hidden", h, 1, org.vae4j.models.Options.MAX_WIDTH);
            }
        }
        if (arch != null && !List.of("mlp", "conv").contains(arch.trim().toLowerCase(Locale.ROOT))) {
            throw Flags.error(cl, "--arch must be mlp or conv, got '" + arch + "'");
        }
        backendOptions.validate(cl);
        boolean chosen = models != null;
        List<ModelProvider> providers = chosen ? parseModels(cl, models) : registry.list();
        Path dir = out != null ? out : Path.of("runs", "compare-" + LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        checkOut(dir, providers);

        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        PrintWriter stdout = cl.getOut();
        PrintWriter stderr = cl.getErr();
        DataSource source = DataSource.of(cl, dataOptions, null, stderr);
        DataSource.Loaded data = source.load(limit);
        Dataset train = data.train();
        Dataset test = testLimit != null ? data.test().take(testLimit) : data.test();
        DataSource.report(data, stderr);
        SampleQuality quality = train.hasLabels() && test.hasLabels()
                ? SampleQuality.fit(train, test) : null;

        ComparisonTable table = new ComparisonTable(iwSamples, settings(source, backend,
                train, test, quality));
        List<String> notes = new ArrayList<>();
        long start = System.nanoTime();
        int failed = 0;
        Files.createDirectories(dir);
        int index = 0;
        for (ModelProvider provider : providers) {
            index++;
            ModelConfig config = settingsFor(provider, notes);
            config = TrainCommand.forTable(provider, config, data.preprocessing(), stderr);
            Model model;
            try {
                model = registry.create(provider.name(), config, backend, seed);
            } catch (RuntimeException e) {
                table.add(ComparisonTable.Row.failed(provider.name(), null, null,
                        ErrorHandler.describe(e)));
                failed++;
                continue;
            }
            try (Model m = model) {
                try {
                    m.checkData(m.shaped(train));
                    m.checkData(m.shaped(test));
                } catch (IllegalArgumentException e) {
                    if (!chosen) {
                        notes.add(provider.name() + " is left out: " + e.getMessage());
                        continue;
                    }
                    table.add(ComparisonTable.Row.failed(provider.name(), m.parameterCount(),
                            null, e.getMessage()));
                    failed++;
                    continue;
                }
                stderr.printf(Locale.ROOT, "%n%s (%d of %d) into %s%n", provider.name(),
                        index, providers.size(), dir.resolve(provider.name()));
                stderr.flush();
                Outcome o = trainAndMeasure(dir.resolve(provider.name()), provider, m, source,
                        train, test, quality, stderr);
                table.add(o.row());
                failed += o.row().error() != null ? 1 : 0;
                if (o.interrupted() != 0) {
                    write(dir, table, notes, stdout, start);
                    return o.interrupted();
                }
            }
        }
        write(dir, table, notes, stdout, start);
        if (failed > 0) {
            stderr.println("error: " + failed + " of " + table.rows().size()
                    + " models failed; their errors are in the table");
            stderr.flush();
            return 1;
        }
        return 0;
    }

    /** A model's row, and the exit code of an interrupt that stopped it (else 0). */
    private record Outcome(ComparisonTable.Row row, int interrupted) {
    }

    private Outcome trainAndMeasure(Path runDir, ModelProvider provider, Model m,
            DataSource source, Dataset train, Dataset test, SampleQuality quality,
            PrintWriter stderr) {
        RunConfig config = new RunConfig(provider.name(), m.config(), "adam", learningRate,
                batchSize, epochs, seed, m.backend().name(), backendOptions.threads,
                source.spec(), limit,
                source.cache() == null ? null : source.cache().toAbsolutePath().toString(),
                0, TrainingFlags.Settings.DEFAULT,
                OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        long parameters = m.parameterCount();
        Double seconds = null;
        try (NewRun run = NewRun.begin(runDir, force);
             Interrupts interrupts = Interrupts.install(stderr)) {
            try {
                RunFolder.writeConfig(run.work(), config);
                Set<TrainingListener> all = new LinkedHashSet<>();
                all.add(run.commitOnFirstCheckpoint());
                all.addAll(listeners.get());
                long t0 = System.nanoTime();
                TrainingResult result = RunTrainer.fit(run.work(), config, m, train, test, all,
                        null, interrupts);
                seconds = (System.nanoTime() - t0) / 1e9;
                if (result.stopped()) {
                    String message = "interrupted (" + result.stopReason() + ")"
                            + (run.committed() ? "; continue with 'vae4j resume --run "
                            + runDir + "'" : "");
                    return new Outcome(ComparisonTable.Row.failed(provider.name(), parameters,
                            seconds, message), interrupts.exitCode() != 0
                            ? interrupts.exitCode() : 1);
                }
                interrupts.close();
                RunTrainer.finish(runDir, config, m, train, test, result, stderr);
                Dataset shapedTest = m.shaped(test);
                ComparisonMetrics.Figures figures = ComparisonMetrics.of(m, shapedTest, quality,
                        iwSamples, draws, seed, stderr);
                return new Outcome(new ComparisonTable.Row(provider.name(), figures,
                        parameters, seconds, null), 0);
            } catch (RuntimeException | IOException | LinkageError | OutOfMemoryError e) {
                String message = RunTrainer.withoutCheckpointClaim(
                        run.publicMessage(ErrorHandler.describe(e)));
                if (!run.committed()) {
                    run.abandon();
                }
                return new Outcome(ComparisonTable.Row.failed(provider.name(), parameters,
                        seconds, message), 0);
            }
        } catch (RuntimeException e) {
            // the run folder could not be prepared
            return new Outcome(ComparisonTable.Row.failed(provider.name(), parameters, null,
                    ErrorHandler.describe(e)), 0);
        }
    }

    /** The providers {@code list} names, in its order; a blank, unknown or repeated name fails. */
    private List<ModelProvider> parseModels(CommandLine cl, String list) {
        String known = String.join(", ", registry.list().stream().map(ModelProvider::name)
                .toList());
        if (list.isBlank()) {
            throw Flags.error(cl, "--models is empty; give one or more of: " + known);
        }
        List<ModelProvider> providers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : list.split(",", -1)) {
            String name = raw.trim();
            if (name.isEmpty()) {
                throw Flags.error(cl, "--models '" + list + "' has an empty name; give names"
                        + " separated by commas, from: " + known);
            }
            ModelProvider p;
            try {
                p = registry.provider(name);
            } catch (IllegalArgumentException e) {
                throw Flags.error(cl, "--models: " + e.getMessage());
            }
            if (!seen.add(p.name())) {
                throw Flags.error(cl, "--models names '" + p.name() + "' twice; give each model"
                        + " once");
            }
            providers.add(p);
        }
        return providers;
    }

    /**
     * Refuses, before any work, an output folder that is a file, holds files that are not a
     * comparison's, or holds an earlier comparison or run of a compared model without --force.
     */
    private void checkOut(Path dir, List<ModelProvider> providers) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException("the output folder " + dir + " is a file; give --out a"
                    + " folder");
        }
        if (Files.isDirectory(dir)) {
            Set<String> ours = new LinkedHashSet<>(List.of(MARKDOWN, CSV, JSON));
            registry.list().forEach(p -> ours.add(p.name()));
            List<String> foreign;
            try (Stream<Path> s = Files.list(dir)) {
                foreign = s.map(p -> p.getFileName().toString())
                        .filter(n -> !ours.contains(n) && !n.startsWith(".")).sorted().toList();
            }
            if (!foreign.isEmpty()) {
                throw new CliException("cannot write a comparison to " + dir + ": it holds "
                        + String.join(", ", foreign.stream().limit(3).toList())
                        + (foreign.size() > 3 ? ", ..." : "") + ", which is not a comparison's;"
                        + " choose another --out");
            }
            if (Files.exists(dir.resolve(JSON)) && !force) {
                throw new CliException("the output folder " + dir + " already holds a"
                        + " comparison (" + JSON + "); choose another --out or add --force to"
                        + " replace it");
            }
        }
        for (ModelProvider p : providers) {
            NewRun.check(dir.resolve(p.name()), force);
        }
    }

    /** The model settings of the shared budget that {@code provider} has; notes the others. */
    private ModelConfig settingsFor(ModelProvider provider, List<String> notes) {
        Map<String, Object> given = new LinkedHashMap<>();
        if (hidden != null) {
            given.put("hidden", hidden.stream().mapToInt(Integer::intValue).toArray());
        }
        if (latent != null) {
            given.put("latent", latent);
        }
        if (arch != null) {
            given.put("arch", arch.trim().toLowerCase(Locale.ROOT));
        }
        Set<String> names = new LinkedHashSet<>(provider.options().stream()
                .map(ModelOption::name).toList());
        Map<String, Object> applied = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        given.forEach((k, v) -> {
            if (names.contains(k)) {
                applied.put(k, v);
            } else {
                missing.add(k);
            }
        });
        if (!missing.isEmpty()) {
            notes.add(provider.name() + " has no setting " + String.join(", ", missing.stream()
                    .map(k -> "'" + k + "'").toList()) + ": it keeps its own default");
        }
        return ModelConfig.of(applied);
    }

    private Map<String, Object> settings(DataSource source, Backend backend, Dataset train,
            Dataset test, SampleQuality quality) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("data", source.spec());
        s.put("train_examples", train.size());
        s.put("test_examples", test.size());
        s.put("epochs", epochs);
        s.put("batch_size", batchSize);
        s.put("optimizer", "adam");
        s.put("learning_rate", learningRate);
        s.put("hidden", hidden);
        s.put("latent", latent);
        s.put("arch", arch);
        s.put("seed", seed);
        s.put("backend", backend.name());
        s.put("iw_samples", iwSamples);
        s.put("draws", draws);
        s.put("sample_radius", quality == null ? null : quality.radius());
        return s;
    }

    private void write(Path dir, ComparisonTable table, List<String> notes, PrintWriter stdout,
            long start) throws IOException {
        double minutes = (System.nanoTime() - start) / 60e9;
        StringBuilder md = new StringBuilder(table.markdown());
        for (String n : notes) {
            md.append("\nnote: ").append(n);
        }
        if (!notes.isEmpty()) {
            md.append('\n');
        }
        AtomicFiles.writeString(dir.resolve(CSV), table.csv());
        AtomicFiles.writeString(dir.resolve(JSON), table.json());
        AtomicFiles.writeString(dir.resolve(MARKDOWN), md.toString());
        stdout.printf(Locale.ROOT, "%n%s%n", md);
        stdout.printf(Locale.ROOT, "wrote %s, %s and %s in %s (%.1f minutes); the runs are in"
                + " %s/MODEL%n", MARKDOWN, CSV, JSON, dir, minutes, dir);
        stdout.flush();
    }
}
