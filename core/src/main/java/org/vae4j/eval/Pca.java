package org.vae4j.eval;

import java.util.Arrays;
import java.util.Objects;
import org.vae4j.data.Dataset;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * Principal component analysis, the linear baseline for an autoencoder of the same code size:
 * the top {@code k} eigenvectors of the data's covariance span the {@code k}-dimensional linear
 * subspace with the least squared reconstruction error.
 *
 * <p>{@link #fit} centres the rows on the host, forms {@code Xcᵀ·Xc} chunk by chunk with the
 * backend's {@code matmul} (summing the chunks in double precision, so 60,000 MNIST rows lose no
 * accuracy to float32 sums), and decomposes the covariance in double precision on the host.
 * Each component's sign is fixed so that its largest-magnitude entry is positive, which makes the
 * result the same on every backend.
 *
 * <pre>{@code
 * Pca pca = Pca.fit(Mnist.train(), 20, backend);
 * Pca.Error e = pca.reconstructionError(Mnist.test(), backend);
 * }</pre>
 */
public final class Pca {

    /** Rows per chunk when forming the covariance and measuring errors (bounds device memory). */
    private static final int CHUNK = 4096;

    private final int dimensions;
    private final float[] mean;
    /** Components as rows, {@code k x dimensions}, row-major; unit length, descending variance. */
    private final float[] components;
    private final double[] variances;
    private final double totalVariance;

