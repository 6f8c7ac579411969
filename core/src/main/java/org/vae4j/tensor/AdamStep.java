package org.vae4j.tensor;

import java.nio.FloatBuffer;

/**
 * The settings of one Adam update ({@link Backend#adamUpdate}), with the bias corrections of
 * step {@code t} folded in as PyTorch's {@code torch.optim.Adam} folds them:
 *
 * <pre>
 * m' = β1·m + (1 − β1)·g
 * v' = β2·v + (1 − β2)·g²
 * p' = p − stepSize · m' / (sqrt(v') / sqrt(1 − β2^t) + eps),   stepSize = lr / (1 − β1^t)
 * </pre>
 *
 * @param beta1           decay of the first moment
 * @param beta2           decay of the second moment
 * @param eps             added to the denominator
 * @param stepSize        {@code lr / (1 − β1^t)}
 * @param bias2Sqrt       {@code sqrt(1 − β2^t)}
 */
public record AdamStep(double beta1, double beta2, double eps, double stepSize,
        double bias2Sqrt) {

    /** Step {@code t} (1-based) of Adam with these settings. */
    public static AdamStep of(double learningRate, double beta1, double beta2, double eps,
            long t) {
        if (t < 1) {
            throw new IllegalArgumentException("Adam: the step number starts at 1, got " + t);
        }
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        return new AdamStep(beta1, beta2, eps, learningRate / bias1, Math.sqrt(bias2));
    }

    /** The new parameter and moments. */
    public record Result(Tensor param, Tensor m, Tensor v) {
    }

    /**
     * {@code (x + FLUSH) − FLUSH} is x for |x| ≥ 2^-75, x on a grid of 2^-124 below that, and
     * never a subnormal float: the moments of a weight whose gradient is always zero (a weight
     * of MNIST's blank border pixels) decay below float's normal range within a few hundred
     * steps, and x86 runs arithmetic on subnormals 10-100 times slower (the update took 4x as
     * long after 2,500 steps). TensorFlow's own kernels flush subnormals to zero alike. Two
     * additions rather than a comparison keep the loop vectorised.
     */
    private static final float FLUSH = 0x1p-100f;

    /** Elements per block of the native-buffer update: four blocks fit in L1 with room. */
    private static final int BLOCK = 2048;
    private static final ThreadLocal<float[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new float[4][BLOCK]);

    /**
     * This step applied to elements {@code from..to-1} of the arrays, in place, in float, in
     * exactly the order of operations of {@link Composites#adamUpdate}: a fused kernel that calls
     * it gives the definition's values bit for bit, except that moments below 2^-75 are kept out
     * of the subnormal range (an absolute change of at most 2^-125). Written as one loop the JIT
     * vectorises.
     */
    public void applyInPlace(float[] param, float[] grad, float[] m, float[] v, int from, int to) {
        float b1 = (float) beta1;
        float rest1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1 - beta2);
        float root = (float) bias2Sqrt;
        float e = (float) eps;
        float step = (float) -stepSize;
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float mi = m[i] * b1 + g * rest1;
            float vi = v[i] * b2 + (g * g) * rest2;
            // Keeps the moments out of float's subnormal range (see FLUSH).
            mi = (mi + FLUSH) - FLUSH;
            vi = (vi + FLUSH) - FLUSH;
            float denom = (float) Math.sqrt(vi) / root + e;
            param[i] = param[i] + (mi / denom) * step;
            m[i] = mi;
            v[i] = vi;
        }
    }

    /** Elements from which {@link #applyInPlace(FloatBuffer, FloatBuffer, FloatBuffer,
     * FloatBuffer, int)} splits the update over two threads. */
    private static final int SPLIT_ELEMENTS = 1 << 15;

    /**
     * This step applied in place to tensors held in buffers outside the Java heap (a native
     * backend's own storage), all of one length: block by block through small per-thread
     * arrays, where {@link #applyInPlace(float[], float[], float[], float[], int, int)} runs
     * vectorised (about 1.2 ns per element, against 1.5 ns for the same loop on the buffers
     * themselves). With {@code threads} above 1, a large tensor's second half is updated on a
     * {@linkplain Parallel worker} meanwhile; each element's arithmetic is the same either way.
     */
    public void applyInPlace(FloatBuffer param, FloatBuffer grad, FloatBuffer m, FloatBuffer v,
            int threads) {
        int n = param.limit();
        if (threads < 2 || n < SPLIT_ELEMENTS) {
            applyInPlace(param, grad, m, v, 0, n);
            return;
        }
        // Block-aligned halves, so the blocks are those of a single-threaded pass.
        int mid = (n / 2 + BLOCK - 1) / BLOCK * BLOCK;
        Parallel.forThreads(threads).both(() -> applyInPlace(param, grad, m, v, 0, mid),
                () -> applyInPlace(param, grad, m, v, mid, n));
    }

    private void applyInPlace(FloatBuffer param, FloatBuffer grad, FloatBuffer m, FloatBuffer v,
            int from, int to) {
        float[][] scratch = SCRATCH.get();
        for (int off = from; off < to; off += BLOCK) {
            int len = Math.min(BLOCK, to - off);
            param.get(off, scratch[0], 0, len);
            grad.get(off, scratch[1], 0, len);
            m.get(off, scratch[2], 0, len);
            v.get(off, scratch[3], 0, len);
            applyInPlace(scratch[0], scratch[1], scratch[2], scratch[3], 0, len);
            param.put(off, scratch[0], 0, len);
            m.put(off, scratch[2], 0, len);
            v.put(off, scratch[3], 0, len);
        }
    }
}
