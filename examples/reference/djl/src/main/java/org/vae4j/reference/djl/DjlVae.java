package org.vae4j.reference.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedInputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The classic MNIST VAE (784-400-20-400-784, ReLU, Bernoulli likelihood on logits, the analytic
 * KL, Adam 1e-3, the loss summed over the batch) in DJL with its PyTorch engine, written as a DJL
 * user would: a {@link Block} of {@link Linear} layers, a {@link Loss}, a {@link Trainer} with
 * DJL's Adam, and one {@link GradientCollector} per step. MNIST comes from vae4j's cache and is
 * held in memory; each step copies its shuffled batch in, as the PyTorch reference indexes its
 * in-memory tensor. Prints, per epoch: its time, the median, 90th percentile and mean time per
 * step (full batches), the seconds 60,000 examples take at the mean step (as {@code vae4j bench}
 * quotes an epoch), and the train and test loss per example. {@code --steps N} ends each epoch
 * after N steps, for a quick measurement.
 *
 * <pre>
 * examples/reference/djl/run --threads 1 --interop 1 --epochs 5
 * </pre>
 */
public final class DjlVae {

    private static final int FEATURES = 784;
    private static final int HIDDEN = 400;
    private static final int LATENT = 20;

    private DjlVae() {
    }

    /** Encoder, reparameterisation and decoder; outputs the decoder's logits, mu and log-variance. */
    static final class VaeBlock extends AbstractBlock {
        private final Block fc1 = addChildBlock("fc1", Linear.builder().setUnits(HIDDEN).build());
        private final Block fc21 = addChildBlock("fc21", Linear.builder().setUnits(LATENT).build());
        private final Block fc22 = addChildBlock("fc22", Linear.builder().setUnits(LATENT).build());
        private final Block fc3 = addChildBlock("fc3", Linear.builder().setUnits(HIDDEN).build());
        private final Block fc4 = addChildBlock("fc4", Linear.builder().setUnits(FEATURES).build());

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray h1 = Activation.relu(fc1.forward(ps, inputs, training).singletonOrThrow());
            NDList hidden = new NDList(h1);
            NDArray mu = fc21.forward(ps, hidden, training).singletonOrThrow();
            NDArray logvar = fc22.forward(ps, hidden, training).singletonOrThrow();
            // z = mu + eps * exp(logvar / 2), eps ~ N(0, I)
            NDArray eps = mu.getManager().randomNormal(mu.getShape());
            NDArray z = mu.add(eps.mul(logvar.mul(0.5f).exp()));
            NDArray h3 = Activation.relu(fc3.forward(ps, new NDList(z), training).singletonOrThrow());
            NDArray logits = fc4.forward(ps, new NDList(h3), training).singletonOrThrow();
            return new NDList(logits, mu, logvar);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long batch = inputShapes[0].get(0);
            return new Shape[] {new Shape(batch, FEATURES), new Shape(batch, LATENT),
                    new Shape(batch, LATENT)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType,
                Shape... inputShapes) {
            long batch = inputShapes[0].get(0);
            fc1.initialize(manager, dataType, new Shape(batch, FEATURES));
            fc21.initialize(manager, dataType, new Shape(batch, HIDDEN));
            fc22.initialize(manager, dataType, new Shape(batch, HIDDEN));
            fc3.initialize(manager, dataType, new Shape(batch, LATENT));
            fc4.initialize(manager, dataType, new Shape(batch, HIDDEN));
        }
    }

    /** The negative ELBO summed over the batch: Bernoulli log-likelihood on logits plus KL. */
    static final class NegativeElbo extends Loss {
        NegativeElbo() {
            super("negative-elbo");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray x = labels.singletonOrThrow();
            NDArray logits = predictions.get(0);
            NDArray mu = predictions.get(1);
            NDArray logvar = predictions.get(2);
            // BCE(sigmoid(l), x) = softplus(l) - l x
            NDArray bce = Activation.softPlus(logits).sub(logits.mul(x)).sum();
            // KL(N(mu, var) || N(0, I)) = -1/2 sum(1 + logvar - mu^2 - var)
            NDArray kl = logvar.add(1f).sub(mu.square()).sub(logvar.exp()).sum().mul(-0.5f);
            return bce.add(kl);
        }
    }