    private Pca(int dimensions, float[] mean, float[] components, double[] variances,
            double totalVariance) {
        this.dimensions = dimensions;
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    /**
     * The squared reconstruction error of a data set through the {@code k} components.
     *
     * @param perExample the squared error summed over an example's values, averaged over examples
     * @param perValue   the mean squared error per value (per pixel): {@code perExample / d}
     * @param examples   how many examples were measured
     */
    public record Error(double perExample, double perValue, int examples) {
    }

    /** Fits {@code components} principal components to the rows of {@code data}. */
    public static Pca fit(Dataset data, int components, Backend backend) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(backend, "backend");
        int n = data.size();
        int d = data.features();
        if (components < 1 || components > d) {
            throw new IllegalArgumentException("pca: the number of components must be in 1.." + d
                    + " (the width of a row of " + data.name() + "), got " + components);
        }
        if (n < 2) {
            throw new IllegalArgumentException("pca: needs at least 2 rows to estimate a"
                    + " covariance, but " + data.name() + " has " + n);
        }
        double[] meanD = new double[d];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            float[] rows = data.rows(from, to);
            for (int i = 0; i < rows.length; i++) {
                meanD[i % d] += rows[i];
            }
        }
        float[] mean = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) (meanD[j] / n);
        }

        double[] scatter = new double[d * d];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            float[] rows = data.rows(from, to);
            for (int i = 0; i < rows.length; i++) {
                rows[i] -= mean[i % d];
            }
            float[] gram;
            try (TensorScope scope = backend.newScope()) {
                Tensor x = backend.fromArray(rows, Shape.of(to - from, d));
                gram = backend.toArray(backend.matmul(x, true, x, false));
            }
            for (int i = 0; i < gram.length; i++) {
                scatter[i] += gram[i];
            }
        }
        double total = 0;
        for (int i = 0; i < d * d; i++) {
            scatter[i] /= n - 1;
        }
        for (int j = 0; j < d; j++) {
            total += scatter[j * d + j];
        }
        // Float32 products leave the two triangles a rounding apart; the algorithm wants exact.
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double s = 0.5 * (scatter[i * d + j] + scatter[j * d + i]);
                scatter[i * d + j] = s;
                scatter[j * d + i] = s;
            }
        }
        SymmetricEigen eigen = new SymmetricEigen(scatter, d);
        double[] values = eigen.values();
        float[] comps = new float[components * d];
        double[] variances = new double[components];
        for (int c = 0; c < components; c++) {
            double[] v = eigen.vector(c);
            int largest = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v[j]) > Math.abs(v[largest])) {
                    largest = j;
                }
            }
            double sign = v[largest] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                comps[c * d + j] = (float) (sign * v[j]);
            }
            // Rounding can leave a zero eigenvalue slightly negative.
            variances[c] = Math.max(0, values[c]);
        }
        return new Pca(d, mean, comps, variances, total);
    }

    /** The width of a row. */
    public int dimensions() {
        return dimensions;
    }

    /** The number of components kept. */
    public int components() {
        return variances.length;
    }

    /** The mean row the data was centred on. */
    public float[] mean() {
        return mean.clone();
    }

    /** Component {@code i} (0 = largest variance), a unit vector of {@link #dimensions()}. */
    public float[] component(int i) {
        Objects.checkIndex(i, components());
        return Arrays.copyOfRange(components, i * dimensions, (i + 1) * dimensions);
    }

    /** The variance of the data along each component, largest first. */
    public double[] explainedVariance() {
        return variances.clone();
    }

    /** The fraction of the data's total variance the kept components explain, in [0, 1]. */
    public double explainedVarianceRatio() {
        double kept = 0;
        for (double v : variances) {
            kept += v;
        }
        return totalVariance > 0 ? Math.min(1, kept / totalVariance) : 1;
    }

    /** The codes {@code (x − mean)·Vᵀ}, {@code (n x k)}, of rows {@code x (n x d)}. */
    public Tensor transform(Tensor x) {
        checkWidth(x);
        Backend b = x.backend();
        try (TensorScope scope = b.newScope()) {
            Tensor centred = b.sub(x, b.fromArray(mean, Shape.of(1, dimensions)));
            Tensor v = b.fromArray(components, Shape.of(components(), dimensions));
            return scope.keep(b.matmul(centred, false, v, true));
        }
    }

    /** The rows {@code mean + codes·V}, {@code (n x d)}, of codes {@code (n x k)}. */
    public Tensor inverseTransform(Tensor codes) {
        if (codes.shape().rank() != 2 || codes.shape().dim(1) != components()) {
            throw new IllegalArgumentException("pca: codes must be (n x " + components()
                    + "), got " + codes.shape());
        }
        Backend b = codes.backend();
        try (TensorScope scope = b.newScope()) {
            Tensor v = b.fromArray(components, Shape.of(components(), dimensions));
            Tensor rows = b.matmul(codes, false, v, false);
            return scope.keep(b.add(rows, b.fromArray(mean, Shape.of(1, dimensions))));
        }
    }

    /** The squared error of projecting each row of {@code data} onto the components and back. */
    public Error reconstructionError(Dataset data, Backend backend) {
        float[] perRow = rowErrors(data, backend);
        double sum = 0;
        for (float v : perRow) {
            sum += v;
        }
        double perExample = sum / perRow.length;
        return new Error(perExample, perExample / dimensions, perRow.length);
    }

    /**
     * Each row's squared error through the components, in row order: the PCA anomaly score
     * (the classical linear baseline for an autoencoder's reconstruction error).
     */
    public float[] rowErrors(Dataset data, Backend backend) {
        if (data.features() != dimensions) {
            throw new IllegalArgumentException("pca: fitted to rows of " + dimensions
                    + " values, but " + data.name() + " has rows of " + data.features());
        }
        int n = data.size();
        if (n == 0) {
            throw new IllegalArgumentException("pca: " + data.name() + " has no rows to measure");
        }
        float[] errors = new float[n];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            try (TensorScope scope = backend.newScope()) {
                Tensor x = backend.fromArray(data.rows(from, to), Shape.of(to - from, dimensions));
                Tensor diff = backend.sub(inverseTransform(transform(x)), x);
                float[] perRow = backend.toArray(backend.sum(backend.mul(diff, diff), false, 1));
                System.arraycopy(perRow, 0, errors, from, perRow.length);
            }
        }
        return errors;
    }

    private void checkWidth(Tensor x) {
        if (x.shape().rank() != 2 || x.shape().dim(1) != dimensions) {
            throw new IllegalArgumentException("pca: rows must be (n x " + dimensions + "), got "
                    + x.shape());
        }
    }
}
