package org.vae4j.anomaly;

import java.util.List;
import org.vae4j.data.Batch;
import org.vae4j.model.Reconstructor;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/** The names of the built-in scores and the parts every model's scores share. */
public final class Scores {

    /** {@code s(x) = Σ_j (x_j − x̂_j)²}, {@code x̂} the model's deterministic reconstruction. */
    public static final String RECONSTRUCTION_ERROR = "reconstruction-error";

    /** The negative ELBO, {@code E_q[−log p(x|z)] + KL(q(z|x) ‖ p(z))}, in nats. */
    public static final String ELBO = "elbo";

    /** The importance-weighted negative log-likelihood with K samples, in nats. */
    public static final String IW_NLL = "iw-nll";

    /** An and Cho (2015): {@code (1/L) Σ_l −log p(x | z_l)}, {@code z_l ~ q(z|x)}, in nats. */
    public static final String RECONSTRUCTION_PROBABILITY = "reconstruction-probability";

    /** A VQ-VAE's prior negative log-likelihood of the code grid, in nats. */
    public static final String PRIOR_NLL = "prior-nll";

    private Scores() {
    }

    /** The error for a score name a model does not offer, naming those it does. */
    public static IllegalArgumentException unknown(String model, String name,
            List<String> offered) {
        return new IllegalArgumentException(model + " has no score '" + name + "'; it offers "
                + String.join(", ", offered));
    }

    /**
     * {@code (x_j − x̂_j)²} of every feature: {@code (n x features)}, the flat input rows
     * against {@code r}'s reconstruction. Each row sums to {@link #RECONSTRUCTION_ERROR}.
     */
    public static Tensor squaredErrors(Backend b, Reconstructor r, Batch batch) {
        int n = batch.size();
        Shape rows = Shape.of(n, batch.x().size() / Math.max(n, 1));
        Tensor x = b.reshape(batch.x(), rows);
        Tensor xHat = b.reshape(r.reconstruct(batch), rows);
        Tensor diff = b.sub(xHat, x);
        return b.mul(diff, diff);
    }

    /** {@link #RECONSTRUCTION_ERROR}: the rows of {@link #squaredErrors} summed, {@code (n)}. */
    public static Tensor reconstructionError(Backend b, Reconstructor r, Batch batch) {
        return b.sum(squaredErrors(b, r, batch), false, 1);
    }
}
