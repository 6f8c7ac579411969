package org.vae4j.models;

import static org.vae4j.models.Options.BETA;
import static org.vae4j.models.Options.CAPACITY_MAX;
import static org.vae4j.models.Options.CAPACITY_STEPS;
import static org.vae4j.models.Options.GAMMA;
import static org.vae4j.models.Options.OBJECTIVE;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code beta-vae}: the {@link VariationalAutoencoder} with a weighted KL term, either
 * {@code β·KL} (Higgins et al.; objective {@code beta}) or the capacity-annealed
 * {@code γ·|KL − C(t)|} (Burgess et al.; objective {@code capacity}). See {@link KlPenalty}.
 */
public final class BetaVaeProvider extends BuiltInProvider {

    /** The settings of {@code beta-vae}, in the order {@code vae4j models beta-vae} lists them. */
    public static final List<ModelOption> OPTIONS =
            extend(VaeProvider.OPTIONS, OBJECTIVE, BETA, GAMMA, CAPACITY_MAX, CAPACITY_STEPS);

    public BetaVaeProvider() {
        super("beta-vae",
                "beta-VAE: beta*KL (Higgins) or capacity-annealed gamma*|KL - C(t)| (Burgess)",
                OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        KlPenalty penalty = s.choice(OBJECTIVE, "beta", "capacity").equals("beta")
                ? KlPenalty.beta(s.nonNegative(BETA))
                : KlPenalty.capacity(s.nonNegative(GAMMA), s.nonNegative(CAPACITY_MAX),
                        s.nonNegativeInt(CAPACITY_STEPS));
        return VaeProvider.build(s, 0, penalty, backend, rng);
    }
}
