package org.vae4j.reference.dl4j;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The classic MNIST VAE (784-400-20-400-784, ReLU, Bernoulli reconstruction distribution, Adam
 * 1e-3) as DL4J's own {@link VariationalAutoencoder} layer, trained as DL4J trains it: by
 * layer-wise pretraining ({@link MultiLayerNetwork#pretrain}) over a {@link DataSetIterator}.
 * MNIST comes from vae4j's cache and is held in memory; the iterator copies each shuffled batch
 * into a new array, as the PyTorch reference indexes its in-memory tensor. Prints, per epoch:
 * its time, the median, 90th percentile and mean time per step (full batches, timed between the
 * listener's iteration calls), the seconds 60,000 examples take at the mean step (as {@code vae4j
 * bench} quotes an epoch), and DL4J's score (the negative ELBO per example) on the last training
 * batch and on the test set. {@code --steps N} ends each epoch after N steps.
 *
 * <pre>
 * examples/reference/dl4j/run --blas-threads 2 --epochs 5
 * </pre>
 */
public final class Dl4jVae {

    private static final int FEATURES = 784;

    private Dl4jVae() {
    }

    public static void main(String[] args) throws IOException {
        int epochs = 3;
        int batch = 128;
        int blasThreads = 0;
        int maxSteps = Integer.MAX_VALUE;
        long seed = 1;
        Path data = Path.of(System.getProperty("user.home"), ".vae4j", "data", "mnist");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--epochs" -> epochs = positive(args[i], value);
                case "--batch" -> batch = positive(args[i], value);
                case "--blas-threads" -> blasThreads = positive(args[i], value);
                case "--steps" -> maxSteps = positive(args[i], value);
                case "--seed" -> seed = positive(args[i], value);
                case "--data" -> data = Path.of(required(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --epochs N, --batch N, --blas-threads N, --steps N (per"
                        + " epoch), --seed N or --data DIR");
            }
            i++;
        }
        float[] train = readImages(data.resolve("train-images-idx3-ubyte"));
        float[] test = readImages(data.resolve("t10k-images-idx3-ubyte"));

        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        if (blasThreads > 0) {
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
        System.out.printf(Locale.ROOT, "DL4J 1.0.0-M2.1 on %s, %d BLAS thread(s),"
                + " OMP_NUM_THREADS=%s, batch %d%n", Nd4j.getBackend().getClass().getSimpleName(),
                Nd4j.factory().blas().getMaxThreads(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), batch);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new VariationalAutoencoder.Builder()
                        .activation(Activation.RELU)
                        .encoderLayerSizes(400)
                        .decoderLayerSizes(400)
                        .pzxActivationFunction(Activation.IDENTITY)
                        .reconstructionDistribution(
                                new BernoulliReconstructionDistribution(Activation.SIGMOID))
                        .nIn(FEATURES)
                        .nOut(20)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        StepTimes times = new StepTimes();
        net.setListeners(times);
        Batches batches = new Batches(train, batch, maxSteps, new Random(seed));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            times.start(batches.steps());
            long start = System.nanoTime();
            net.pretrain(batches, 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            double testLoss = testLoss(net, test, batch);
            int rows = train.length / FEATURES;
            long[] full = times.fullBatches(rows / batch);
            double mean = Arrays.stream(full).average().orElse(0) / 1e6;
            Arrays.sort(full);
            int steps = batches.steps();
            System.out.printf(Locale.ROOT, "epoch %d: %.2f s for %d steps (%.0f samples/s),"
                    + " %.2f ms/step median, %.2f p90, %.2f mean = %.2f s per %d examples,"
                    + " last batch score %.2f, test score %.2f%n", epoch, seconds, steps,
                    Math.min(rows, steps * batch) / seconds, full[full.length / 2] / 1e6,
                    full[(int) Math.ceil(0.9 * full.length) - 1] / 1e6, mean,
                    mean * rows / batch / 1e3, rows, times.lastScore, testLoss);
        }
    }

    /** DL4J's pretraining score (negative ELBO per example) on the test set. */
    private static double testLoss(MultiLayerNetwork net, float[] test, int batch) {
        org.deeplearning4j.nn.layers.variational.VariationalAutoencoder vae =
                (org.deeplearning4j.nn.layers.variational.VariationalAutoencoder) net.getLayer(0);
        int rows = test.length / FEATURES;
        double total = 0;
        for (int from = 0; from < rows; from += batch) {
            int n = Math.min(batch, rows - from);
            INDArray x = Nd4j.createUninitialized(DataType.FLOAT, n, FEATURES);
            x.data().asNioFloat().put(test, from * FEATURES, n * FEATURES);
            LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
            vae.setInput(x, none);
            vae.computeGradientAndScore(none);
            total += vae.score() * n;
        }
        vae.clear();
        return total / rows;
    }

    /** The time between the listener's calls, one per step, and the last step's score. */
    static final class StepTimes extends BaseTrainingListener {
        private long[] nanos = new long[0];
        private int step;
        private long last;
        double lastScore = Double.NaN;

        void start(int steps) {
            nanos = new long[steps];
            step = 0;
            last = System.nanoTime();
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            long now = System.nanoTime();
            if (step < nanos.length) {
                nanos[step++] = now - last;
            }
            last = now;
            lastScore = model.score();
        }

        /** The times of the first {@code n} steps (the full batches). */
        long[] fullBatches(int n) {
            return Arrays.copyOf(nanos, Math.min(n, step));
        }
    }

    /** The training rows in a new random order each epoch, a batch at a time. */
    static final class Batches implements DataSetIterator {
        private final float[] rows;
        private final int batch;
        private final int maxSteps;
        private final Random random;
        private final int[] order;
        private int cursor;
        private DataSetPreProcessor preProcessor;

        Batches(float[] rows, int batch, int maxSteps, Random random) {
            this.rows = rows;
            this.batch = batch;
            this.maxSteps = maxSteps;
            this.random = random;
            this.order = new int[rows.length / FEATURES];
            Arrays.setAll(order, i -> i);
            reset();
        }

        /** Steps per epoch: every row once, or the first {@code maxSteps} batches. */
        int steps() {
            return Math.min(maxSteps, (order.length + batch - 1) / batch);
        }

        @Override
        public boolean hasNext() {
            return cursor < Math.min(order.length, (long) steps() * batch);
        }

        @Override
        public DataSet next() {
            return next(batch);
        }

        @Override
        public DataSet next(int num) {
            int n = Math.min(num, order.length - cursor);
            INDArray x = Nd4j.createUninitialized(DataType.FLOAT, n, FEATURES);
            FloatBuffer buffer = x.data().asNioFloat();
            for (int r = 0; r < n; r++) {
                buffer.put(rows, order[cursor + r] * FEATURES, FEATURES);
            }
            cursor += n;
            DataSet ds = new DataSet(x, x);
            if (preProcessor != null) {
                preProcessor.preProcess(ds);
            }
            return ds;
        }

        @Override
        public void reset() {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            cursor = 0;
        }

        @Override
        public int inputColumns() {
            return FEATURES;
        }

        @Override
        public int totalOutcomes() {
            return FEATURES;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            this.preProcessor = preProcessor;
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return preProcessor;
        }

        @Override
        public List<String> getLabels() {
            return null;
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
