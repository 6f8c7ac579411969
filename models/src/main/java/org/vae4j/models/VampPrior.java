package org.vae4j.models;

import org.vae4j.autodiff.Variable;
import org.vae4j.models.VariationalAutoencoder.Posterior;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Shape;

/**
 * The VampPrior (Tomczak and Welling, 2018): the mixture of the encoder's posteriors at N learned
 * pseudo-inputs {@code u_1 … u_N},
 *
 * <pre>
 * p(z) = (1/N) Σ_n q(z | u_n),   q(z | u_n) = N(z; μ_n, diag σ_n²)
 * log p(z) = logsumexp_n log N(z; μ_n, σ_n²) − log N
 * </pre>
 *
 * built from the components' posteriors (computed by the caller with gradient, so the
 * pseudo-inputs and the encoder learn through the prior too).
 */
final class VampPrior implements LatentPrior {

    private final Posterior components;
    private final int count;
    private final int latent;

    VampPrior(Posterior components) {
        this.components = components;
        this.count = components.mu().shape().dim(0);
        this.latent = components.mu().shape().dim(1);
    }

    @Override
    public Variable logDensity(Variable z) {
        int n = z.shape().dim(0);
        Variable mu = components.mu().reshape(1, count, latent);
        Variable logVar = components.logVar().reshape(1, count, latent);
        // log N(z_i; μ_n, σ_n²) = −½ Σ_d ((z_id − μ_nd)² / σ_nd² + log σ_nd² + log 2π): (n x N)
        Variable d = z.reshape(n, 1, latent).sub(mu);
        Variable logComponent = d.square().mul(logVar.neg().exp()).add(logVar)
                .add((float) LOG_2PI).sum(false, 2).mul(-0.5f);
        return logComponent.logSumExp(1, false).sub((float) Math.log(count));
    }

    /** Picks a component {@code n ~ U{1..N}} per draw, then {@code z = μ_n + σ_n ⊙ ε}. */
    @Override
    public Variable sample(int n, Rng rng) {
        int[] picked = new int[n];
        for (int i = 0; i < n; i++) {
            picked[i] = rng.nextInt(count);
        }
        Variable mu = components.mu().gatherRows(picked);
        Variable std = components.logVar().gatherRows(picked).mul(0.5f).exp();
        Variable eps = Variable.constant(rng.normal(mu.backend(), Shape.of(n, latent), 0, 1));
        return mu.add(std.mul(eps));
    }

    @Override
    public boolean isStandardNormal() {
        return false;
    }
}
