package org.vae4j.models;

import org.vae4j.autodiff.Variable;
import org.vae4j.nn.Module;
import org.vae4j.nn.Parameter;
import org.vae4j.random.Rng;
import org.vae4j.tensor.ArgOp;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;

/**
 * VQ-VAE's codebook: {@code K} vectors {@code e_k} of width {@code D}, the nearest-code search,
 * and the two ways the vectors learn.
 *
 * <ul>
 *   <li>By gradient (default): {@code embedding} is a trainable parameter and the model adds the
 *       codebook loss {@code ‖sg[z_e] − e‖²}.</li>
 *   <li>By exponential moving averages (van den Oord et al., 2017, appendix A.1):
 *       {@code embedding} is a buffer updated after each step by {@link #emaUpdate}, from the
 *       buffers {@code ema_count} (N) and {@code ema_sum} (m).</li>
 * </ul>
 *
 * <p>The vectors start uniform in {@code [−1/K, 1/K)}. With EMA, N starts at 1 and m at the
 * initial vectors, so a code that is never chosen keeps its vector rather than dividing by a
 * vanishing count.
 *
 * <p>Codes left unused for {@code restartAfter} training steps are restarted from encoder outputs
 * ({@link #restartDeadCodes}). The steps each code has been idle are the buffer
 * {@code idle_steps}, saved in checkpoints; they start at {@code restartAfter}, so every code not
 * chosen in the first training step is set to an encoder output of that step: a data-dependent
 * initialisation, without which the encoder outputs drift far from the tiny initial codes before
 * the codes (moving at the optimizer's pace) can follow.
 */
public final class Codebook extends Module {

    private final int size;
    private final int dim;
    private final boolean ema;
    private final double decay;
    private final double epsilon;
    private final Parameter embedding;
    private final Parameter emaCount;
    private final Parameter emaSum;
    private final int restartAfter;
    private final Parameter idleSteps;

    /**
     * A codebook of {@code size} codes of width {@code dim}; {@code restartAfter} idle steps
     * restart a code (0: never).
     */
    Codebook(Backend backend, int size, int dim, boolean ema, double decay, double epsilon,
            int restartAfter, Rng rng) {
        this.size = size;
        this.dim = dim;
        this.ema = ema;
        this.decay = decay;
        this.epsilon = epsilon;
        Tensor init = rng.uniform(backend, Shape.of(size, dim), -1.0 / size, 1.0 / size);
        if (ema) {
            this.embedding = addBuffer("embedding", init);
            this.emaCount = addBuffer("ema_count", backend.ones(Shape.of(size)));
            this.emaSum = addBuffer("ema_sum", backend.reshape(init, init.shape()));
        } else {
            this.embedding = addParameter("embedding", init);
            this.emaCount = null;
            this.emaSum = null;
        }
        this.restartAfter = restartAfter;
        this.idleSteps = addBuffer("idle_steps", backend.full(Shape.of(size), restartAfter));
    }

    /** K, the number of codes. */
    public int size() {
        return size;
    }

    /** D, the width of a code. */
    public int dim() {
        return dim;
    }

    /** Whether the codes learn by moving averages rather than by gradient. */
    public boolean usesEma() {
        return ema;
    }

    /** The {@code (K x D)} code vectors. */
    public Parameter embedding() {
        return embedding;
    }

    /** {@code k_i = argmin_k ‖z_i − e_k‖²} for each row of {@code z (m x D)}; ties go low. */
    public int[] nearest(Tensor z) {
        Backend be = z.backend();
        try (TensorScope scope = be.newScope()) {
            Tensor d = be.squaredDistances(z, embedding.value());
            return Variable.constant(be.argReduce(ArgOp.ARGMIN, d, 1)).toIndices();
        }
    }

    /** The code vectors {@code e_{k_i}}, with the gradient flowing to the codebook. */
    public Variable lookup(int[] codes) {
        return embedding.gatherRows(codes);
    }

