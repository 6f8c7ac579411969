package org.vae4j.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.StepContext;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.OpProfiler;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Optimizers;
import org.vae4j.train.StepEnvironment;
import org.vae4j.train.StepRandom;
import org.vae4j.train.TrainingStep;

/**
 * Times the real training step of a model on one backend: a batch from a {@link DataLoader}, the
 * trainer's own step ({@link TrainingStep#forModel}: for most models the loss in training mode,
 * {@code backward()}, an Adam step; an Adam per group for a model that trains its parts
 * separately), {@code afterStep} and the loss read back to the host, in one {@link TensorScope}
 * per step, exactly as {@code Trainer} runs it. After a warm-up (the JIT,
 * the backend's first-use costs, ND4J's workspace sizing) it times each of {@code steps} steps,
 * then runs a shorter pass with an {@link OpProfiler} set to split the time by op, on the
 * caller's thread and on vae4j's worker alike. Nothing is written to disk.
 *
 * <p>The data are MNIST-shaped (by default 60,000 rows of 784 values in [0, 1], about 80% zeros
 * as in MNIST, random labels), made from a seed: the cost of a step does not depend on the
 * values. The epoch time is quoted for 60,000 examples whatever the number of rows.
 */
public final class TrainingBenchmark {

    /** Rows in an MNIST training epoch: what the epoch time is quoted for. */
    public static final int EPOCH_EXAMPLES = 60_000;
    /** MNIST's row width. */
    public static final int FEATURES = 784;

    /** What to run: {@code rows} of MNIST-shaped data ({@value #EPOCH_EXAMPLES} as MNIST). */
    public record Settings(int batchSize, int warmup, int steps, int profileSteps, long seed,
            int rows) {
        public Settings {
            if (batchSize < 1 || warmup < 0 || steps < 1 || profileSteps < 0 || rows < 1) {
                throw new IllegalArgumentException("benchmark: batch size, steps and rows must be"
                        + " positive and warm-up and profile steps >= 0; got batch " + batchSize
                        + ", warm-up " + warmup + ", steps " + steps + ", profile "
                        + profileSteps + ", rows " + rows);
            }
        }
    }

    /** The measurements of one backend. */
    public record Result(String backend, String model, int batchSize, int steps,
            double msMedian, double msP90, double msMean, double samplesPerSecond,
            double epochSeconds, double matmulShare, double opsShare, double peakHeapMb,
            double peakRssMb, double rssStartMb, double rssEndMb, double heapLiveStartMb,
            double heapLiveEndMb, double firstLoss, double lastLoss, int profiledSteps,
            double profiledMsMean, double profiledWorkerMsMean, List<OpProfiler.OpTime> ops,
            List<EpochMemory> epochs) {

        /**
         * The time a profiled step occupies the threads, in ms: the caller's wall time plus the
         * time vae4j's worker was busy with the step's tasks. The shares of the profile are of it.
         */
        public double profiledThreadMsMean() {
            return profiledMsMean + profiledWorkerMsMean;
        }
    }

    /**
     * Memory after each whole epoch of the timed steps: the resident set, and the Java heap the
     * JVM has committed (resident set minus committed heap is roughly the native part).
     */
    public record EpochMemory(int epoch, double rssMb, double heapCommittedMb, double heapUsedMb) {
    }

    private final Settings settings;
    private final Dataset data;

    public TrainingBenchmark(Settings settings) {
        this(settings, mnistShaped(settings.rows(), settings.seed()));
    }

    /**
     * Times the step on {@code data} instead (e.g. a memory-mapped file larger than the heap, to
     * show what assembling batches from disk costs); {@code settings.rows()} is then unused.
     */
    public TrainingBenchmark(Settings settings, Dataset data) {
        this.settings = settings;
        this.data = data;
    }

    /** The data every backend is timed on. */
    public Dataset data() {
        return data;
    }

    /** Rows of 784 values: 0 with probability 0.8, else uniform in (0, 1]; labels 0..9. */
    static Dataset mnistShaped(int rows, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[rows * FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat() < 0.8f ? 0f : 1f - rng.nextFloat();
        }
        int[] labels = new int[rows];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        return Dataset.of("mnist-shaped", x, FEATURES, labels, 10).withImageShape(28, 28);
    }

