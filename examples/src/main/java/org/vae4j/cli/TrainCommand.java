package org.vae4j.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelProvider;
import org.vae4j.tensor.Backend;
import org.vae4j.train.TrainingListener;
import org.vae4j.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae4j train}: trains a model on MNIST into a new run folder. */
@Command(name = "train", sortOptions = false,
        usageHelpAutoWidth = true, abbreviateSynopsis = true,
        description = {
            "Train a model on MNIST and write a run folder: config.json, metrics.csv,"
                    + " checkpoints, model.safetensors and pictures (reconstructions.png,"
                    + " samples.png, latent.png, loss.png).",
            "",
            "With no options: the classic VAE (784-400-20, ReLU, Bernoulli likelihood), Adam"
                    + " 1e-3, batch 128, 10 epochs, seed 1, into runs/vae-DATE-TIME."
        },
        footer = {"", "Examples:",
            "  vae4j train",
            "  vae4j train --epochs 1 --limit 5000                  (a quick look)",
            "  vae4j train --model ae --latent 32 --backend ejml",
            "  vae4j train --model beta-vae --beta 4",
            "  vae4j train --model dae --noise gaussian --noise-level 0.5",
            "  vae4j train --model vq-vae --codebook-size 256 --ema",
            "  vae4j train --model vae --set activation=tanh --set likelihood=gaussian"})
