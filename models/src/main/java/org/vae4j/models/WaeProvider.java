package org.vae4j.models;

import java.util.List;
import org.vae4j.loss.Mmd;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code wae}: the Wasserstein autoencoder with the MMD penalty (Tolstikhin et al., 2018,
 * WAE-MMD): the {@link VariationalAutoencoder}'s Gaussian encoder and decoder, trained on the
 * decoder's reconstruction cost plus {@code λ · MMD²(q(z), p(z))} between the batch's codes and
 * as many draws from {@code p(z) = N(0, I)}, with no per-example KL:
 *
 * <pre>
 * L = (1/n) Σ_i −log p(x_i | z_i) + λ · MMD²_k({z_i}, {z̃_i}),  z_i ~ q(z | x_i),  z̃_i ~ N(0, I)
 * </pre>
 *
 * The kernel is the inverse multiquadratic one by default (see {@link Mmd}). The {@code kl} term
 * is still reported (it has weight 0), so {@code eval}'s negative ELBO remains a bound.
 */
public final class WaeProvider extends BuiltInProvider {

    /** λ: the weight of the MMD term (wae) or the InfoVAE's λ (info-vae). */
    public static final ModelOption LAMBDA = ModelOption.number("lambda", 10.0,
            "the MMD term's weight lambda (info-vae: the MMD enters with alpha + lambda - 1)")
            .atLeast(0).withFlag("--lambda");
    /** The kernel of the MMD. */
    public static final ModelOption MMD_KERNEL = ModelOption.choice("mmd-kernel", "imq",
            "kernel of the MMD: imq (inverse multiquadratic C/(C + |x-y|^2), summed over"
                    + " C = 2*latent*s for s in 0.1..10) or rbf (exp(-|x-y|^2/C), C = 2*latent)",
            "imq", "rbf").withFlag("--mmd-kernel");

    /** The settings of {@code wae}, in the order {@code vae4j models wae} lists them. */
    public static final List<ModelOption> OPTIONS =
            extend(VaeProvider.OPTIONS, LAMBDA, MMD_KERNEL);

    public WaeProvider() {
        super("wae", "Wasserstein autoencoder (WAE-MMD): reconstruction + lambda*MMD(q(z), p(z))",
                OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        MmdPenalty mmd = MmdPenalty.of(s.nonNegative(LAMBDA), kernel(s));
        return VaeProvider.build(s, 0, KlPenalty.beta(0), mmd, backend, rng);
    }

    static Mmd.Kernel kernel(Settings s) {
        return Mmd.Kernel.parse(s.choice(MMD_KERNEL, "imq", "rbf"));
    }
}
