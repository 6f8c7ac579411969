package org.vae4j.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.tensor.Backend;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.TrainerState;
import org.vae4j.train.TrainingDivergedException;
import org.vae4j.train.TrainingListener;
import org.vae4j.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vae4j resume}: continues a run from its newest checkpoint. */
@Command(name = "resume", sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "vae4j resume --run=DIR [OPTIONS]",
        description = {
            "Continue a run from its newest checkpoint until it has trained N epochs in all"
                    + " (default: the epochs it planned). On the same backend the result is"
                    + " exactly that of an uninterrupted run.",
            "The model, optimizer, batch size, seed, data, gradient clipping, accumulation and"
                    + " learning-rate schedule come from the run's config.json."
        },
        footer = {"", "Examples:",
            "  vae4j resume --run runs/vae-20250101-120000               (finish an interrupted run)",
            "  vae4j resume --run runs/vae-20250101-120000 --epochs 20   (train 10 more epochs)"})
final class ResumeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HelpOption help;

    @Option(names = "--run", paramLabel = "DIR", required = true, order = 1,
            description = "The run folder to continue.")
    Path run;

    @Option(names = "--epochs", paramLabel = "N", order = 2,
            description = "Train until N epochs are done in all. Default: the run's planned"
                    + " epochs. 1 to " + Flags.EPOCHS_MAX + ".")
    Integer epochs;

    @Option(names = "--backend", paramLabel = "NAME", order = 3,
            description = "Continue on another backend (the result then differs in rounding"
                    + " from an uninterrupted run). Default: the run's backend.")
    String backendName;

    @Option(names = "--threads", paramLabel = "N", order = 4,
            description = "Threads the backend's kernels may use. Default: the run's setting,"
                    + " else all cores. " + Flags.THREADS_RANGE + ".")
    Integer threads;

    private final ModelRegistry registry;
    private final BackendChooser backends;
    private final Provider<Set<TrainingListener>> listeners;

    @Inject
    ResumeCommand(ModelRegistry registry, BackendChooser backends,
            Provider<Set<TrainingListener>> listeners) {
        this.registry = registry;
        this.backends = backends;
        this.listeners = listeners;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        Flags.inRange(cl, "--epochs", epochs, 1, Flags.EPOCHS_MAX);
        Flags.threads(cl, "--threads", threads);
        Flags.notBlank(cl, "--backend", backendName);
        NewRun.cleanLeftovers(run);
        RunFolder folder = RunFolder.open(run);
        RunConfig saved = folder.config();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        Path checkpoint = chooseCheckpoint(folder, err);
        TrainerState state = Checkpoint.readState(checkpoint);
        int done = state.epoch();
        int target = epochs != null ? epochs : saved.epochs();
        if (target <= done && state.batch() == 0) {
            throw Flags.error(cl, run + " has already trained " + done + " epoch"
                    + (done == 1 ? "" : "s") + (epochs == null ? ", all it planned" : "")
                    + "; give --epochs N with N > " + done + " to train further");
        }
        if (target <= done) {
            throw Flags.error(cl, run + " is in epoch " + (done + 1) + "; --epochs must be at"
                    + " least " + (done + 1) + " to finish it");
        }
        RunConfig config = saved.withEpochs(target);
        Backend backend = backends.choose(backendName != null ? backendName : saved.backend(),
                threads != null ? threads : saved.threads());
        DataSource.Loaded data = DataSource.fromSpec(saved.dataset(),
                saved.dataDir() == null ? null : Path.of(saved.dataDir()),
                run.resolve(RunFolder.CONFIG).toString()).load(saved.limit(), storedIn(run));
        Dataset train = data.train();
        Dataset test = data.test();
        try (Model model = registry.create(saved.model(), saved.modelConfig(), backend,
                saved.seed());
             Interrupts interrupts = Interrupts.install(err)) {
            model.checkData(model.shaped(train));
            out.println("resuming " + run + " at epoch " + (done + 1) + " of " + target
                    + " from " + run.relativize(checkpoint));
            out.flush();
            long from = Checkpoint.stepOf(checkpoint);
            Set<TrainingListener> all = new LinkedHashSet<>();
            all.add(configOnFirstCheckpoint(config, saved));
            all.addAll(listeners.get());
            TrainingResult result;
            try {
                result = RunTrainer.fit(run, config, model, train, test, all, checkpoint,
                        interrupts);
            } catch (TrainingDivergedException | UncheckedIOException e) {
                throw new CliException(RunTrainer.withoutCheckpointClaim(
                        ErrorHandler.describe(e)) + RunTrainer.hint(e) + " ("
                        + keptClause(from) + ")", e);
            }
            if (result.stopped()) {
                err.println(RunTrainer.interruptedLine(result.stopReason(), run,
                        newestStep() > from));
                err.flush();
                return interrupts.exitCode() != 0 ? interrupts.exitCode() : 1;
            }
            interrupts.close();
            RunTrainer.finish(run, config, model, train, test, result, out);
        }
        return 0;
    }

    /**
     * The newest checkpoint that can be resumed from. One that cannot be read is skipped with a
     * note naming it and why; when none can, the error names each.
     */
    private Path chooseCheckpoint(RunFolder folder, PrintWriter err) {
        List<Path> checkpoints = folder.checkpoints();
        if (checkpoints.isEmpty()) {
            throw new CliException(run + " has no checkpoint to resume from (its training"
                    + " failed before the first epoch ended); start it again with 'vae4j train"
                    + " --out " + run + " --force'");
        }
        List<String> skipped = new ArrayList<>();
        for (Path c : checkpoints) {
            try {
                Checkpoint.validate(c, folder.config().model());
            } catch (IOException | RuntimeException e) {
                skipped.add(ErrorHandler.describe(e));
                continue;
            }
            if (!skipped.isEmpty()) {
                err.println("note: skipped the newer checkpoint" + (skipped.size() == 1 ? " "
                        : "s ") + String.join("; ", skipped) + "; resuming from the newest"
                        + " valid one, " + c + " (" + RunFolder.describe(c) + ")");
                err.flush();
            }
            return c;
        }
        throw new CliException("cannot resume " + run + ": " + (checkpoints.size() == 1
                ? "its checkpoint cannot be read: " + skipped.get(0)
                : "none of its " + checkpoints.size() + " checkpoints can be read: "
                + String.join("; ", skipped)));
    }

    /** Writes the new planned epochs into config.json once the first checkpoint exists. */
    private TrainingListener configOnFirstCheckpoint(RunConfig config, RunConfig saved) {
        return new TrainingListener() {
            private boolean written = config.epochs() == saved.epochs();

            @Override
            public void onCheckpoint(Path checkpoint, long step) {
                if (!written) {
                    try {
                        RunFolder.writeConfig(run, config);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write " + run.resolve(
                                RunFolder.CONFIG) + ": " + RunFolder.reason(e), e);
                    }
                    written = true;
                }
            }
        };
    }

    private long newestStep() {
        try {
            List<Path> all = Checkpoint.all(run);
            return all.isEmpty() ? -1 : Checkpoint.stepOf(all.get(0));
        } catch (IOException e) {
            return -1;
        }
    }

    private String keptClause(long from) {
        long newest = newestStep();
        return newest > from ? "the checkpoint of step " + newest + " in " + run + " is kept:"
                + " continue with 'vae4j resume --run " + run + "'"
                : run + " is unchanged: it still resumes from step " + from;
    }

    /** The run's saved preprocessing (applied, never refitted), or null for an older run. */
    private static org.vae4j.data.Preprocessing storedIn(Path run) throws java.io.IOException {
        Path file = run.resolve(org.vae4j.data.Preprocessing.FILE);
        return java.nio.file.Files.exists(file) ? org.vae4j.data.Preprocessing.load(file) : null;
    }
}
