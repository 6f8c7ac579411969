package org.vae4j.loss;

import java.util.Arrays;
import java.util.Locale;
import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;

/**
 * The maximum mean discrepancy between two samples (Gretton et al., 2012), as the Wasserstein
 * autoencoder (Tolstikhin et al., 2018) and the MMD-VAE (Zhao et al., 2019) use it to match the
 * aggregate posterior {@code q(z)} to the prior {@code p(z)}. The unbiased estimate of MMD² of
 * {@code x (n x d)} and {@code y (m x d)}, the diagonal terms excluded:
 *
 * <pre>
 * MMD² = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/(nm) Σ_{i,j} k(x_i, y_j)
 * </pre>
 *
 * <p>The kernels take {@code C = 2·d·σ²}, σ² the prior's variance per dimension, as the WAE
 * paper does for its N(0, I) prior:
 * <ul>
 *   <li>{@link Kernel#IMQ}, inverse multiquadratic: {@code Σ_s sC / (sC + ‖x − y‖²)} over the
 *       scales {@code s ∈ } {@link #IMQ_SCALES}, as the WAE paper's published code sums them;</li>
 *   <li>{@link Kernel#RBF}, Gaussian: {@code exp(−‖x − y‖² / C)}, one scale.</li>
 * </ul>
 * It is built from differentiable ops ({@link Variable#squaredDistances}), so its gradient comes
 * from the gradient table.
 */
public final class Mmd {

    /** The multiples of {@code C} the inverse multiquadratic kernel is summed over. */
    public static final double[] IMQ_SCALES = {0.1, 0.2, 0.5, 1, 2, 5, 10};

    /** A positive definite kernel on the rows. */
    public enum Kernel {
        /** Inverse multiquadratic, {@code C / (C + ‖x − y‖²)}, summed over {@link #IMQ_SCALES}. */
        IMQ,
        /** Gaussian, {@code exp(−‖x − y‖² / C)}. */
        RBF;

        /** The kernel a setting names: {@code imq} or {@code rbf}, case-insensitive. */
        public static Kernel parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MMD kernel must be imq or rbf, got '" + name
                        + "'", e);
            }
        }

        /** The kernel's name in settings: {@code imq} or {@code rbf}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Mmd() {
    }

    /**
     * The unbiased estimate of MMD² between the rows of {@code x} and of {@code y} under
     * {@code kernel} with {@code C = 2·d·variance}; both need at least two rows and the same
     * width. A scalar; it can be slightly negative when the samples match.
     */
    public static Variable unbiased(Variable x, Variable y, Kernel kernel, double variance) {
        Shape xs = x.shape();
        Shape ys = y.shape();
        if (xs.rank() != 2 || ys.rank() != 2 || xs.dim(1) != ys.dim(1)) {
            throw new ShapeException("mmd: samples must be matrices of the same width, got "
                    + xs + " and " + ys);
        }
        int n = xs.dim(0);
        int m = ys.dim(0);
        if (n < 2 || m < 2) {
            throw new IllegalArgumentException("mmd: the unbiased estimate needs at least 2 rows"
                    + " in each sample, got " + n + " and " + m);
        }
        if (!(variance > 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("mmd: the prior variance must be a positive"
                    + " number, got " + variance);
        }
        double c = 2.0 * xs.dim(1) * variance;
        Variable xx = offDiagonal(kernel(Variable.squaredDistances(x, x), kernel, c), n);
        Variable yy = offDiagonal(kernel(Variable.squaredDistances(y, y), kernel, c), m);
        Variable xy = kernel(Variable.squaredDistances(x, y), kernel, c).sum();
        return xx.mul(1f / ((float) n * (n - 1))).add(yy.mul(1f / ((float) m * (m - 1))))
                .sub(xy.mul(2f / ((float) n * m)));
    }

    /** {@code k} of the squared distances {@code d}, elementwise. */
    private static Variable kernel(Variable d, Kernel kernel, double c) {
        if (kernel == Kernel.RBF) {
            // exp(−‖x − y‖² / C)
            return d.mul((float) (-1 / c)).exp();
        }
        // Σ_s sC / (sC + ‖x − y‖²)
        Variable sum = null;
        for (double s : IMQ_SCALES) {
            float sc = (float) (s * c);
            Variable k = d.add(sc).reciprocal().mul(sc);
            sum = sum == null ? k : sum.add(k);
        }
        return sum;
    }

    /** The sum of a square {@code (n x n)} kernel matrix without its diagonal. */
    private static Variable offDiagonal(Variable k, int n) {
        float[] mask = new float[n * n];
        Arrays.fill(mask, 1f);
        for (int i = 0; i < n; i++) {
            mask[i * n + i] = 0f;
        }
        return k.mul(Variable.constant(k.backend(), mask, n, n)).sum();
    }
}
