package org.vae4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.MultiOptimizerModel;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Parameter;
import org.vae4j.optim.Optimizer;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.NonFiniteException;
import org.vae4j.tensor.TensorScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop: epochs of shuffled mini-batches, one {@link TrainingStep} per batch,
 * evaluation on the test split after each epoch, listeners, checkpoints, resume.
 *
 * <pre>{@code
 * TrainingResult result = Trainer.builder()
 *         .setModel(model).setOptimizer(new Adam(model.parameters(), 1e-3))
 *         .setTrainData(Mnist.train()).optTestData(Mnist.test())
 *         .optBatchSize(128).optEpochs(10).optSeed(1)
 *         .optRunDirectory(Path.of("runs/vae")).optCheckpointEvery(1000)
 *         .addListener(new LoggingListener(100))
 *         .build().fit();
 * }</pre>
 *
 * <p>The step is replaceable ({@link Builder#optTrainingStep}): the default computes the model's
 * loss and updates with the one optimizer; another may use several named optimizers ({@link
 * Builder#setOptimizers}), alternating or jointly. A {@link MultiOptimizerModel} brings its own
 * step, which the trainer takes when none is set, with the optimizers of {@link
 * Optimizers#forModel}. With {@link Builder#optAccumulate
 * accumulation} over k batches each update sums the gradients of k consecutive batches (of
 * {@code loss / k}); gradient clipping and learning-rate schedules are settings of each
 * optimizer. Listeners may act through a {@link TrainingControl}: change the learning rate,
 * request a checkpoint or a stop.
 *
 * <p>Each step runs inside one {@link TensorScope}, so nothing but the weights and the optimizer
 * state outlives it. All randomness is a pure function of the seed: the data order of an epoch
 * of (seed, epoch) (see {@link DataLoader}), the noise of a step of (seed, step) (see {@link
 * StepRandom}). A run resumed from a checkpoint therefore ends with exactly the weights of an
 * uninterrupted run on the same backend: every optimizer's state (with gradient sums not yet
 * applied), its learning rate and schedule position are in the checkpoint.
 *
 * <p>After every step each loss term is checked: a NaN or infinite one stops training with a
 * {@link TrainingDivergedException} naming it, and no checkpoint is written of those weights.
 *
 * <p>With a run directory, checkpoints go to {@code checkpoints/step-N/} (see {@link
 * Checkpoint}) at the end of every epoch and every {@code checkpointEvery} steps, and a
 * {@link MetricsCsvListener} writes {@code metrics.csv}. The trainer does not own the model or
 * the optimizer: the caller closes them.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** The file the trainer's own metrics listener writes in the run directory. */
    public static final String METRICS_FILE = "metrics.csv";

    private final Model model;
    private final Optimizers optimizers;
    private final TrainingStep trainingStep;
    private final int accumulate;
    private final TrainingControl control;
    private final Dataset trainData;
    private final Dataset testData;
    private final int batchSize;
    private final int evalBatchSize;
    private final int epochs;
    private final long seed;
    private final long checkpointEvery;
    private final int keepCheckpoints;
    private final Path runDirectory;
    private final Path resumeFrom;
    private final List<TrainingListener> listeners;
    private boolean used;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizers = b.optimizers;
        this.trainingStep = b.trainingStep != null ? b.trainingStep
                : TrainingStep.forModel(b.model);
        this.accumulate = b.accumulate;
        this.control = new TrainingControl(optimizers);
        this.trainData = b.trainData;
        this.testData = b.testData;
        this.batchSize = b.batchSize;
        this.evalBatchSize = b.evalBatchSize > 0 ? b.evalBatchSize : b.batchSize;
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.checkpointEvery = b.checkpointEvery;
        this.keepCheckpoints = b.keepCheckpoints;
        this.runDirectory = b.runDirectory;
        this.resumeFrom = b.resumeFrom;
        List<TrainingListener> all = new ArrayList<>(b.listeners);
        if (runDirectory != null && b.metricsCsv) {
            all.add(new MetricsCsvListener(runDirectory.resolve(METRICS_FILE)));
        }
        this.listeners = List.copyOf(all);
    }

    /** Starts a trainer: {@code setX} is required, {@code optX} optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** The sums over the examples of the epoch in progress, for its averages. */
    private static final class EpochTotals {
        final Map<String, Double> sums = new LinkedHashMap<>();
        long examples;
        double trainSeconds;

        void add(Map<String, Double> values, int n, double seconds) {
            values.forEach((k, v) -> sums.merge(k, v * n, Double::sum));
            examples += n;
            trainSeconds += seconds;
        }

        Map<String, Double> means() {
            Map<String, Double> m = new LinkedHashMap<>();
            sums.forEach((k, v) -> m.put(k, v / examples));
            return m;
        }

        double samplesPerSecond() {
            return trainSeconds > 0 ? examples / trainSeconds : 0;
        }
    }

    /**
     * Asks a running fit() to stop at the next step boundary: the current step finishes, a
     * checkpoint of it is written when the trainer has a run directory, and fit() returns a
     * TrainingResult whose stopReason() is this reason. Safe to call from any thread (a signal
     * handler); calling it before fit() makes fit() stop before its first step.
     */
    public void requestStop(String reason) {
        control.requestStop(reason);
    }

    /** What listeners act through; also for a caller that holds the trainer. */
    public TrainingControl control() {
        return control;
    }

    /**
     * Trains to the planned number of epochs (from the checkpoint when resuming) and returns
     * every epoch's metrics. Can be called once.
     *
     * @throws TrainingDivergedException when a loss term becomes NaN or infinite
     * @throws UncheckedIOException when a checkpoint or metrics file cannot be written or read
     */
    public TrainingResult fit() {
        if (used) {
            throw new IllegalStateException("fit() was already called; build a new Trainer to"
                    + " train again (resume from its checkpoint to continue)");
        }
        used = true;
        model.checkData(trainData);
        if (testData != null) {
            model.checkData(testData);
        }
        long startNanos = System.nanoTime();
        Backend backend = model.backend();
        List<Parameter> parameters = List.copyOf(model.parameters().values());

        int startEpoch = 0;
        int startBatch = 0;
        long step = 0;
        EpochTotals totals = new EpochTotals();
        List<EpochSummary> history = new ArrayList<>();
        if (resumeFrom != null) {
            TrainerState state = resume();
            startEpoch = state.epoch();
            startBatch = state.batch();
            step = state.step();
            totals.sums.putAll(state.epochSums());
            totals.examples = state.epochExamples();
            totals.trainSeconds = state.epochSeconds();
            history.addAll(state.history());
        }

        try (DataLoader train = DataLoader.builder(trainData, backend).setBatchSize(batchSize)
                .optShuffle(true).optSeed(seed).build();
             DataLoader test = testData == null ? null : DataLoader.builder(testData, backend)
                     .setBatchSize(evalBatchSize).build()) {
            int batches = train.batchesPerEpoch();
            if (startBatch > batches) {
                throw new IllegalStateException("checkpoint is at batch " + startBatch
                        + " of an epoch of " + batches + " batches");
            }
            TrainingInfo info = new TrainingInfo(model.typeName(), model.parameterCount(),
                    backend.name(), trainData.size(), testData == null ? 0 : testData.size(),
                    batchSize, batches, epochs, startEpoch, startBatch, step, seed, runDirectory,
                    history);
            listeners.forEach(l -> l.onTrainingStart(info));
            Evaluator evaluator = new Evaluator(seed);

            long firstStep = step;
            long savedStep = step;
            String stopped = null;
            epochs:
            for (int epoch = startEpoch; epoch < epochs; epoch++) {
                long epochStart = System.nanoTime();
                double earlierSeconds = totals.trainSeconds;
                for (int b = epoch == startEpoch ? startBatch : 0; b < batches; b++) {
                    if (control.stopReason() != null) {
                        stopped = control.stopReason();
                        // the steps since the last checkpoint are kept; none ran: nothing to keep
                        if (step > firstStep && step != savedStep) {
                            saveCheckpoint(epoch, b, step, totals, history);
                        }
                        break epochs;
                    }
                    long t0 = System.nanoTime();
                    Map<String, Double> values;
                    int n;
                    try (TensorScope scope = backend.newScope()) {
                        Batch batch = train.batch(epoch, b);
                        StepContext context = StepContext.training(step,
                                StepRandom.forStep(seed, step));
                        Loss loss = trainingStep.run(StepEnvironment.accumulating(model, batch,
                                context, optimizers, accumulate));
                        if (loss == null) {
                            throw new IllegalStateException("the training step returned no"
                                    + " loss at step " + step + "; it must return the loss it"
                                    + " computed");
                        }
                        model.afterStep(batch, loss, context);
                        values = loss.values();
                        n = batch.size();
                        // gradients an optimizer did not consume are of this closing scope
                        for (Parameter p : parameters) {
                            p.zeroGrad();
                        }
                    }
                    step++;
                    checkFinite(values, epoch, step);
                    totals.add(values, n, (System.nanoTime() - t0) / 1e9);
                    StepInfo stepInfo = new StepInfo(epoch, step, b, batches, n, values,
                            totals.samplesPerSecond());
                    listeners.forEach(l -> l.onStep(stepInfo, control));
                    boolean asked = control.takeCheckpointRequest();
                    if ((asked || checkpointEvery > 0 && step % checkpointEvery == 0)
                            && b + 1 < batches) {
                        saveCheckpoint(epoch, b + 1, step, totals, history);
                        savedStep = step;
                    }
                }
                Map<String, Double> testValues = test == null ? Map.of()
                        : evaluator.evaluate(model, test, step);
                double seconds = earlierSeconds + (System.nanoTime() - epochStart) / 1e9;
                EpochSummary summary = new EpochSummary(epoch, step, totals.means(), testValues,
                        seconds, totals.samplesPerSecond());
                history.add(summary);
                totals = new EpochTotals();
                saveCheckpoint(epoch + 1, 0, step, totals, history);
                savedStep = step;
                listeners.forEach(l -> l.onEpochEnd(summary, control));
                if (control.takeCheckpointRequest()) {
                    // a listener's change at the epoch's end (a learning rate) is kept
                    saveCheckpoint(epoch + 1, 0, step, totals, history);
                }
            }
            if (stopped == null && control.stopReason() != null && step == firstStep) {
                // asked to stop before the first step of a finished run
                stopped = control.stopReason();
            }
            if (stopped == null) {
                model.afterTraining(train);
            }
            TrainingResult result = new TrainingResult(history, step,
                    (System.nanoTime() - startNanos) / 1e9, stopped);
            listeners.forEach(l -> l.onTrainingEnd(result));
            return result;
        }
    }

    private TrainerState resume() {
        try {
            Path checkpoint = Checkpoint.locate(resumeFrom);
            TrainerState state = Checkpoint.readState(checkpoint);
            String where = checkpoint.resolve(Checkpoint.STATE_FILE).toString();
            if (state.seed() != seed) {
                throw new CheckpointException(where + ": the run used seed " + state.seed()
                        + " but this trainer has seed " + seed + "; resume with the same seed");
            }
            if (state.batchSize() != batchSize) {
                throw new CheckpointException(where + ": the run used batch size "
                        + state.batchSize() + " but this trainer has " + batchSize
                        + "; resume with the same batch size");
            }
            if (state.trainSize() != trainData.size()) {
                throw new CheckpointException(where + ": the run trained on "
                        + state.trainSize() + " examples but this trainer has "
                        + trainData.size() + "; resume with the same training data");
            }
            if (!state.modelType().equals(model.typeName())) {
                throw new CheckpointException(where + ": the run trained a '"
                        + state.modelType() + "' model, but this trainer has a '"
                        + model.typeName() + "'");
            }
            checkSettings(state, where);
            Checkpoint.restore(checkpoint, model, optimizers);
            for (TrainerState.OptimizerSettings o : state.optimizers()) {
                // a listener may have changed it; the run continues with it
                optimizers.get(o.name()).setLearningRate(o.learningRate());
            }
            if (!state.backend().equals(model.backend().name())) {
                LOG.warn("resuming a run trained on the {} backend on {}: results continue"
                        + " correctly but will not match an uninterrupted run bit for bit",
                        state.backend(), model.backend().name());
            }
            LOG.info("resuming from {} at epoch {}, step {}", checkpoint, state.epoch() + 1,
                    state.step());
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The accumulation and each optimizer's schedule and clipping must be the run's. */
    private void checkSettings(TrainerState state, String where) throws IOException {
        if (state.accumulate() != accumulate) {
            throw new CheckpointException(where + ": the run accumulated gradients over "
                    + state.accumulate() + " batch(es) per update but this trainer over "
                    + accumulate + "; resume with the same accumulation");
        }
        if (state.optimizers().isEmpty()) {
            return; // version 1: one optimizer, no schedule or clipping
        }
        List<String> names = state.optimizers().stream()
                .map(TrainerState.OptimizerSettings::name).toList();
        if (!names.equals(optimizers.names())) {
            throw new CheckpointException(where + ": the run has the optimizers " + names
                    + " but this trainer has " + optimizers.names());
        }
        for (TrainerState.OptimizerSettings o : state.optimizers()) {
            Optimizer mine = optimizers.get(o.name());
            String label = optimizers.size() > 1 ? "optimizer '" + o.name() + "'" : "the run";
            if (!o.schedule().equals(mine.schedule().describe())) {
                throw new CheckpointException(where + ": " + label + " used the learning-rate"
                        + " schedule " + o.schedule() + " but this trainer has "
                        + mine.schedule().describe() + "; resume with the same schedule");
            }
            if (!o.clipping().equals(mine.gradientClipping().describe())) {
                throw new CheckpointException(where + ": " + label + " clipped gradients by "
                        + o.clipping() + " but this trainer by "
                        + mine.gradientClipping().describe() + "; resume with the same clipping");
            }
        }
    }

    private void checkFinite(Map<String, Double> values, int epoch, long step) {
        List<String> bad = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (!e.getKey().equals(Loss.TOTAL) && !Double.isFinite(e.getValue())) {
                bad.add("'" + e.getKey() + "' is " + e.getValue());
                first = first == null ? e.getKey() : first;
            }
        }
        String what;
        if (!bad.isEmpty()) {
            what = "loss term " + String.join(", and ", bad);
        } else {
            Double total = values.get(Loss.TOTAL);
            if (total == null || Double.isFinite(total)) {
                return;
            }
            first = Loss.TOTAL;
            what = "the total loss is " + total;
        }
        throw new TrainingDivergedException(epoch, step, first, "training diverged at epoch "
                + (epoch + 1) + ", step " + step + ": " + what
                + "; try a lower learning rate (--lr)"
                + (runDirectory != null ? "; the last checkpoint in " + runDirectory
                + " holds the weights from before" : ""));
    }

    private void saveCheckpoint(int epoch, int batch, long step, EpochTotals totals,
            List<EpochSummary> history) {
        if (runDirectory == null) {
            return;
        }
        List<TrainerState.OptimizerSettings> settings = new ArrayList<>();
        optimizers.asMap().forEach((name, o) -> settings.add(new TrainerState.OptimizerSettings(
                name, o.getClass().getSimpleName(), o.learningRate(), o.schedule().describe(),
                o.gradientClipping().describe())));
        Optimizer first = optimizers.all().get(0);
        TrainerState state = new TrainerState(epoch, batch, step, seed, batchSize, epochs,
                trainData.size(), model.backend().name(), model.typeName(),
                first.getClass().getSimpleName(), first.learningRate(), totals.sums,
                totals.examples, totals.trainSeconds, history, accumulate, settings);
        Path saved;
        try {
            saved = Checkpoint.save(runDirectory, model, optimizers, state, keepCheckpoints);
        } catch (NonFiniteException e) {
            int shownEpoch = batch == 0 ? epoch - 1 : epoch;
            throw new TrainingDivergedException(shownEpoch, step, null, "training diverged at"
                    + " epoch " + (shownEpoch + 1) + ", step " + step + ": " + e.getMessage()
                    + "; try a lower learning rate (--lr)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint to " + runDirectory
                    + ": " + e.getMessage(), e);
        }
        listeners.forEach(l -> l.onCheckpoint(saved, step));
    }

    /** Configures a {@link Trainer}: {@code setX} is required, {@code optX} optional. */
    public static final class Builder {
        private Model model;
        private Optimizers optimizers;
        private TrainingStep trainingStep;
        private int accumulate = 1;
        private Dataset trainData;
        private Dataset testData;
        private int batchSize = 128;
        private int evalBatchSize;
        private int epochs = 10;
        private long seed;
        private long checkpointEvery;
        private int keepCheckpoints = 1;
        private Path runDirectory;
        private Path resumeFrom;
        private boolean metricsCsv = true;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** The model to train. Required. */
        public Builder setModel(Model model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * The optimizer over the model's parameters (named {@value Optimizers#DEFAULT}).
         * Required, or {@link #setOptimizers}.
         */
        public Builder setOptimizer(Optimizer optimizer) {
            this.optimizers = Optimizers.of(Objects.requireNonNull(optimizer, "optimizer"));
            return this;
        }

        /** Several named optimizers, each over part of the model, for a custom training step. */
        public Builder setOptimizers(Optimizers optimizers) {
            this.optimizers = Objects.requireNonNull(optimizers, "optimizers");
            return this;
        }

        /**
         * What each batch does; default {@link TrainingStep#forModel}: the model's own step for a
         * {@link MultiOptimizerModel}, else {@link TrainingStep#standard()}.
         */
        public Builder optTrainingStep(TrainingStep trainingStep) {
            this.trainingStep = Objects.requireNonNull(trainingStep, "trainingStep");
            return this;
        }

        /**
         * Sum the gradients of {@code batches} consecutive batches (of {@code loss / batches})
         * into each update; default 1 (an update per batch). The steps, the data order and the
         * noise stay per batch; a group left incomplete when training ends is kept in the
         * checkpoint and continued by a resumed run.
         */
        public Builder optAccumulate(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("gradient accumulation must be over at least"
                        + " 1 batch, got " + batches);
            }
            this.accumulate = batches;
            return this;
        }

        /** The training examples. Required. */
        public Builder setTrainData(Dataset trainData) {
            this.trainData = Objects.requireNonNull(trainData, "trainData");
            return this;
        }

        /** Examples to evaluate on after each epoch; none by default. */
        public Builder optTestData(Dataset testData) {
            this.testData = testData;
            return this;
        }

        /** Training batch size; default 128. */
        public Builder optBatchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got "
                        + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Evaluation batch size; default the training batch size. */
        public Builder optEvalBatchSize(int evalBatchSize) {
            if (evalBatchSize <= 0) {
                throw new IllegalArgumentException("evaluation batch size must be positive, got "
                        + evalBatchSize);
            }
            this.evalBatchSize = evalBatchSize;
            return this;
        }

        /** The epoch to train up to (a resumed run continues to it); default 10. */
        public Builder optEpochs(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** The seed of the data order and of the per-step noise; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Also write a checkpoint every {@code steps} optimizer steps (besides every epoch end);
         * 0, the default, checkpoints at epoch ends only. Needs a run directory.
         */
        public Builder optCheckpointEvery(long steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("checkpoint interval must be >= 0 steps, got "
                        + steps);
            }
            this.checkpointEvery = steps;
            return this;
        }

        /** How many checkpoints to keep, newest first; default 1. */
        public Builder optKeepCheckpoints(int keep) {
            if (keep < 1) {
                throw new IllegalArgumentException("must keep at least 1 checkpoint, got "
                        + keep);
            }
            this.keepCheckpoints = keep;
            return this;
        }

        /** Where checkpoints and {@code metrics.csv} go; nothing is written without one. */
        public Builder optRunDirectory(Path runDirectory) {
            this.runDirectory = runDirectory;
            return this;
        }

        /** Whether to write {@code metrics.csv} in the run directory; default true. */
        public Builder optMetricsCsv(boolean metricsCsv) {
            this.metricsCsv = metricsCsv;
            return this;
        }

        /**
         * Continue from a checkpoint: a checkpoint folder, or a run directory whose newest
         * checkpoint is taken. Its weights, optimizer state and counters are loaded at the start
         * of {@link #fit()}; seed, batch size and training set size must match the run's.
         */
        public Builder optResumeFrom(Path checkpointOrRunDirectory) {
            this.resumeFrom = checkpointOrRunDirectory;
            return this;
        }

        /** Adds a listener; they are called in the order added. */
        public Builder addListener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Trainer build() {
            if (model == null) {
                throw new IllegalStateException("trainer: no model set; call setModel(model)");
            }
            if (optimizers == null) {
                throw new IllegalStateException("trainer: no optimizer set; call"
                        + " setOptimizer(optimizer)");
            }
            if (trainData == null) {
                throw new IllegalStateException("trainer: no training data set; call"
                        + " setTrainData(dataset)");
            }
            checkWidth("training", trainData);
            if (trainingStep == null) {
                checkOptimizersOfTheModel();
            }
            if (testData != null) {
                checkWidth("test", testData);
            }
            if (checkpointEvery > 0 && runDirectory == null) {
                throw new IllegalStateException("trainer: checkpoints every " + checkpointEvery
                        + " steps need a run directory; call optRunDirectory(path)");
            }
            return new Trainer(this);
        }

        /** The model's own step picks its groups' optimizers by name: they must be there. */
        private void checkOptimizersOfTheModel() {
            if (!(model instanceof MultiOptimizerModel parts)) {
                return;
            }
            List<String> groups = parts.parameterGroups().stream()
                    .map(MultiOptimizerModel.ParameterGroup::name).toList();
            if (!groups.equals(optimizers.names())) {
                throw new IllegalStateException("trainer: the " + model.typeName() + " model"
                        + " trains its parts " + groups + " with an optimizer each, but the"
                        + " trainer has " + optimizers.names() + "; build them with"
                        + " Optimizers.forModel(model, learningRate, Adam::new)");
            }
        }

        private void checkWidth(String split, Dataset data) {
            if (data.features() != model.inputSize()) {
                throw new IllegalArgumentException("trainer: the " + split + " data "
                        + data.name() + " has rows of " + data.features() + " values but the "
                        + model.typeName() + " model takes inputs of " + model.inputSize());
            }
        }
    }
}
