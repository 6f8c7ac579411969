package org.vae4j.data;

import org.vae4j.random.Rng;

/**
 * A synthetic 2-D data set for fast model tests: points from {@code k} isotropic Gaussians whose
 * centres sit evenly on a circle, each point labelled with its component. Small enough that a
 * model learns it in seconds; structured enough that a bad model is visible.
 */
public final class GaussianMixture2D {

    private GaussianMixture2D() {
    }

    /**
     * {@code n} points; component {@code c} is centred at {@code radius·(cos 2πc/k, sin 2πc/k)}
     * with standard deviation {@code std} along each axis, and chosen uniformly per point.
     */
    public static Dataset generate(int n, int k, double radius, double std, Rng rng) {
        if (n < 0) {
            throw new IllegalArgumentException("gaussian mixture: n must be >= 0, got " + n);
        }
        if (k <= 0) {
            throw new IllegalArgumentException("gaussian mixture: k must be positive, got " + k);
        }
        if (!(std >= 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("gaussian mixture: need a finite radius and std >= 0,"
                    + " got radius " + radius + ", std " + std);
        }
        float[] points = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(k);
            double angle = 2 * Math.PI * c / k;
            labels[i] = c;
            points[2 * i] = (float) (radius * Math.cos(angle) + std * rng.nextGaussian());
            points[2 * i + 1] = (float) (radius * Math.sin(angle) + std * rng.nextGaussian());
        }
        return Dataset.create("gaussian-mixture-" + k, points, 2, labels, k);
    }

    /** {@code n} points from {@code k} components on the unit circle, std 0.1, seeded. */
    public static Dataset generate(int n, int k, long seed) {
        return generate(n, k, 1.0, 0.1, new Rng(seed));
    }
}
