package org.vae4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.vae4j.tensor.Shape;

/**
 * An immutable data set: {@code size()} rows of {@code features()} float values (row-major on the
 * heap, or for a {@code .npy} array larger than the heap read from the file, memory-mapped: see
 * {@link #inMemory()}), optionally an int label per row in {@code 0..numClasses()-1}, and
 * optionally the image shape the rows were flattened from (for plotting). Image data sets hold
 * values in [0, 1].
 *
 * <p>Each row is one example of {@link #exampleShape()}: flat ({@code features()} wide) unless
 * the set was given another shape of the same size with {@link #withExampleShape} or
 * {@link #asImages} (e.g. MNIST's 784-wide rows as {@code 1x28x28} images for a convolutional
 * model). Reshaping shares the storage; a {@link DataLoader} serves batches of shape
 * {@code (batch x exampleShape)}.
 *
 * <p>A {@link #subset} shares the parent's arrays, so splitting a large set costs nothing. Use a
 * {@link DataLoader} to turn it into mini-batches on a backend.
 */
public final class Dataset {

    private final String name;
    private final Rows data;
    private final int[] labels;
    private final int start;
    private final int size;
    private final int features;
    private final int numClasses;
    private final int imageHeight;
    private final int imageWidth;
    private final Shape exampleShape;
    private final List<String> classNames;

    Dataset(String name, float[] data, int[] labels, int start, int size, int features,
            int numClasses, int imageHeight, int imageWidth) {
        this(name, new Rows.OnHeap(data), labels, start, size, features, numClasses, imageHeight, imageWidth,
                Shape.of(features), null);
    }

    private Dataset(String name, Rows data, int[] labels, int start, int size, int features,
            int numClasses, int imageHeight, int imageWidth, Shape exampleShape,
            List<String> classNames) {
        this.name = name;
        this.data = data;
        this.labels = labels;
        this.start = start;
        this.size = size;
        this.features = features;
        this.numClasses = numClasses;
        this.imageHeight = imageHeight;
        this.imageWidth = imageWidth;
        this.exampleShape = exampleShape;
        this.classNames = classNames;
    }

    /**
     * A labelled data set holding copies of {@code features} ({@code labels.length} rows of
     * {@code width} values) and {@code labels}, each in {@code 0..numClasses-1}.
     */
    public static Dataset of(String name, float[] features, int width, int[] labels,
            int numClasses) {
        Objects.requireNonNull(labels, "labels");
        if (numClasses <= 0) {
            throw new IllegalArgumentException("dataset " + name + ": numClasses must be positive,"
                    + " got " + numClasses);
        }
        return create(name, features.clone(), width, labels.clone(), numClasses);
    }

    /** An unlabelled data set holding a copy of {@code features} (rows of {@code width}). */
    public static Dataset unlabelled(String name, float[] features, int width) {
        return create(name, features.clone(), width, null, 0);
    }

