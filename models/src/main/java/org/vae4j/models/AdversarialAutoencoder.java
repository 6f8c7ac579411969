package org.vae4j.models;

import java.util.Arrays;
import java.util.List;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.MultiOptimizerModel;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Activation;
import org.vae4j.nn.Mode;
import org.vae4j.nn.Sequential;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.train.TrainingStep;

/**
 * The adversarial autoencoder (Makhzani et al., 2016) with a Gaussian posterior: the {@link
 * VariationalAutoencoder}'s encoder and decoder, with the KL term replaced by a discriminator
 * {@code D} on z that tells draws of the prior {@code p(z) = N(0, I)} from the codes of the data,
 * and against which the encoder is trained, so that the aggregated posterior {@code q(z)} comes
 * to match the prior and decoding prior draws gives data. Each batch runs three phases, each
 * with an optimizer of its own ({@link #parameterGroups()}):
 *
 * <pre>
 * (1) reconstruction   encoder, decoder   L_rec = (1/n) Σ_i −log p(x_i | z_i),  z_i ~ q(z | x_i)
 * (2) discriminator    D                  L_D   = −(1/n) Σ_i [log D(z̃_i) + log(1 − D(z_i))],  z̃_i ~ N(0, I)
 * (3) generator        encoder            L_G   = −(1/n) Σ_i log D(z_i)
 * </pre>
 *
 * <p>{@code D} gives a logit; {@code −log D = softplus(−l)} and {@code −log(1 − D) = softplus(l)}.
 * Phase 2 sees the codes as constants, phase 3 the discriminator as phase 2 left it; each phase
 * encodes the batch afresh, after the previous phase's update. The generator's loss is the
 * non-saturating one of Goodfellow et al. The loss's terms are the VAE's with β = 0 ({@code
 * reconstruction}, {@code kl} with weight 0) and {@code discriminator}, {@code generator}.
 */
public final class AdversarialAutoencoder extends VariationalAutoencoder
        implements MultiOptimizerModel {

    /** The optimizer of the reconstruction phase: encoder and decoder. */
    public static final String AUTOENCODER = "autoencoder";
    /** The optimizer of the discriminator. */
    public static final String DISCRIMINATOR = "discriminator";
    /** The optimizer of the generator phase: the encoder again, with state of its own. */
    public static final String GENERATOR = "generator";

    private final Sequential discriminator;
    private final int[] discriminatorHidden;
    private final Double discriminatorRate;
    private final Double generatorRate;

    /**
     * {@code discriminatorRate} and {@code generatorRate} are the base learning rates of phases
     * 2 and 3, or null for the run's.
     */
    AdversarialAutoencoder(String typeName, ModelConfig config, Backend backend,
            Architecture arch, int latent, Activation activation, Likelihood likelihood,
            int[] discriminatorHidden, Double discriminatorRate, Double generatorRate, Rng rng) {
        super(typeName, config, backend, arch, latent, 0, activation, likelihood,
                KlPenalty.beta(0), MmdPenalty.none(), Variant.PLAIN, rng);
        this.discriminatorHidden = discriminatorHidden.clone();
        this.discriminator = addModule("discriminator", Networks.encoder(backend, latent,
                discriminatorHidden, 1, activation, rng));
        this.discriminatorRate = discriminatorRate;
        this.generatorRate = generatorRate;
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        ParameterGroup d = ParameterGroup.of(DISCRIMINATOR, "discriminator");
        ParameterGroup g = ParameterGroup.of(GENERATOR, "encoder");
        List<String> autoencoder = likelihood().parameters().isEmpty()
                ? List.of("encoder", "decoder") : List.of("encoder", "decoder", "likelihood");
        return List.of(new ParameterGroup(AUTOENCODER, autoencoder, null),
                discriminatorRate == null ? d : d.withLearningRate(discriminatorRate),
                generatorRate == null ? g : g.withLearningRate(generatorRate));
    }

    @Override
    public TrainingStep trainingStep() {
        return step -> {
            StepContext context = step.context();
            Batch batch = step.batch();
            try (Mode mode = context.openMode()) {
                // (1) reconstruction: the VAE's loss with β = 0, on encoder and decoder
                Loss loss = autoencoderLoss(batch, context);
                step.minimize(loss.total(), AUTOENCODER);
                // (2) the discriminator, on prior draws (real) against the codes (fake)
                Variable x = Variable.constant(batch.x());
                Variable fake = codes(x, context.rng()).detach();
                Variable d = discriminatorLoss(prior().sample(batch.size(), context.rng()),
                        fake).retainValue();
                step.minimize(d, DISCRIMINATOR);
                // (3) the generator: the encoder, to make the discriminator take codes as real
                Variable g = generatorLoss(codes(x, context.rng())).retainValue();
                step.minimize(g, GENERATOR);
                return loss.with(DISCRIMINATOR, d).with(GENERATOR, g);
            }
        };
    }

    /** The VAE's terms with β = 0, then the discriminator's and the generator's at these codes. */
    @Override
    public Loss loss(Batch batch, StepContext context) {
        Loss loss = autoencoderLoss(batch, context);
        Variable z = codes(Variable.constant(batch.x()), context.rng());
        Variable real = prior().sample(batch.size(), context.rng());
        return loss.with(DISCRIMINATOR, discriminatorLoss(real, z))
                .with(GENERATOR, generatorLoss(z));
    }

    private Loss autoencoderLoss(Batch batch, StepContext context) {
        return super.loss(batch, context);
    }

    /** {@code z ~ q(z | x)} of each example. */
    private Variable codes(Variable x, Rng rng) {
        return reparameterize(posterior(x, null), rng);
    }

    /** The logit of {@code D(z)}, one per row. */
    public Variable discriminate(Variable z) {
        return discriminator.forward(z);
    }

    /**
     * {@code −(1/n) Σ [log D(real) + log(1 − D(fake))] = mean softplus(−l_real) + mean
     * softplus(l_fake)}: the binary cross-entropy of the prior's draws as 1 and the codes as 0.
     */
    Variable discriminatorLoss(Variable real, Variable fake) {
        return discriminate(real).neg().softplus().mean()
                .add(discriminate(fake).softplus().mean());
    }

    /** {@code −(1/n) Σ log D(z) = mean softplus(−l)}: the codes taken for prior draws. */
    Variable generatorLoss(Variable z) {
        return discriminate(z).neg().softplus().mean();
    }

    @Override
    public String toString() {
        String vae = super.toString();
        return vae.substring(0, vae.length() - 1) + ", discriminator "
                + Arrays.toString(discriminatorHidden) + ")";
    }
}