final class TrainCommand implements Callable<Integer>, ModelFlags.Host {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "vae", order = 1,
            description = "The model type: ae, dae, vae, cvae, beta-vae, vq-vae or any other"
                    + " registered one ('vae4j models' lists them). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", order = 2,
            description = "Epochs to train. Default: ${DEFAULT-VALUE}. Range: 1 to "
                    + Flags.EPOCHS_MAX + ".")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", order = 3,
            description = "Examples per optimizer step, 1 to " + Flags.BATCH_SIZE_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "1e-3", order = 4,
            description = "Learning rate, > 0 and at most " + (int) Flags.LR_MAX
                    + ". Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", order = 5,
            description = "adam or sgd. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 6,
            description = "Seed of the initial weights, the data order and all noise; the same"
                    + " seed gives the same run; " + Flags.SEED_RANGE
                    + ". Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", order = 7,
            description = "The run folder to write. Default: runs/MODEL-DATE-TIME.")
    Path out;

    @Option(names = "--force", order = 8,
            description = "Replace the run in --out if it holds one (else that is refused).")
    boolean force;

    @Option(names = "--limit", paramLabel = "N", order = 9,
            description = "Train on the first N training images only (handy for quick runs)."
                    + " The test set stays whole. 1 to " + Flags.LIMIT_MAX + ".")
    Integer limit;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", defaultValue = "0", order = 10,
            description = "Also checkpoint every STEPS optimizer steps, not only at the end of"
                    + " each epoch; 0 to " + Flags.CHECKPOINT_EVERY_MAX + ". Default:"
                    + " ${DEFAULT-VALUE} (epoch ends only).")
    long checkpointEvery;

    @Option(names = "--calibrate", paramLabel = "P", order = 11,
            description = "After training, calibrate the anomaly threshold on the test data"
                    + " (which should be normal: --test-data NORMAL) with contamination P, as"
                    + " 'vae4j calibrate --contamination P' does; writes threshold.json.")
    Double calibrate;

    @Mixin
    TrainingFlags trainingFlags;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    private final ModelRegistry registry;
    private final BackendChooser backends;
    private final Provider<Set<TrainingListener>> listeners;

    @Inject
    TrainCommand(ModelRegistry registry, BackendChooser backends,
            Provider<Set<TrainingListener>> listeners) {
        this.registry = registry;
        this.backends = backends;
        this.listeners = listeners;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        Flags.notBlank(cl, "--model", model);
        Flags.inRange(cl, "--epochs", epochs, 1, Flags.EPOCHS_MAX);
        Flags.inRange(cl, "--batch-size", batchSize, 1, Flags.BATCH_SIZE_MAX);
        Flags.positive(cl, "--lr", learningRate, Flags.LR_MAX);
        Flags.inRange(cl, "--limit", limit, 1, Flags.LIMIT_MAX);
        Flags.inRange(cl, "--checkpoint-every", checkpointEvery, 0L, Flags.CHECKPOINT_EVERY_MAX);
        trainingFlags.validate(cl);
        backendOptions.validate(cl);
        if (calibrate != null && !(calibrate > 0 && calibrate < 1)) {
            throw Flags.error(cl, "--calibrate must lie strictly between 0 and 1 (the share of"
                    + " normal data to flag), got " + calibrate);
        }
        String optimizerName = optimizer.trim().toLowerCase(java.util.Locale.ROOT);
        if (!RunTrainer.OPTIMIZERS.contains(optimizerName)) {
            throw Flags.error(cl, "--optimizer must be one of "
                    + String.join(", ", RunTrainer.OPTIMIZERS) + ", got '" + optimizer + "'");
        }
        ModelFlags.Choice choice = ModelFlags.resolve(cl, registry, model);
        ModelProvider provider = choice.provider();
        ModelConfig settings = choice.settings();

        // Everything that can fail on bad input fails before the run folder is touched.
        Backend backend = backends.choose(backendOptions.name, backendOptions.threads);
        PrintWriter stdout = cl.getOut();
        DataSource source = DataSource.of(cl, dataOptions, null, cl.getErr());
        DataSource.Loaded data = source.load(limit);
        Dataset train = data.train();
        Dataset test = data.test();
        DataSource.report(data, stdout);
        settings = forTable(provider, settings, data.preprocessing(), stdout);
        if (limit != null && limit > train.size()) {
            stdout.println("note: --limit " + limit + " is more than the " + train.size()
                    + " training images; using them all");
        }
        if (train.size() < batchSize) {
            stdout.println("note: " + train.size() + " training images make one batch smaller"
                    + " than --batch-size " + batchSize);
        }
        try (Model m = Flags.createModel(cl, registry, provider.name(), settings, backend,
                seed)) {
            m.checkData(m.shaped(train));
            m.checkData(m.shaped(test));
            long batchesPerEpoch = (train.size() + batchSize - 1) / batchSize;
            RunConfig config = new RunConfig(provider.name(), m.config(), optimizerName,
                    learningRate, batchSize, epochs, seed, backend.name(),
                    backendOptions.threads, source.spec(), limit,
                    source.cache() == null ? null : source.cache().toAbsolutePath().toString(),
                    checkpointEvery,
                    trainingFlags.settings(epochs * batchesPerEpoch / trainingFlags.accumulate),
                    OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());

            String card = org.vae4j.data.DataCard.toJson(source.spec(), source.kindName(), train,
                    test, data.preprocessing(), data.split(), source.files());
            Path dir = out != null ? out : RunFolder.defaultFor(provider.name());
            return trainInto(dir, config, m, train, test, data.preprocessing(), card, stdout,
                    cl.getErr());
        }
    }

    /**
     * A table's model settings: unless given, the input width is the encoded row's, and a model
     * with a {@code table-columns} setting gets the fitted schema's layout: the VAE family the
     * per-column likelihood, {@code likelihood=table}; the AE and DAE the per-column losses.
     */
    static ModelConfig forTable(ModelProvider provider, ModelConfig settings,
            org.vae4j.data.Preprocessing preprocessing, PrintWriter out) {
        if (preprocessing == null || !preprocessing.isTable()) {
            return settings;
        }
        var names = provider.options().stream().map(o -> o.name()).toList();
        ModelConfig s = settings;
        if (names.contains("input") && !s.has("input")) {
            s = s.with("input", preprocessing.schema().width());
        }
        boolean hasLikelihood = names.contains("likelihood");
        if (names.contains("table-columns") && !s.has("likelihood") && !s.has("table-columns")) {
            StringBuilder layout = new StringBuilder();
            for (var c : preprocessing.schema().columns()) {
                layout.append(layout.length() == 0 ? "" : ",").append(switch (c.kind()) {
                    case NUMERIC -> "n";
                    case BINARY -> "b";
                    case CATEGORICAL -> "c" + c.width();
                });
            }
            s = s.with("table-columns", layout.toString());
            if (hasLikelihood) {
                s = s.with("likelihood", "table");
                out.println("likelihood: per column (numeric: Gaussian with a learned variance"
                        + " per column; binary: Bernoulli; categorical: softmax);"
                        + " --set likelihood=... overrides it");
            } else {
                out.println("loss: per column (numeric: squared error; binary: binary"
                        + " cross-entropy; categorical: softmax cross-entropy)");
            }
        }
        return s;
    }

    /**
     * Trains a new run into {@code dir} by the folder lifecycle of {@link NewRun}: a failure
     * before the first checkpoint leaves {@code dir} as it was; after it, the checkpoint is
     * kept for {@code resume}; an interrupt stops at the next step with a checkpoint.
     */
    private int trainInto(Path dir, RunConfig config, Model m, Dataset train, Dataset test,
            org.vae4j.data.Preprocessing preprocessing, String card, PrintWriter stdout,
            PrintWriter stderr) throws java.io.IOException {
        boolean existed = java.nio.file.Files.exists(dir);
        try (NewRun run = NewRun.begin(dir, force);
             Interrupts interrupts = Interrupts.install(stderr)) {
            stdout.println((run.replacing() ? "replacing the run in " : "run folder ") + dir
                    + (run.replacing() ? " (--force)" : ""));
            stdout.flush();
            TrainingResult result;
            try {
                RunFolder.writeConfig(run.work(), config);
                preprocessing.save(run.work().resolve(org.vae4j.data.Preprocessing.FILE));
                org.vae4j.io.AtomicFiles.writeString(
                        run.work().resolve(org.vae4j.data.DataCard.FILE), card);
                Set<TrainingListener> all = new java.util.LinkedHashSet<>();
                all.add(run.commitOnFirstCheckpoint());
                all.addAll(listeners.get());
                result = RunTrainer.fit(run.work(), config, m, train, test, all, null,
                        interrupts);
            } catch (RuntimeException | java.io.IOException | Error e) {
                String message = RunTrainer.withoutCheckpointClaim(
                        run.publicMessage(ErrorHandler.describe(e)));
                if (run.committed()) {
                    throw new CliException(message + RunTrainer.hint(e) + " (the checkpoint in "
                            + dir + " is kept: continue with 'vae4j resume --run " + dir + "')",
                            e);
                }
                run.abandon();
                throw new CliException(message + RunTrainer.hint(e) + " (nothing was kept: "
                        + (run.replacing() ? "the run in " + dir + " is untouched"
                        : existed ? dir + " is as it was" : "no folder was created") + ")", e);
            }
            if (run.warning() != null) {
                stderr.println("warning: " + run.warning());
            }
            if (result.stopped()) {
                stderr.println(run.committed()
                        ? RunTrainer.interruptedLine(result.stopReason(), dir, true)
                        : "interrupted (" + result.stopReason() + ") before the first"
                        + " checkpoint: nothing was kept; " + (run.replacing() ? "the run in "
                        + dir + " is untouched" : existed ? dir + " is as it was"
                        : "no folder was created"));
                stderr.flush();
                return interrupts.exitCode() != 0 ? interrupts.exitCode() : 1;
            }
            interrupts.close();
            RunTrainer.finish(dir, config, m, train, test, result, stdout);
            if (calibrate != null) {
                org.vae4j.anomaly.Threshold t = CalibrateCommand.calibrate(RunFolder.open(dir),
                        m, test, null, null, config.seed(),
                        org.vae4j.anomaly.Threshold.quantileForContamination(calibrate));
                stdout.printf(java.util.Locale.ROOT, "wrote %s (score %s, threshold %.6g, the"
                        + " %.4g quantile of %d test records)%n",
                        dir.resolve(org.vae4j.anomaly.Threshold.FILE), t.score(), t.value(),
                        t.quantile(), t.count());
                stdout.flush();
            }
        }
        return 0;
    }
}
