package org.vae4j.models;

import static org.vae4j.models.WaeProvider.LAMBDA;
import static org.vae4j.models.WaeProvider.MMD_KERNEL;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code info-vae}: the InfoVAE of Zhao et al. (2019) with the MMD divergence, the MMD-VAE: the
 * {@link VariationalAutoencoder}'s ELBO with the KL weighted by {@code 1 − α} and an MMD term
 * between the aggregate posterior and the prior weighted by {@code α + λ − 1}:
 *
 * <pre>
 * L = (1/n) Σ_i [ −log p(x_i | z_i) + (1 − α) · KL(q(z | x_i) ‖ p(z)) ] + (α + λ − 1) · MMD²(q(z), p(z))
 * </pre>
 *
 * α = 1 (the default) is the common MMD-VAE choice: the per-example KL, which pushes every
 * posterior towards the prior and so lowers the mutual information between x and z, is dropped,
 * and only the aggregate posterior is matched to the prior. α = 0, λ = 1 is the plain VAE. The
 * kernel defaults to the Gaussian one, as in the authors' code.
 */
public final class InfoVaeProvider extends BuiltInProvider {

    /** α: the InfoVAE's mutual-information preference, in [0, 1]. */
    public static final ModelOption ALPHA = ModelOption.number("alpha", 1.0,
            "info-vae: the KL enters with weight 1 - alpha, the MMD with alpha + lambda - 1;"
                    + " alpha in [0, 1], 1 drops the per-example KL (the MMD-VAE)")
            .between(0, 1).withFlag("--alpha");

    /** The settings of {@code info-vae}, in the order {@code vae4j models info-vae} lists them. */
    public static final List<ModelOption> OPTIONS = extend(VaeProvider.OPTIONS, ALPHA, LAMBDA,
            MMD_KERNEL.withDefault("rbf"));

    public InfoVaeProvider() {
        super("info-vae", "InfoVAE / MMD-VAE: reconstruction + (1-alpha)*KL"
                + " + (alpha+lambda-1)*MMD(q(z), p(z))", OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        double alpha = s.nonNegative(ALPHA);
        if (alpha > 1) {
            throw s.invalid(ALPHA, alpha, "a number in [0, 1]");
        }
        double lambda = s.nonNegative(LAMBDA);
        if (alpha + lambda - 1 < 0) {
            throw s.invalid(LAMBDA, lambda, "at least 1 - alpha = " + (1 - alpha)
                    + " (the MMD weight alpha + lambda - 1 must be >= 0)");
        }
        MmdPenalty mmd = MmdPenalty.of(alpha + lambda - 1, WaeProvider.kernel(s));
        return VaeProvider.build(s, 0, KlPenalty.beta(1 - alpha), mmd, backend, rng);
    }
}