    /**
     * One EMA step (van den Oord et al., appendix A.1) from the {@code (m x D)} encoder outputs
     * {@code z} assigned to {@code codes}, with {@code n_k} the number assigned to code k:
     *
     * <pre>
     * N_k ← γ N_k + (1 − γ) n_k
     * m_k ← γ m_k + (1 − γ) Σ_{i: k_i = k} z_i
     * Ñ_k = (N_k + ε) / (Σ_j N_j + K ε) · Σ_j N_j        (Laplace smoothing)
     * e_k = m_k / Ñ_k
     * </pre>
     */
    public void emaUpdate(Tensor z, int[] codes) {
        if (!ema) {
            throw new IllegalStateException("this codebook learns by gradient; EMA updates need"
                    + " the setting 'ema' = true");
        }
        Backend be = z.backend();
        float[] counts = new float[size];
        for (int k : codes) {
            counts[k]++;
        }
        try (TensorScope scope = be.newScope()) {
            Tensor g = be.scalar((float) decay);
            Tensor oneMinusG = be.scalar((float) (1 - decay));
            Tensor n = be.fromArray(counts, size);
            Tensor sums = be.scatterAddRows(z, codes, size);
            Tensor newCount = be.add(be.mul(emaCount.value(), g), be.mul(n, oneMinusG));
            Tensor newSum = be.add(be.mul(emaSum.value(), g), be.mul(sums, oneMinusG));
            Tensor total = be.sum(newCount, false);
            Tensor smoothed = be.mul(be.div(be.add(newCount, be.scalar((float) epsilon)),
                    be.add(total, be.scalar((float) (size * epsilon)))), total);
            Tensor newEmbedding = be.div(newSum, be.reshape(smoothed, Shape.of(size, 1)));
            emaCount.assign(newCount);
            emaSum.assign(newSum);
            embedding.assign(newEmbedding);
        }
    }

    /**
     * Counts, for each code, the training steps since it was last chosen, and re-initialises
     * every code idle for {@code restartAfter} steps from a random row of {@code z} (this step's
     * encoder outputs), drawn with {@code rng}. With EMA its statistics restart as one
     * observation of that row. Returns the number of codes restarted; none when restarts are
     * off ({@code restartAfter} = 0).
     */
    public int restartDeadCodes(int[] codes, Tensor z, Rng rng) {
        if (restartAfter == 0) {
            return 0;
        }
        boolean[] used = new boolean[size];
        for (int k : codes) {
            used[k] = true;
        }
        float[] idle = idleSteps.toArray();
        int m = z.shape().dim(0);
        int dead = 0;
        for (int k = 0; k < size; k++) {
            idle[k] = used[k] ? 0 : idle[k] + 1;
            if (idle[k] >= restartAfter && m > 0) {
                dead++;
            }
        }
        if (dead > 0) {
            float[] vectors = embedding.toArray();
            float[] rows = z.toArray();
            float[] sums = ema ? emaSum.toArray() : null;
            float[] counts = ema ? emaCount.toArray() : null;
            for (int k = 0; k < size; k++) {
                if (idle[k] >= restartAfter) {
                    int r = rng.nextInt(m);
                    System.arraycopy(rows, r * dim, vectors, k * dim, dim);
                    if (ema) {
                        System.arraycopy(rows, r * dim, sums, k * dim, dim);
                        counts[k] = 1f;
                    }
                    idle[k] = 0;
                }
            }
            embedding.assign(vectors);
            if (ema) {
                emaSum.assign(sums);
                emaCount.assign(counts);
            }
        }
        idleSteps.assign(idle);
        return dead;
    }

    /**
     * The perplexity {@code exp(−Σ_k p_k log p_k)} of the code frequencies {@code p_k}: the
     * number of equally used codes that would give the same entropy (1 to K).
     */
    public static double perplexity(int[] codes, int size) {
        if (codes.length == 0) {
            return 0;
        }
        int[] counts = new int[size];
        for (int k : codes) {
            counts[k]++;
        }
        double entropy = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / codes.length;
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }
}
