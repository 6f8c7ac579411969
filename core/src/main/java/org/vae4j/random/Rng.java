package org.vae4j.random;

import java.util.Arrays;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * The framework's seeded random generator. Every random number in vae4j (weight init,
 * reparameterisation noise, masking noise, shuffling, codebook init) comes from here and is
 * uploaded to the backend, so a seed gives the same numbers on every backend and every JVM.
 *
 * <p>The algorithm is xoshiro256** seeded through SplitMix64, with Gaussian values from the
 * Box–Muller transform in double precision; both are fixed here, so results never depend on the
 * JDK's own generators. {@link #state()} and {@link #restore(long[])} let a run resume exactly.
 * Not thread-safe: use one generator per thread, e.g. from {@link #split()}.
 */
public final class Rng {

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    public Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, bound)}, unbiased. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        long r;
        do {
            r = nextLong() >>> 32;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** A standard normal value (Box–Muller; one draw uses two uniforms). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // in (0, 1], so the log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** {@code n} values from N(mean, std²). */
    public float[] normal(int n, double mean, double std) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = (float) (mean + std * nextGaussian());
        }
        return r;
    }

    /** {@code n} values uniform in {@code [low, high)}. */
    public float[] uniform(int n, double low, double high) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = (float) (low + (high - low) * nextDouble());
        }
        return r;
    }

    /** {@code n} values that are 1 with probability {@code p}, else 0. */
    public float[] bernoulli(int n, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        }
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = nextDouble() < p ? 1f : 0f;
        }
        return r;
    }

    /** A random permutation of {@code 0..n-1} (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A tensor of N(mean, std²) values on {@code backend}. */
    public Tensor normal(Backend backend, Shape shape, double mean, double std) {
        return backend.fromDraws(normal(shape.size(), mean, std), shape,
                "normal(" + mean + ", " + std + ")");
    }

    /** A tensor of values uniform in {@code [low, high)} on {@code backend}. */
    public Tensor uniform(Backend backend, Shape shape, double low, double high) {
        return backend.fromDraws(uniform(shape.size(), low, high), shape,
                "uniform(" + low + ", " + high + ")");
    }

    /** A tensor of 0/1 values, 1 with probability {@code p}, on {@code backend}. */
    public Tensor bernoulli(Backend backend, Shape shape, double p) {
        return backend.fromDraws(bernoulli(shape.size(), p), shape, "bernoulli(" + p + ")");
    }

    /** An independent generator seeded from this one (advances this one). */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** The four state words, to save beside a checkpoint. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /** Continues exactly where the generator that gave {@code state} was. */
    public void restore(long[] state) {
        if (state.length != 4 || Arrays.equals(state, new long[4])) {
            throw new IllegalArgumentException("random state must be 4 words, not all zero; got "
                    + Arrays.toString(state));
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }
}