    /**
     * Trains a model made by {@code modelFactory} on {@code backend} and times it. The model, its
     * optimizer and the loader are closed before this returns.
     */
    public Result run(Backend backend, Function<Backend, Model> modelFactory) {
        System.gc();
        double rssBefore = MemoryProbe.rssMb();
        MemoryProbe.resetPeaks();
        try (Model model = modelFactory.apply(backend);
                // rows as the model reads them: 1x28x28 images for a conv model
                DataLoader loader = DataLoader.builder(model.shaped(data), backend)
                        .setBatchSize(settings.batchSize()).optShuffle(true)
                        .optSeed(settings.seed()).build();
                Optimizers optimizers = Optimizers.forModel(model, 1e-3, Adam::new)) {
            model.checkData(model.shaped(data));
            Stepper stepper = new Stepper(model, optimizers, loader, settings.seed());
            double firstLoss = stepper.step();
            for (int i = 1; i < settings.warmup(); i++) {
                stepper.step();
            }
            System.gc();
            double rssStart = MemoryProbe.rssMb();
            double heapStart = MemoryProbe.heapAfterGcMb();

            long[] nanos = new long[settings.steps()];
            double lastLoss = firstLoss;
            List<EpochMemory> epochs = new ArrayList<>();
            int batches = loader.batchesPerEpoch();
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                lastLoss = stepper.step();
                nanos[i] = System.nanoTime() - t0;
                if ((i + 1) % batches == 0) {
                    epochs.add(new EpochMemory(epochs.size() + 1, MemoryProbe.rssMb(),
                            MemoryProbe.heapCommittedMb(), MemoryProbe.heapUsedMb()));
                }
            }
            double rssEnd = MemoryProbe.rssMb();
            double peakHeap = MemoryProbe.peakHeapMb();
            double peakRss = Math.max(MemoryProbe.peakRssMb(), rssBefore);
            System.gc();
            double heapEnd = MemoryProbe.heapAfterGcMb();

            OpProfiler profiler = new OpProfiler();
            long profiledNanos = 0;
            if (settings.profileSteps() > 0) {
                backend.setProfiler(profiler);
                try {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < settings.profileSteps(); i++) {
                        stepper.step();
                    }
                    profiledNanos = System.nanoTime() - t0;
                } finally {
                    backend.setProfiler(null);
                }
            }
            return result(backend, model, nanos, profiler, profiledNanos, peakHeap, peakRss,
                    rssStart, rssEnd, heapStart, heapEnd, firstLoss, lastLoss, epochs);
        }
    }

    private Result result(Backend backend, Model model, long[] nanos, OpProfiler profiler,
            long profiledNanos, double peakHeap, double peakRss, double rssStart, double rssEnd,
            double heapStart, double heapEnd, double firstLoss, double lastLoss,
            List<EpochMemory> epochs) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double median = percentile(sorted, 0.5) / 1e6;
        double p90 = percentile(sorted, 0.9) / 1e6;
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        double samplesPerSecond = settings.batchSize() / (mean / 1e3);
        double epochSeconds = EPOCH_EXAMPLES / samplesPerSecond;
        List<OpProfiler.OpTime> ops = profiler.times();
        double matmulShare = Double.NaN;
        double opsShare = Double.NaN;
        // the whole step: the caller's wall time and the worker's tasks beside it
        long threadNanos = profiledNanos + profiler.workerNanos();
        if (profiledNanos > 0) {
            long products = ops.stream().filter(o -> isProduct(o.op()))
                    .mapToLong(OpProfiler.OpTime::nanos).sum();
            matmulShare = (double) products / threadNanos;
            opsShare = (double) profiler.totalNanos() / threadNanos;
        }
        int profiled = Math.max(1, settings.profileSteps());
        return new Result(backend.name(), model.typeName(), settings.batchSize(), nanos.length,
                median, p90, mean, samplesPerSecond, epochSeconds, matmulShare, opsShare,
                peakHeap, peakRss, rssStart, rssEnd, heapStart, heapEnd, firstLoss, lastLoss,
                settings.profileSteps(), profiledNanos / 1e6 / profiled,
                profiler.workerNanos() / 1e6 / profiled, ops, epochs);
    }

    /** Ops whose time is a matrix product: matmul and the fused linear layers. */
    public static boolean isProduct(String op) {
        return op.equals("matmul") || op.startsWith("linear");
    }

    /** The value below which a fraction {@code q} of the sorted values lie (nearest rank). */
    static double percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The training step, as the trainer runs it, over the loader's epochs in order. */
    private static final class Stepper {
        private final Model model;
        private final Optimizers optimizers;
        private final DataLoader loader;
        private final long seed;
        private final int batches;
        private long step;

        Stepper(Model model, Optimizers optimizers, DataLoader loader, long seed) {
            this.model = model;
            this.optimizers = optimizers;
            this.loader = loader;
            this.seed = seed;
            this.batches = loader.batchesPerEpoch();
        }

        /** One step; returns its loss. */
        double step() {
            Backend backend = model.backend();
            try (TensorScope scope = backend.newScope()) {
                Batch batch = loader.batch((int) (step / batches), (int) (step % batches));
                StepContext context = StepContext.training(step, StepRandom.forStep(seed, step));
                Loss loss = TrainingStep.forModel(model).run(StepEnvironment.of(model, batch,
                        context, optimizers));
                model.afterStep(batch, loss, context);
                step++;
                return loss.values().get(Loss.TOTAL);
            }
        }
    }
}
