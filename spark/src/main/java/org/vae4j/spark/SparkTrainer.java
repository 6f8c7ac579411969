package org.vae4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.StepContext;
import org.vae4j.optim.Optimizer;
import org.vae4j.tensor.NonFiniteException;
import org.vae4j.train.Checkpoint;
import org.vae4j.train.CheckpointException;
import org.vae4j.train.EpochSummary;
import org.vae4j.train.Evaluator;
import org.vae4j.train.MetricsCsvListener;
import org.vae4j.train.ModelWeights;
import org.vae4j.train.Optimizers;
import org.vae4j.train.StepInfo;
import org.vae4j.train.Trainer;
import org.vae4j.train.TrainerState;
import org.vae4j.train.TrainingControl;
import org.vae4j.train.TrainingDivergedException;
import org.vae4j.train.TrainingInfo;
import org.vae4j.train.TrainingListener;
import org.vae4j.train.TrainingResult;

/**
 * Data-parallel training of a model on the rows of a Spark DataFrame, synchronous by default:
 * each step the global batch (the single-machine {@link Trainer}'s batch: the same seeded
 * order of each epoch) is split across the workers by where its rows live, every worker
 * computes the gradients of its part from the step's broadcast weights, {@code treeAggregate}
 * sums them weighted by each part's share of the batch, and the driver takes the one optimizer
 * step. With one worker that is the single-machine trainer's step bit for bit (same backend);
 * with n workers it is the same step up to the rounding of the gradient's sum (a model that
 * draws noise draws each worker's from its own stream).
 *
 * <p>With {@link Builder#optLocalSgd local SGD} each worker instead trains on its part of the
 * next H global batches with an optimizer of its own, and the driver averages the workers'
 * weights and optimizer state, weighted by their examples: one Spark job per H steps.
 *
 * <p>The run folder is the normal trainer's: {@code checkpoints/step-N/} and {@code
 * metrics.csv}; a Spark run resumes from a single-machine checkpoint and the single-machine
 * trainer resumes from a Spark run's. A task that fails is retried by Spark (up to {@code
 * spark.task.maxFailures}); results reach the driver only from a task attempt that completed,
 * so a retried step is exact. When the retries run out the fit throws a {@link
 * SparkTrainingException} and the newest checkpoint is that of the last completed steps.
 *
 * <pre>{@code
 * TrainingResult result = SparkTrainer.builder()
 *         .setModel(Models.create("vae", config, Backends.select("ejml"), 1))
 *         .setOptimizer(params -> new Adam(params, 1e-3))
 *         .setTrainData(spark.read().parquet("train.parquet")).optFeatures("pixels")
 *         .optWorkers(16).optBatchSize(512).optEpochs(10).optSeed(1)
 *         .optRunDirectory(Path.of("runs/vae-spark")).optCheckpointEvery(500)
 *         .build().fit();
 * }</pre>
 *
 * <p>Not for models that update state outside gradient steps ({@code afterStep}, {@code
 * afterTraining}: VQ-VAE's EMA codebook and code prior), nor custom training steps or several
 * optimizers. The model is the driver's; the caller closes it.
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private final Model model;
    private final OptimizerFactory optimizerFactory;
    private final Dataset<Row> trainData;
    private final List<String> features;
    private final String labels;
    private final org.vae4j.data.Dataset testData;
    private final int workers;
    private final int batchSize;
    private final int epochs;
    private final long seed;
    private final int localSteps;
    private final String backend;
    private final long checkpointEvery;
    private final int keepCheckpoints;
    private final Path runDirectory;
    private final Path resumeFrom;
    private final List<TrainingListener> listeners;
    private volatile String stopRequest;
    private int trainRows;
    private SparkTrainingTimes times;
    private boolean used;

    private SparkTrainer(Builder b) {
        this.model = b.model;
        this.optimizerFactory = b.optimizer;
        this.trainData = b.trainData;
        this.features = b.features;
        this.labels = b.labels;
        this.testData = b.testData;
        this.workers = b.workers;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.localSteps = b.localSteps;
        this.backend = b.backend;
        this.checkpointEvery = b.checkpointEvery;
        this.keepCheckpoints = b.keepCheckpoints;
        this.runDirectory = b.runDirectory;
        this.resumeFrom = b.resumeFrom;
        List<TrainingListener> all = new ArrayList<>(b.listeners);
        if (runDirectory != null && b.metricsCsv) {
            all.add(new MetricsCsvListener(runDirectory.resolve(Trainer.METRICS_FILE)));
        }
        this.listeners = List.copyOf(all);
    }

    /** Starts a trainer: {@code setX} is required, {@code optX} optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** Asks a running fit() to stop after the current step, with a checkpoint of it. */
    public void requestStop(String reason) {
        stopRequest = reason;
    }

    /** Where the last fit's time went; null before a fit. */
    public SparkTrainingTimes times() {
        return times;
    }

    /** The running sums of an epoch, as the single-machine trainer keeps them. */
    private static final class EpochTotals {
        final Map<String, Double> sums = new LinkedHashMap<>();
        long examples;
        double seconds;

        void add(Map<String, Double> means, long n, double s) {
            means.forEach((k, v) -> sums.merge(k, v * n, Double::sum));
            examples += n;
            seconds += s;
        }

        Map<String, Double> means() {
            Map<String, Double> m = new LinkedHashMap<>();
            sums.forEach((k, v) -> m.put(k, v / examples));
            return m;
        }

        double samplesPerSecond() {
            return seconds > 0 ? examples / seconds : 0;
        }
    }

    /**
     * Trains to the planned number of epochs (from the checkpoint when resuming). Can be called
     * once.
     *
     * @throws IllegalArgumentException when the DataFrame is empty or its columns do not fit the
     *         model (before any training)
     * @throws SparkTrainingException when a step fails on the cluster after Spark's retries
     * @throws TrainingDivergedException when a loss term becomes NaN or infinite
     */
    public TrainingResult fit() {
        if (used) {
            throw new IllegalStateException("fit() was already called; build a new SparkTrainer"
                    + " to train again (resume from its checkpoint to continue)");
        }
        used = true;
        long startNanos = System.nanoTime();
        refuseStatefulModels();
        ShardedData data = ShardedData.of(trainData, features, labels, model,
                workers > 0 ? workers : SparkSession.active().sparkContext().defaultParallelism());
        trainRows = data.size;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(
                SparkSession.active().sparkContext());
        String runId = UUID.randomUUID().toString();
        Broadcast<WorkerSetup> setup = null;
        try (Optimizer optimizer = optimizerFactory.create(model.parameters())) {
            checkData(data);
            Optimizers optimizers = Optimizers.of(optimizer);
            TrainingControl control = new TrainingControl(optimizers);
            int startEpoch = 0;
            int startBatch = 0;
            long step = 0;
            EpochTotals totals = new EpochTotals();
            List<EpochSummary> history = new ArrayList<>();
            if (resumeFrom != null) {
                TrainerState state = resume(optimizers, data.size);
                startEpoch = state.epoch();
                startBatch = state.batch();
                step = state.step();
                totals.sums.putAll(state.epochSums());
                totals.examples = state.epochExamples();
                totals.seconds = state.epochSeconds();
                history.addAll(state.history());
            }
            setup = jsc.broadcast(new WorkerSetup(runId, weightsFile(), backend, seed));
            DistributedSteps steps = new DistributedSteps(jsc, data, setup, model, optimizer,
                    optimizerFactory);
            int batches = (data.size + batchSize - 1) / batchSize;
            if (startBatch > batches) {
                throw new IllegalStateException("checkpoint is at batch " + startBatch
                        + " of an epoch of " + batches + " batches");
            }
            TrainingInfo info = new TrainingInfo(model.typeName(), model.parameterCount(),
                    model.backend().name(), data.size, testData == null ? 0 : testData.size(),
                    batchSize, batches, epochs, startEpoch, startBatch, step, seed,
                    runDirectory, history);
            listeners.forEach(l -> l.onTrainingStart(info));
            Evaluator evaluator = new Evaluator(seed);
            Path[] newest = {latestCheckpoint()};
            long firstStep = step;
            long savedStep = step;
            String stopped = null;
            epochs:
            for (int epoch = startEpoch; epoch < epochs; epoch++) {
                long epochStart = System.nanoTime();
                double earlierSeconds = totals.seconds;
                int[] order = DataLoader.shuffledOrder(data.size, seed, epoch);
                int b = epoch == startEpoch ? startBatch : 0;
                while (b < batches) {
                    String asked = stopRequest != null ? stopRequest : control.stopReason();
                    if (asked != null) {
                        stopped = asked;
                        if (step > firstStep && step != savedStep) {
                            newest[0] = save(epoch, b, step, totals, history, optimizers);
                        }
                        break epochs;
                    }
                    int group = Math.min(localSteps, batches - b);
                    int[][] round = new int[group][];
                    for (int j = 0; j < group; j++) {
                        int from = (b + j) * batchSize;
                        round[j] = Arrays.copyOfRange(order, from,
                                Math.min(from + batchSize, data.size));
                    }
                    long t0 = System.nanoTime();
                    StepResult r;
                    try {
                        r = localSteps == 1 ? steps.step(round[0], step)
                                : steps.round(round, step);
                    } catch (Exception e) {
                        // Spark's job failure is a checked SparkException thrown from Scala
                        throw failed(e, step, newest[0]);
                    }
                    long before = step;
                    step += group;
                    b += group;
                    Map<String, Double> values = r.lossMeans();
                    checkFinite(values, epoch, step);
                    totals.add(values, r.examples, (System.nanoTime() - t0) / 1e9);
                    StepInfo stepInfo = new StepInfo(epoch, step, b - 1, batches,
                            (int) r.examples, values, totals.samplesPerSecond());
                    listeners.forEach(l -> l.onStep(stepInfo, control));
                    boolean due = checkpointEvery > 0
                            && step / checkpointEvery > before / checkpointEvery;
                    if ((control.takeCheckpointRequest() || due) && b < batches) {
                        newest[0] = save(epoch, b, step, totals, history, optimizers);
                        savedStep = step;
                    }
                }
                Map<String, Double> testValues = testData == null ? Map.of()
                        : evaluator.evaluate(model, testData, batchSize, step);
                double seconds = earlierSeconds + (System.nanoTime() - epochStart) / 1e9;
                EpochSummary summary = new EpochSummary(epoch, step, totals.means(), testValues,
                        seconds, totals.samplesPerSecond());
                history.add(summary);
                totals = new EpochTotals();
                newest[0] = save(epoch + 1, 0, step, totals, history, optimizers);
                savedStep = step;
                listeners.forEach(l -> l.onEpochEnd(summary, control));
                if (control.takeCheckpointRequest()) {
                    newest[0] = save(epoch + 1, 0, step, totals, history, optimizers);
                }
            }
            double total = (System.nanoTime() - startNanos) / 1e9;
            times = steps.times(total);
            TrainingResult result = new TrainingResult(history, step, total, stopped);
            listeners.forEach(l -> l.onTrainingEnd(result));
            return result;
        } finally {
            try {
                data.shards.foreachPartition(it -> WorkerModels.release(runId));
            } catch (Exception e) {
                // a cluster that just failed a step may fail this too; the step's error counts
                LOG.warn("could not free the workers' models of run {}: {}", runId,
                        e.getMessage());
            }
            data.release();
            if (setup != null) {
                setup.destroy();
            }
        }
    }

    /**
     * The failure of step {@code step} as one error: Spark's first line (which task failed how
     * often, and why), what happened to the model and where the newest checkpoint is.
     */
    private SparkTrainingException failed(Exception e, long step, Path newest) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int cut = reason.indexOf('\n');
        return new SparkTrainingException("training step " + step + " failed on the cluster"
                + (e instanceof SparkException ? " (after spark.task.maxFailures attempts)" : "")
                + ": " + (cut > 0 ? reason.substring(0, cut) : reason) + "; the model was not"
                + " updated with it" + (newest != null ? "; the newest checkpoint, " + newest
                        + ", is intact: resume from it" : runDirectory != null
                        ? "; no checkpoint was written yet" : ""), step, newest, e);
    }

    private Path latestCheckpoint() {
        if (runDirectory == null) {
            return null;
        }
        try {
            return Checkpoint.latest(runDirectory).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The model's weights file (type, config and weights), from which executors build it. */
    private byte[] weightsFile() {
        try {
            Path file = Files.createTempFile("vae4j-spark-model-", ".safetensors");
            try {
                ModelWeights.save(file, model);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model: " + e.getMessage(), e);
        }
    }

    /** The model's own shape and label checks, on a one-row sample of the data's shape. */
    private void checkData(ShardedData data) {
        float[] row = new float[data.width];
        org.vae4j.data.Dataset sample = data.classes > 0
                ? org.vae4j.data.Dataset.of("the DataFrame", row, data.width, new int[1],
                        data.classes)
                : org.vae4j.data.Dataset.unlabelled("the DataFrame", row, data.width);
        model.checkData(model.shaped(sample));
        if (testData != null) {
            model.checkData(testData);
        }
    }

    private void refuseStatefulModels() {
        try {
            refuse(model.getClass().getMethod("afterStep", Batch.class, Loss.class,
                    StepContext.class).getDeclaringClass(), "afterStep");
            refuse(model.getClass().getMethod("afterTraining", DataLoader.class)
                    .getDeclaringClass(), "afterTraining");
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private void refuse(Class<?> declaring, String hook) {
        if (declaring != Model.class) {
            throw new IllegalArgumentException("the " + model.typeName() + " model updates state"
                    + " outside gradient steps (" + declaring.getSimpleName() + "." + hook
                    + "), which data-parallel training does not synchronise; train it with the"
                    + " single-machine trainer");
        }
    }

    private TrainerState resume(Optimizers optimizers, int trainSize) {
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
            if (state.trainSize() != trainSize) {
                throw new CheckpointException(where + ": the run trained on "
                        + state.trainSize() + " examples but the DataFrame has " + trainSize
                        + "; resume with the same training data");
            }
            if (!state.modelType().equals(model.typeName())) {
                throw new CheckpointException(where + ": the run trained a '"
                        + state.modelType() + "' model, but this trainer has a '"
                        + model.typeName() + "'");
            }
            if (state.accumulate() != 1) {
                throw new CheckpointException(where + ": the run accumulated gradients over "
                        + state.accumulate() + " batches per update, which distributed"
                        + " training does not do; resume it with the single-machine trainer");
            }
            if (!state.optimizers().isEmpty()
                    && !state.optimizers().get(0).name().equals(Optimizers.DEFAULT)) {
                throw new CheckpointException(where + ": the run has the optimizers "
                        + state.optimizers().stream().map(TrainerState.OptimizerSettings::name)
                                .toList() + "; distributed training takes one");
            }
            Checkpoint.restore(checkpoint, model, optimizers);
            for (TrainerState.OptimizerSettings o : state.optimizers()) {
                optimizers.only().setLearningRate(o.learningRate());
            }
            LOG.info("resuming from {} at epoch {}, step {}", checkpoint, state.epoch() + 1,
                    state.step());
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkFinite(Map<String, Double> values, int epoch, long step) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new TrainingDivergedException(epoch, step, e.getKey(), "training diverged"
                        + " at epoch " + (epoch + 1) + ", step " + step + ": "
                        + (e.getKey().equals(Loss.TOTAL) ? "the total loss" : "loss term '"
                                + e.getKey() + "'") + " is " + e.getValue()
                        + "; try a lower learning rate"
                        + (runDirectory != null ? "; the last checkpoint in " + runDirectory
                                + " holds the weights from before" : ""));
            }
        }
    }

    private Path save(int epoch, int batch, long step, EpochTotals totals,
            List<EpochSummary> history, Optimizers optimizers) {
        if (runDirectory == null) {
            return null;
        }
        Optimizer o = optimizers.only();
        List<TrainerState.OptimizerSettings> settings = List.of(
                new TrainerState.OptimizerSettings(Optimizers.DEFAULT, o.getClass()
                        .getSimpleName(), o.learningRate(), o.schedule().describe(),
                        o.gradientClipping().describe()));
        TrainerState state = new TrainerState(epoch, batch, step, seed, batchSize, epochs,
                trainRows, model.backend().name(), model.typeName(),
                o.getClass().getSimpleName(), o.learningRate(), totals.sums, totals.examples,
                totals.seconds, history, 1, settings);
        Path saved;
        try {
            saved = Checkpoint.save(runDirectory, model, optimizers, state, keepCheckpoints);
        } catch (NonFiniteException e) {
            int shown = batch == 0 ? epoch - 1 : epoch;
            throw new TrainingDivergedException(shown, step, null, "training diverged at epoch "
                    + (shown + 1) + ", step " + step + ": " + e.getMessage()
                    + "; try a lower learning rate");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint to " + runDirectory
                    + ": " + e.getMessage(), e);
        }
        listeners.forEach(l -> l.onCheckpoint(saved, step));
        return saved;
    }

    /** Configures a {@link SparkTrainer}: {@code setX} is required, {@code optX} optional. */
    public static final class Builder {
        private Model model;
        private OptimizerFactory optimizer;
        private Dataset<Row> trainData;
        private List<String> features = List.of("features");
        private String labels;
        private org.vae4j.data.Dataset testData;
        private int workers;
        private int batchSize = 128;
        private int epochs = 10;
        private long seed;
        private int localSteps = 1;
        private String backend;
        private long checkpointEvery;
        private int keepCheckpoints = 1;
        private Path runDirectory;
        private Path resumeFrom;
        private boolean metricsCsv = true;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The model to train, on the driver (its backend takes the optimizer steps; {@link
         * #optBackend} chooses the executors'). Required.
         */
        public Builder setModel(Model model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * How to make the optimizer over the model's parameters, e.g. {@code params -> new
         * Adam(params, 1e-3)}: once on the driver, and on every worker per round in local SGD.
         * Required.
         */
        public Builder setOptimizer(OptimizerFactory optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** The training rows. Required. */
        public Builder setTrainData(Dataset<Row> trainData) {
            this.trainData = Objects.requireNonNull(trainData, "trainData");
            return this;
        }

        /**
         * The feature columns: one array column, or numeric columns in the model's input order;
         * default one column {@code features}.
         */
        public Builder optFeatures(String... columns) {
            if (columns.length == 0) {
                throw new IllegalArgumentException("give at least one feature column");
            }
            this.features = List.of(columns);
            return this;
        }

        /** The integer label column of a conditional model; none by default. */
        public Builder optLabels(String column) {
            this.labels = Objects.requireNonNull(column, "column");
            return this;
        }

        /** Examples to evaluate on, on the driver, after each epoch; none by default. */
        public Builder optTestData(org.vae4j.data.Dataset testData) {
            this.testData = testData;
            return this;
        }

        /**
         * The number of shards, each a task per step; default Spark's default parallelism. One
         * worker reproduces the single-machine trainer bit for bit.
         */
        public Builder optWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** The global batch size, split across the workers; default 128. */
        public Builder optBatchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got "
                        + batchSize);
            }
            this.batchSize = batchSize;
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
         * Local SGD: each worker takes {@code steps} steps on its own before the weights and
         * optimizer state are averaged (1, the default, is synchronous training). Rounds end at
         * epoch ends; checkpoints fall on round ends.
         */
        public Builder optLocalSgd(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("local SGD averages every 1 or more steps, got "
                        + steps);
            }
            this.localSteps = steps;
            return this;
        }

        /** The executors' backend; default each executor's own default choice. */
        public Builder optBackend(String backend) {
            this.backend = backend;
            return this;
        }

        /** Also checkpoint every {@code steps} steps (besides epoch ends); needs a run folder. */
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

        /** Where checkpoints and {@code metrics.csv} go (on the driver); none by default. */
        public Builder optRunDirectory(Path runDirectory) {
            this.runDirectory = runDirectory;
            return this;
        }

        /** Whether to write {@code metrics.csv} in the run folder; default true. */
        public Builder optMetricsCsv(boolean metricsCsv) {
            this.metricsCsv = metricsCsv;
            return this;
        }

        /** Continue from a checkpoint, or a run folder's newest, as {@link Trainer} does. */
        public Builder optResumeFrom(Path checkpointOrRunDirectory) {
            this.resumeFrom = checkpointOrRunDirectory;
            return this;
        }

        /** Adds a listener, called on the driver. */
        public Builder addListener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public SparkTrainer build() {
            if (model == null) {
                throw new IllegalStateException("spark trainer: no model set; call"
                        + " setModel(model)");
            }
            if (optimizer == null) {
                throw new IllegalStateException("spark trainer: no optimizer set; call"
                        + " setOptimizer(params -> new Adam(params, 1e-3))");
            }
            if (trainData == null) {
                throw new IllegalStateException("spark trainer: no training data set; call"
                        + " setTrainData(dataFrame)");
            }
            if (checkpointEvery > 0 && runDirectory == null) {
                throw new IllegalStateException("spark trainer: checkpoints every "
                        + checkpointEvery + " steps need a run directory; call"
                        + " optRunDirectory(path)");
            }
            return new SparkTrainer(this);
        }
    }
}