    /** Checks and wraps arrays the caller hands over (no copy); for this package's loaders. */
    static Dataset create(String name, float[] features, int width, int[] labels, int numClasses) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(features, "features");
        if (width <= 0) {
            throw new IllegalArgumentException("dataset " + name + ": row width must be positive,"
                    + " got " + width);
        }
        if (features.length % width != 0) {
            throw new IllegalArgumentException("dataset " + name + ": " + features.length
                    + " values are not whole rows of width " + width);
        }
        int rows = features.length / width;
        if (labels != null) {
            if (labels.length != rows) {
                throw new IllegalArgumentException("dataset " + name + ": " + labels.length
                        + " labels for " + rows + " rows; expected one label per row");
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException("dataset " + name + ": label " + labels[i]
                            + " of row " + i + " is outside 0.." + (numClasses - 1));
                }
            }
        }
        return new Dataset(name, features, labels, 0, rows, width, labels == null ? 0 : numClasses,
                0, 0);
    }

    /**
     * Wraps rows read from a file ({@code rows.rows()} of {@code width}) with labels already
     * checked by the caller; for this package's readers of data larger than the heap.
     */
    static Dataset mapped(String name, MappedRows rows, int width, int[] labels,
            int numClasses) {
        if (rows.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dataset " + name + ": " + rows.rows()
                    + " rows; at most " + Integer.MAX_VALUE + " are supported");
        }
        return new Dataset(name, rows, labels, 0, (int) rows.rows(), width,
                labels == null ? 0 : numClasses, 0, 0, Shape.of(width), null);
    }

    /** This data set with rows read as grey {@code height x width} images (for plotting). */
    public Dataset withImageShape(int height, int width) {
        return withImageShape(1, height, width);
    }

    /**
     * This data set with rows read as images of {@code channels x height x width} values,
     * channels first: 1 (grey) or 3 (red, green, blue planes), for plotting. The channel count is
     * not stored: it is the row width over {@code height x width}.
     */
    public Dataset withImageShape(int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("dataset " + name + ": images have 1 (grey) or 3"
                    + " (RGB) channels, got " + channels);
        }
        if (height <= 0 || width <= 0 || (long) channels * height * width != features) {
            throw new IllegalArgumentException("dataset " + name + ": image shape " + channels
                    + "x" + height + "x" + width + " does not match rows of " + features
                    + " values");
        }
        return new Dataset(name, data, labels, start, size, features, numClasses, height, width,
                exampleShape, classNames);
    }

    /**
     * This data set with each row read as one example of {@code shape} (rank 1 to 3, as many
     * values as a row), sharing the storage: e.g. {@code Shape.of(1, 28, 28)} for MNIST images
     * with one channel, or {@code Shape.of(784)} for flat rows.
     */
    public Dataset withExampleShape(Shape shape) {
        Objects.requireNonNull(shape, "shape");
        if (shape.rank() < 1 || shape.rank() > Shape.MAX_RANK - 1) {
            throw new IllegalArgumentException("dataset " + name + ": example shape " + shape
                    + " has rank " + shape.rank() + "; expected rank 1 to " + (Shape.MAX_RANK - 1)
                    + " (a batch adds one axis)");
        }
        if (shape.size() != features) {
            throw new IllegalArgumentException("dataset " + name + ": example shape " + shape
                    + " holds " + shape.size() + " values, but rows hold " + features);
        }
        return new Dataset(name, data, labels, start, size, features, numClasses, imageHeight,
                imageWidth, shape, classNames);
    }

    /**
     * This data set's rows as images {@code channels x height x width} (channels first, as
     * convolutions read them), sharing the storage; the set needs an image shape.
     */
    public Dataset asImages() {
        if (!hasImageShape()) {
            throw new IllegalArgumentException("dataset " + name + " has rows of " + features
                    + " values but no image shape; give one with withImageShape(height, width)");
        }
        return withExampleShape(Shape.of(imageChannels(), imageHeight, imageWidth));
    }

    /** This data set's rows as flat examples of {@code features()} values. */
    public Dataset flat() {
        return withExampleShape(Shape.of(features));
    }

    /** This data set under another name. */
    public Dataset withName(String newName) {
        return new Dataset(Objects.requireNonNull(newName, "name"), data, labels, start, size,
                features, numClasses, imageHeight, imageWidth, exampleShape, classNames);
    }

    /**
     * This data set with names for its classes (one per class, indexed by label), for pictures
     * and plots; sharing the storage.
     */
    public Dataset withClassNames(List<String> names) {
        checkLabelled();
        if (names.size() != numClasses) {
            throw new IllegalArgumentException("dataset " + name + ": " + names.size()
                    + " class names for " + numClasses + " classes; expected one per class");
        }
        return new Dataset(name, data, labels, start, size, features, numClasses, imageHeight,
                imageWidth, exampleShape, List.copyOf(names));
    }

    /**
     * The name of each class, indexed by label: those given with {@link #withClassNames}, else
     * the labels themselves ("0", "1", ...); empty when the set has no labels.
     */
    public List<String> classNames() {
        if (classNames != null) {
            return classNames;
        }
        List<String> numbers = new ArrayList<>(numClasses);
        for (int c = 0; c < numClasses; c++) {
            numbers.add(Integer.toString(c));
        }
        return List.copyOf(numbers);
    }

    /** Whether the classes were given names with {@link #withClassNames}. */
    public boolean hasClassNames() {
        return classNames != null;
    }

    public String name() {
        return name;
    }

    /** The number of rows (examples). */
    public int size() {
        return size;
    }

    /** The width of a row: the number of values per example, {@code exampleShape().size()}. */
    public int features() {
        return features;
    }

    /** The shape of one example, e.g. {@code (784)} or {@code (1x28x28)}. */
    public Shape exampleShape() {
        return exampleShape;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** The number of classes labels range over; 0 when the set has no labels. */
    public int numClasses() {
        return numClasses;
    }

    /** The label of row {@code i}. */
    public int label(int i) {
        checkLabelled();
        return labels[start + checkRow(i)];
    }

    /** A copy of the labels, one per row. */
    public int[] labels() {
        checkLabelled();
        return Arrays.copyOfRange(labels, start, start + size);
    }

    /** How many rows carry each label, indexed by label. */
    public int[] labelCounts() {
        checkLabelled();
        int[] counts = new int[numClasses];
        for (int i = start; i < start + size; i++) {
            counts[labels[i]]++;
        }
        return counts;
    }

    /** A copy of row {@code i}. */
    public float[] row(int i) {
        long r = start + checkRow(i);
        float[] out = new float[features];
        data.copy(r * features, out, 0, features);
        return out;
    }

    /** A copy of rows {@code from} (inclusive) to {@code to} (exclusive), row-major. */
    public float[] rows(int from, int to) {
        checkRange(from, to);
        long values = (long) (to - from) * features;
        if (values > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("dataset " + name + ": rows " + from + " to " + to
                    + " hold " + values + " values, more than one Java array holds; read them"
                    + " in smaller ranges");
        }
        float[] out = new float[(int) values];
        data.copy((long) (start + from) * features, out, 0, (int) values);
        return out;
    }

    /**
     * Copies the rows {@code indices} (in that order) into {@code dst}, row-major: how a loader
     * assembles a batch on the host.
     */
    public void copyRows(int[] indices, float[] dst) {
        if (dst.length < (long) indices.length * features) {
            throw new IllegalArgumentException("dataset " + name + ": " + indices.length
                    + " rows of " + features + " values need " + (long) indices.length * features
                    + " values, the buffer holds " + dst.length);
        }
        for (int i = 0; i < indices.length; i++) {
            long r = start + checkRow(indices[i]);
            data.copy(r * features, dst, i * features, features);
        }
    }

    /**
     * Whether the values are on the heap (every built-in set and every reader's result that
     * fits); when not, they are read from their file, memory-mapped, and a {@link DataLoader}
     * assembles each batch on the host instead of uploading the set once.
     */
    public boolean inMemory() {
        return data.inMemory();
    }

    /** Whether rows carry an image shape; see {@link #withImageShape}. */
    public boolean hasImageShape() {
        return imageHeight > 0;
    }

    /** The image channels (1 grey, 3 RGB), or 0 when the set has no image shape. */
    public int imageChannels() {
        return imageHeight > 0 ? features / (imageHeight * imageWidth) : 0;
    }

    /** The image height, or 0 when the set has no image shape. */
    public int imageHeight() {
        return imageHeight;
    }

    /** The image width, or 0 when the set has no image shape. */
    public int imageWidth() {
        return imageWidth;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), sharing this set's storage. */
    public Dataset subset(int from, int to) {
        checkRange(from, to);
        return new Dataset(name, data, labels, start + from, to - from, features, numClasses,
                imageHeight, imageWidth, exampleShape, classNames);
    }

    /**
     * The rows {@code indices} (in that order) with their labels, as a new set keeping this
     * one's name, shapes and class names; for splits that are not contiguous. Rows in memory are
     * copied; rows read from a file stay there (the new set reads them through the indices).
     */
    public Dataset select(int[] indices) {
        int[] pickedLabels = labels == null ? null : new int[indices.length];
        long[] rows = new long[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int r = start + checkRow(indices[k]);
            rows[k] = r;
            if (pickedLabels != null) {
                pickedLabels[k] = labels[r];
            }
        }
        Rows picked;
        if (data.inMemory()) {
            float[] values = new float[Math.multiplyExact(indices.length, features)];
            for (int k = 0; k < rows.length; k++) {
                data.copy(rows[k] * features, values, k * features, features);
            }
            picked = new Rows.OnHeap(values);
        } else {
            picked = new Rows.Indexed(data, rows, features);
        }
        return new Dataset(name, picked, pickedLabels, 0, indices.length, features, numClasses,
                imageHeight, imageWidth, exampleShape, classNames);
    }

    /** The first {@code n} rows, or all of them when there are fewer. */
    public Dataset take(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("take: count must be >= 0, got " + n);
        }
        return subset(0, Math.min(n, size));
    }

    /**
     * All rows, row-major: the backing array itself when this set spans it, else a copy. For
     * loaders in this package, which only read it.
     */
    float[] rowMajorView() {
        if (data instanceof Rows.OnHeap heap && start == 0
                && (long) size * features == heap.values().length) {
            return heap.values();
        }
        return rows(0, size);
    }

    private void checkLabelled() {
        if (labels == null) {
            throw new IllegalStateException("dataset " + name + " has no labels");
        }
    }

    private int checkRow(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("dataset " + name + ": row " + i
                    + " is outside 0.." + (size - 1));
        }
        return i;
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("dataset " + name + ": rows " + from + " to " + to
                    + " are not a range within 0.." + size);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(": ").append(size).append(" x ")
                .append(exampleShape.rank() == 1 ? Integer.toString(features)
                        : exampleShape.toString());
        if (labels != null) {
            sb.append(", ").append(numClasses).append(" classes");
        }
        if (hasImageShape()) {
            sb.append(", images ").append(imageHeight).append('x').append(imageWidth);
        }
        return sb.toString();
    }
}