    public static void main(String[] args) throws IOException {
        int epochs = 3;
        int batch = 128;
        int threads = 1;
        int interop = 1;
        int maxSteps = Integer.MAX_VALUE;
        long seed = 1;
        Path data = Path.of(System.getProperty("user.home"), ".vae4j", "data", "mnist");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--epochs" -> epochs = positive(args[i], value);
                case "--batch" -> batch = positive(args[i], value);
                case "--threads" -> threads = positive(args[i], value);
                case "--interop" -> interop = positive(args[i], value);
                case "--steps" -> maxSteps = positive(args[i], value);
                case "--seed" -> seed = positive(args[i], value);
                case "--data" -> data = Path.of(required(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --epochs N, --batch N, --threads N, --interop N,"
                        + " --steps N (per epoch), --seed N or --data DIR");
            }
            i++;
        }
        // read by the engine when it starts
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(interop));

        float[] train = readImages(data.resolve("train-images-idx3-ubyte"));
        float[] test = readImages(data.resolve("t10k-images-idx3-ubyte"));
        int trainRows = train.length / FEATURES;
        int testRows = test.length / FEATURES;

        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        System.out.printf(Locale.ROOT, "DJL %s, %s %s, %d intra-op / %d inter-op thread(s),"
                + " batch %d, OMP_NUM_THREADS=%s%n", Engine.getDjlVersion(),
                engine.getEngineName(), engine.getVersion(), threads, interop, batch,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));

        try (Model model = Model.newInstance("vae", engine.defaultDevice(), "PyTorch")) {
            model.setBlock(new VaeBlock());
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(new NegativeElbo())
                    .optOptimizer(adam);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, FEATURES));
                Random random = new Random(seed);
                int[] order = new int[trainRows];
                Arrays.setAll(order, i -> i);
                FloatBuffer rows = FloatBuffer.allocate(batch * FEATURES);
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    shuffle(order, random);
                    int steps = Math.min(maxSteps, (trainRows + batch - 1) / batch);
                    long[] nanos = new long[steps];
                    double total = 0;
                    long start = System.nanoTime();
                    for (int s = 0; s < steps; s++) {
                        long t0 = System.nanoTime();
                        int from = s * batch;
                        int n = Math.min(batch, trainRows - from);
                        rows.clear();
                        for (int r = 0; r < n; r++) {
                            rows.put(train, order[from + r] * FEATURES, FEATURES);
                        }
                        rows.flip();
                        try (NDManager stepManager = model.getNDManager().newSubManager()) {
                            NDArray x = stepManager.create(rows, new Shape(n, FEATURES));
                            NDArray loss;
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDList predictions = trainer.forward(new NDList(x));
                                loss = trainer.getLoss().evaluate(new NDList(x), predictions);
                                collector.backward(loss);
                            }
                            trainer.step();
                            total += loss.getFloat();
                        }
                        nanos[s] = System.nanoTime() - t0;
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double testLoss = testLoss(model, trainer, test, testRows, batch);
                    System.out.println(StepTimes.line(epoch, seconds, nanos, batch, trainRows,
                            total, testLoss));
                }
            }
        }
    }

    /** What an epoch's line says; the step times in {@code nanos} are reordered. */
    static final class StepTimes {
        private StepTimes() {
        }

        static String line(int epoch, double seconds, long[] nanos, int batch, int rows,
                double totalLoss, double testLoss) {
            int steps = nanos.length;
            long[] full = Arrays.copyOf(nanos, Math.min(steps, rows / batch));
            double mean = Arrays.stream(full).average().orElse(0) / 1e6;
            Arrays.sort(full);
            int examples = Math.min(rows, steps * batch);
            return String.format(Locale.ROOT, "epoch %d: %.2f s for %d steps (%.0f samples/s),"
                    + " %.2f ms/step median, %.2f p90, %.2f mean = %.2f s per %d examples,"
                    + " train loss %.2f, test loss %.2f", epoch, seconds, steps,
                    examples / seconds, full[full.length / 2] / 1e6,
                    full[(int) Math.ceil(0.9 * full.length) - 1] / 1e6, mean,
                    mean * rows / batch / 1e3, rows, totalLoss / examples, testLoss);
        }
    }

    /** The loss per example on the test set, without gradients. */
    private static double testLoss(Model model, Trainer trainer, float[] test, int rows, int batch) {
        double total = 0;
        for (int from = 0; from < rows; from += batch) {
            int n = Math.min(batch, rows - from);
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray x = m.create(FloatBuffer.wrap(test, from * FEATURES, n * FEATURES),
                        new Shape(n, FEATURES));
                NDList predictions = trainer.evaluate(new NDList(x));
                total += trainer.getLoss().evaluate(new NDList(x), predictions).getFloat();
            }
        }
        return total / rows;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** An IDX image file (raw or gzip) as rows of 784 floats in [0, 1]. */
    static float[] readImages(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no MNIST file " + file + "; run any `./vae4j train` once to"
                    + " fill the cache, or pass --data DIR with the four IDX files");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw) : raw);
            int magic = in.readInt();
            if (magic != 0x0803) {
                throw new IOException(file + ": not an IDX image file (magic " + magic
                        + ", expected 2051)");
            }
            int count = in.readInt();
            int height = in.readInt();
            int width = in.readInt();
            if (height * width != FEATURES) {
                throw new IOException(file + ": images of " + height + "x" + width
                        + ", expected 28x28");
            }
            byte[] bytes = new byte[count * FEATURES];
            in.readFully(bytes);
            float[] out = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                out[i] = (bytes[i] & 0xff) / 255f;
            }
            return out;
        }
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(required(option, value));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive whole number, got "
                    + value);
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
