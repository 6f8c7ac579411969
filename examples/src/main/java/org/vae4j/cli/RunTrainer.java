package org.vae4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.vae4j.data.Dataset;
import org.vae4j.model.Model;
import org.vae4j.optim.Adam;
import org.vae4j.optim.Sgd;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.Optimizers;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainingListener;
import org.vae4j.train.TrainingResult;
import org.vae4j.train.TrainingStep;

/**
 * What {@code train} and {@code resume} share: running the {@link Trainer} on a run folder as
 * its {@code config.json} says, then writing the final weights and the pictures.
 */
final class RunTrainer {

    /** Optimizers by the name {@code --optimizer} and {@code config.json} use. */
    static final List<String> OPTIMIZERS = List.of("adam", "sgd");

    private RunTrainer() {
    }

    /**
     * The run's optimizers with its clipping and learning-rate schedule: one over every
     * parameter, or one per parameter group of a model that trains its parts separately (each of
     * the run's type, at the run's learning rate unless the model's settings give the group
     * another).
     */
    static Optimizers optimizers(RunConfig config, Model model) {
        Optimizers.Factory factory = switch (config.optimizer()) {
            case "adam" -> Adam::new;
            case "sgd" -> Sgd::new;
            default -> throw new CliException("unknown optimizer '" + config.optimizer()
                    + "'; known: " + String.join(", ", OPTIMIZERS));
        };
        Optimizers optimizers = Optimizers.forModel(model, config.learningRate(), factory);
        optimizers.all().forEach(config.step()::applyTo);
        return optimizers;
    }

    /** Checkpoints kept in a run folder: the newest, and one to fall back to if it is damaged. */
    static final int KEEP_CHECKPOINTS = 2;

    /**
     * Trains (or continues from {@code resumeFrom}, a checkpoint folder) the run in {@code dir}
     * to its planned epochs. {@code interrupts} gets the trainer, so that a signal stops it at
     * the next step boundary with a checkpoint ({@link TrainingResult#stopped()}).
     */
    static TrainingResult fit(Path dir, RunConfig config, Model model, Dataset train,
            Dataset test, Set<TrainingListener> listeners, Path resumeFrom,
            Interrupts interrupts) {
        try (Optimizers optimizers = optimizers(config, model)) {
            // MNIST rows become 1x28x28 images for a model that reads images (no copy)
            Trainer.Builder b = Trainer.builder().setModel(model).setOptimizers(optimizers)
                    .optTrainingStep(TrainingStep.forModel(model))
                    .setTrainData(model.shaped(train))
                    .optTestData(test == null ? null : model.shaped(test)).optBatchSize(config.batchSize())
                    .optEvalBatchSize(Math.max(config.batchSize(), 500))
                    .optEpochs(config.epochs()).optSeed(config.seed()).optRunDirectory(dir)
                    .optCheckpointEvery(config.checkpointEvery())
                    .optAccumulate(config.step().accumulate())
                    .optKeepCheckpoints(KEEP_CHECKPOINTS);
            listeners.forEach(b::addListener);
            if (resumeFrom != null) {
                b.optResumeFrom(resumeFrom);
            }
            Trainer trainer = b.build();
            if (interrupts != null) {
                interrupts.attach(trainer);
            }
            return trainer.fit();
        } finally {
            for (TrainingListener l : listeners) {
                if (l instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // a display that cannot close is no reason to lose the run
                    }
                }
            }
        }
    }

    /**
     * The one line after an interrupted training that has a checkpoint in {@code dir}: which one
     * was kept and how to continue. {@code wrote} says whether this training wrote it.
     */
    static String interruptedLine(String signal, Path dir, boolean wrote) {
        List<Path> all;
        try {
            all = Checkpoint.all(dir);
        } catch (IOException e) {
            all = List.of();
        }
        if (all.isEmpty()) {
            return "interrupted (" + signal + "): " + dir + " has no checkpoint";
        }
        Path newest = all.get(0);
        return "interrupted (" + signal + "): " + (wrote ? "kept the checkpoint "
                : "nothing new was written; the newest checkpoint is ") + dir.relativize(newest)
                + " (" + RunFolder.describe(newest) + ") in " + dir + "; continue with"
                + " 'vae4j resume --run " + dir + "'";
    }

    /** What to do about a failure whose cause is a full disk, or "". */
    static String hint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("No space left on device")) {
                return "; free some space on that disk (or choose a folder on another one)";
            }
        }
        return "";
    }

    /** A trainer message without its claim about the last checkpoint (the command says that). */
    static String withoutCheckpointClaim(String message) {
        return message == null ? null
                : message.replaceAll("; the last checkpoint in .* holds the weights from before",
                        "");
    }

    /**
     * After training (the trainer has already fitted what is fitted after training, such as a
     * VQ-VAE's code prior): writes {@code model.safetensors} and the pictures, and reports them on {@code out}.
     */
    static void finish(Path dir, RunConfig config, Model model, Dataset train, Dataset test,
            TrainingResult result, PrintWriter out) throws IOException {
        Checkpoint.saveWeights(dir.resolve(RunFolder.WEIGHTS), model, result.finalStep());
        List<String> pictures = Artifacts.writeAll(dir, model, test, result.epochs(),
                describe(config, train));
        var last = result.lastEpoch();
        out.printf(Locale.ROOT, "%nrun folder %s%n", dir);
        int epochs = result.epochs().size();
        out.printf(Locale.ROOT, "  %-20s weights after %d epoch%s (test loss %s)%n",
                RunFolder.WEIGHTS, epochs, epochs == 1 ? "" : "s",
                ProgressBarListener.number(last.test().getOrDefault("loss", Double.NaN)));
        out.printf(Locale.ROOT, "  %-20s loss terms per epoch; %s holds the settings%n",
                RunFolder.METRICS, RunFolder.CONFIG);
        out.printf(Locale.ROOT, "  %s%n", String.join("  ", pictures));
        out.printf(Locale.ROOT, "next: vae4j eval --run %s%n", dir);
        out.flush();
    }

    /**
     * "vae on MNIST" or "vae on 5000 MNIST images" (or the data set's file name): the head of
     * every picture's title.
     */
    static String describe(RunConfig config, Dataset train) {
        return config.model() + " on " + (config.limit() != null ? train.size() + " " : "")
                + DataSource.titleOf(config.dataset())
                + (config.limit() != null ? (train.hasImageShape() ? " images" : " examples")
                : "");
    }
}
