package org.vae4j.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * Serves mini-batches of a {@link Dataset} on a {@link Backend}.
 *
 * <p>The whole feature matrix is uploaded once, when the loader is built, and each batch is a
 * {@code gatherRows} of it: feeding Java arrays to a backend per batch costs milliseconds on some
 * backends, a gather does not. The upload belongs to the loader (no scope frees it); {@link
 * #close()} frees it. Batch tensors belong to the scope open when they are made. A batch has
 * shape {@code (batch x dataset.exampleShape())}: a data set of images gives
 * {@code (batch x C x H x W)}.
 *
 * <p>A data set that is not {@linkplain Dataset#inMemory() in memory} (a memory-mapped file
 * larger than the heap) is not uploaded: each batch is assembled on the host from the file and
 * uploaded alone, so neither the heap nor the backend holds more than a batch of it. The
 * batches are the same either way.
 *
 * <p>With shuffling on, the order of epoch {@code e} is a function of the seed and {@code e}
 * alone, so a run resumed at an epoch boundary sees exactly the batches it would have seen.
 * Not thread-safe.
 *
 * <pre>{@code
 * try (DataLoader loader = DataLoader.builder(Mnist.train(), backend)
 *         .setBatchSize(128).optShuffle(true).optSeed(42).build()) {
 *     for (Batch batch : loader.epoch(0)) { ... }
 * }
 * }</pre>
 */
public final class DataLoader implements AutoCloseable {

    private final Dataset dataset;
    private final Backend backend;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Tensor all;
    private final int[] labels;

    private int cachedEpoch = -1;
    private int[] cachedOrder;
    private boolean closed;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.backend = b.backend;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.labels = dataset.hasLabels() ? dataset.labels() : null;
        this.all = dataset.inMemory()
                ? TensorScope.untrack(backend.fromArray(dataset.rowMajorView(),
                        Shape.of(dataset.size(), dataset.features())))
                : null;
    }

    /** Starts a loader of {@code dataset} on {@code backend}; a batch size is required. */
    public static Builder builder(Dataset dataset, Backend backend) {
        return new Builder(dataset, backend);
    }

    public Dataset dataset() {
        return dataset;
    }

    public Backend backend() {
        return backend;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean isShuffled() {
        return shuffle;
    }

    public boolean dropsLast() {
        return dropLast;
    }

    /** The number of batches in every epoch (the last may be smaller unless dropped). */
    public int batchesPerEpoch() {
        // long: n + batchSize - 1 overflows an int for batch sizes near Integer.MAX_VALUE
        long n = dataset.size();
        return (int) (dropLast ? n / batchSize : (n + batchSize - 1) / batchSize);
    }

    /** The number of examples an epoch visits (fewer than the set's size when dropping). */
    public int examplesPerEpoch() {
        return dropLast ? Math.multiplyExact(batchesPerEpoch(), batchSize) : dataset.size();
    }

    /**
     * The order in which epoch {@code epoch} visits the rows: a permutation of {@code 0..n-1}
     * that depends only on the seed and the epoch, or the identity when not shuffling.
     */
    public int[] order(int epoch) {
        return orderOf(epoch).clone();
    }

    private int[] orderOf(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (epoch != cachedEpoch) {
            int n = dataset.size();
            if (shuffle) {
                cachedOrder = shuffledOrder(n, seed, epoch);
            } else {
                cachedOrder = new int[n];
                Arrays.setAll(cachedOrder, i -> i);
            }
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /**
     * The order a shuffling loader of seed {@code seed} visits {@code n} rows in epoch {@code
     * epoch}, without the rows: for a trainer whose rows live elsewhere (a cluster's partitions).
     */
    public static int[] shuffledOrder(int n, long seed, int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        return new Rng(seed ^ mix(epoch)).permutation(n);
    }

    /** SplitMix64's finaliser, so that nearby (seed, epoch) pairs give unrelated streams. */
    private static long mix(long epoch) {
        long z = (epoch + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Batch {@code index} of epoch {@code epoch}, made in the current tensor scope. */
    public Batch batch(int epoch, int index) {
        if (closed) {
            throw new IllegalStateException("data loader of " + dataset.name() + " is closed");
        }
        int count = batchesPerEpoch();
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("batch " + index + " is outside 0.." + (count - 1)
                    + " (" + count + " batches of " + batchSize + " per epoch of "
                    + dataset.size() + " examples)");
        }
        int[] order = orderOf(epoch);
        int from = Math.multiplyExact(index, batchSize);
        int to = (int) Math.min((long) from + batchSize, order.length);
        int[] rows = Arrays.copyOfRange(order, from, to);
        int[] batchLabels = null;
        if (labels != null) {
            batchLabels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                batchLabels[i] = labels[rows[i]];
            }
        }
        if (all == null) {
            float[] values = new float[Math.multiplyExact(rows.length, dataset.features())];
            dataset.copyRows(rows, values);
            return new Batch(shaped(backend.fromArray(values,
                    Shape.of(rows.length, dataset.features()))), batchLabels);
        }
        return new Batch(shaped(backend.gatherRows(all, rows)), batchLabels);
    }

    /** Rows {@code (n x features)} as {@code (n x exampleShape)}; flat rows pass unchanged. */
    private Tensor shaped(Tensor rows) {
        Shape example = dataset.exampleShape();
        if (example.rank() == 1) {
            return rows;
        }
        int[] dims = new int[example.rank() + 1];
        dims[0] = rows.shape().dim(0);
        System.arraycopy(example.dims(), 0, dims, 1, example.rank());
        return backend.reshape(rows, Shape.of(dims));
    }

    /**
     * The batches of epoch {@code epoch}, in order. Each is made when the iterator reaches it, in
     * the scope open at that moment.
     */
    public Iterable<Batch> epoch(int epoch) {
        orderOf(epoch); // fail now on a bad epoch rather than at the first next()
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batchesPerEpoch();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has "
                            + batchesPerEpoch() + " batches");
                }
                return batch(epoch, next++);
            }
        };
    }

    /** Frees the uploaded data set. Safe to call twice. */
    @Override
    public void close() {
        closed = true;
        if (all != null) {
            all.close();
        }
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset.name() + ", " + backend.name() + ", batch " + batchSize
                + (shuffle ? ", shuffled with seed " + seed : "") + (dropLast ? ", drop last" : "")
                + ")";
    }

    /** Configures a {@link DataLoader}: {@code setX} is required, {@code optX} optional. */
    public static final class Builder {
        private final Dataset dataset;
        private final Backend backend;
        private int batchSize;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;

        private Builder(Dataset dataset, Backend backend) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** The number of examples per batch. Required. */
        public Builder setBatchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got "
                        + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the rows in a fresh random order; default off. */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** The seed of the shuffling; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to skip the last batch when it is smaller than the batch size; default off. */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Uploads the data set to the backend and returns the loader that owns the upload. */
        public DataLoader build() {
            if (batchSize == 0) {
                throw new IllegalStateException("data loader of " + dataset.name()
                        + ": no batch size set; call setBatchSize(n)");
            }
            if (dataset.size() == 0) {
                throw new IllegalArgumentException("data loader: dataset " + dataset.name()
                        + " is empty");
            }
            return new DataLoader(this);
        }
    }
}
