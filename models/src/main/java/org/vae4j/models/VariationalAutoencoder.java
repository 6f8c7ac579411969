package org.vae4j.models;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.vae4j.anomaly.AnomalyScorer;
import org.vae4j.anomaly.ScoreOptions;
import org.vae4j.anomaly.Scores;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.loss.Losses;
import org.vae4j.model.Decoder;
import org.vae4j.model.Encoder;
import org.vae4j.model.Generator;
import org.vae4j.model.LikelihoodEstimator;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Reconstructor;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Activation;
import org.vae4j.nn.Sequential;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.tensor.UnaryOp;

/**
 * The variational autoencoder (Kingma and Welling, 2014) with an MLP encoder and decoder, and its
 * variants by configuration: conditional ({@code cvae}, Sohn et al., 2015: {@code numClasses > 0}),
 * and β-VAE ({@code beta-vae}: a {@link KlPenalty} other than the standard one).
 *
 * <pre>
 * q(z | x, y) = N(μ, diag σ²),  [μ, log σ²] = enc([x, y])      (y: one-hot label, cvae only)
 * z = μ + σ ⊙ ε,  ε ~ N(0, I)                                     (reparameterisation)
 * L = (1/n) Σ_i [ −log p(x_i | z_i, y_i) + KL(q(z | x_i, y_i) ‖ N(0, I)) ]
 * </pre>
 *
 * <p>The loss is the negative ELBO with one sample of z per example, summed over pixels and
 * latent dimensions and averaged over the batch: nats per example. Its terms are
 * {@code reconstruction} ({@code −log p(x|z)}) and {@code kl} (analytic); a β-VAE adds
 * {@code weighted-kl} (what enters the loss) and, when annealed, {@code capacity} (C(t)). ε comes
 * from the step's {@link Rng}, so a seed fixes the loss.
 */
public final class VariationalAutoencoder extends Model
        implements Encoder, Decoder, Reconstructor, Generator, LikelihoodEstimator,
        AnomalyScorer {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Architecture arch;
    private final int latent;
    private final int classes;
    private final Likelihood likelihood;
    private final KlPenalty klPenalty;
    private final Sequential encoder;
    private final Sequential decoder;
    private final PosteriorFlow flow;

    /** The diagonal Gaussian posterior of each example: {@code (n x latent)} mean and log σ². */
    public record Posterior(Variable mu, Variable logVar) {

        /** {@code σ = exp(½ log σ²)}. */
        public Variable std() {
            return logVar.mul(0.5f).exp();
        }
    }

    VariationalAutoencoder(String typeName, ModelConfig config, Backend backend, Architecture arch,
            int latent, int classes, Activation activation, Likelihood likelihood,
            KlPenalty klPenalty, Rng rng) {
        this(typeName, config, backend, arch, latent, classes, activation, likelihood, klPenalty,
                null, rng);
    }

    /** As above with a normalizing flow on the posterior sample ({@code flow}: null for none). */
    VariationalAutoencoder(String typeName, ModelConfig config, Backend backend, Architecture arch,
            int latent, int classes, Activation activation, Likelihood likelihood,
            KlPenalty klPenalty, PosteriorFlow flow, Rng rng) {
        super(typeName, config, backend);
        this.arch = arch;
        this.latent = latent;
        this.classes = classes;
        this.klPenalty = klPenalty;
        this.encoder = addModule("encoder",
                arch.encoder(backend, classes, 2 * latent, activation, rng));
        this.decoder = addModule("decoder",
                arch.decoder(backend, latent + classes, activation, rng));
        this.likelihood = addModule("likelihood", likelihood);
        this.flow = flow == null ? null : addModule("flow", flow);
    }

    @Override
    public Shape inputShape() {
        return arch.inputShape();
    }

    @Override
    public int latentSize() {
        return latent;
    }

    @Override
    public int numClasses() {
        return classes;
    }

    public Likelihood likelihood() {
        return likelihood;
    }

    public KlPenalty klPenalty() {
        return klPenalty;
    }

    @Override
    public void checkData(Dataset data) {
        super.checkData(data);
        if (classes > 0) {
            Inputs.checkLabelled(typeName(), data, classes);
        }
    }

    // ---------------------------------------------------------------- the objective

    @Override
    public Loss loss(Batch batch, StepContext context) {
        arch.checkExamples(batch.x().shape());
        Variable x = Variable.constant(batch.x());
        Variable y = condition(batch.labels(), batch.size());
        Posterior q = posterior(x, y);
        Variable eps = null;
        Variable z;
        if (flow == null) {
            z = reparameterize(q, context.rng());
        } else {
            eps = Variable.constant(context.rng().normal(backend(), q.mu().shape(), 0, 1));
            z = q.mu().add(q.std().mul(eps));
        }
        PosteriorFlow.Step flowed = flow == null ? null : flow.forward(z);
        if (flowed != null) {
            z = flowed.z();
        }
        // −log p(x | z, y), one sample of z per example
        Variable output = decoderOutput(z, y);
        Variable reconstruction = likelihood.negLogLikelihood(output, arch.rows(x));
        // KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²); with a flow the one-sample
        // Monte-Carlo estimate log q_0(z_0|x) − Σ_k log|det J_k| − log p(z_K)
        Variable kl = flowed == null ? Losses.klToStandardNormal(q.mu(), q.logVar())
                : monteCarloKl(q, eps, flowed).mean();
        Variable weightedKl = klPenalty.apply(kl, context.step());
        Loss loss = Loss.of(reconstruction.add(weightedKl))
                .with("reconstruction", reconstruction).with("kl", kl);
        for (var term : likelihood.terms(output, arch.rows(x)).entrySet()) {
            loss = loss.with("reconstruction-" + term.getKey(), term.getValue());
        }
        if (flowed != null) {
            loss = loss.with("kl-monte-carlo", kl).with("log-det", flowed.logDet().mean());
        }
        if (!klPenalty.isStandard()) {
            loss = loss.with("weighted-kl", weightedKl);
        }
        if (klPenalty.isCapacity()) {
            loss = loss.with("capacity", Variable.scalar(backend(),
                    (float) klPenalty.capacityAt(context.step())));
        }
        return loss;
    }

    /**
     * Per example, {@code log q_0(z_0|x) − Σ_k log|det J_k| − log p(z_K)} with
     * {@code z_0 = μ + σ ⊙ ε}: the log 2π terms cancel, leaving
     * {@code −½ Σ (ε² + log σ²) + ½ Σ z_K² − Σ_k log|det J_k|}.
     */
    private static Variable monteCarloKl(Posterior q, Variable eps, PosteriorFlow.Step flowed) {
        return flowed.z().square().sub(eps.square()).sub(q.logVar()).sum(false, 1).mul(0.5f)
                .sub(flowed.logDet());
    }

    /** The flow on the posterior sample, or null for none. */
    PosteriorFlow flow() {
        return flow;
    }

    /** The latent the decoder reads for the posterior mean: μ, or f_K ∘ … ∘ f_1(μ) with a flow. */
    private Variable meanPath(Variable mu) {
        return flow == null ? mu : flow.forward(mu).z();
    }

    /** {@code [μ, log σ²] = enc([x, y])}: the encoder's {@code 2·latent} outputs split in two. */
    public Posterior posterior(Variable x, Variable y) {
        Variable h = encoder.forward(arch.encoderInput(x, y));
        return new Posterior(h.slice(1, 0, latent), h.slice(1, latent, 2 * latent));
    }

    /** {@code z = μ + σ ⊙ ε} with {@code ε ~ N(0, I)} drawn from {@code rng}. */
    public Variable reparameterize(Posterior q, Rng rng) {
        Variable eps = Variable.constant(rng.normal(backend(), q.mu().shape(), 0, 1));
        return q.mu().add(q.std().mul(eps));
    }

    /** The decoder's raw output for {@code [z, y]}: logits (Bernoulli) or the mean (Gaussian). */
    public Variable decoderOutput(Variable z, Variable y) {
        return decoder.forward(withCondition(z, y));
    }

    /**
     * The one-hot labels as a constant {@code (n x classes)}, or null for an unconditional model
     * (which ignores labels).
     */
    public Variable condition(int[] labels, int n) {
        if (classes == 0) {
            return null;
        }
        Inputs.checkLabels(typeName(), labels, n, classes);
        return Variable.oneHot(backend(), labels, classes);
    }

    private static Variable withCondition(Variable v, Variable y) {
        return y == null ? v : Variable.concat(1, v, y);
    }

    // ---------------------------------------------------------------- capabilities

    /** The posterior mean μ of each example. */
    @Override
    public Tensor encode(Batch batch) {
        arch.checkExamples(batch.x().shape());
        return withoutGradient(() -> meanPath(posterior(Variable.constant(batch.x()),
                condition(batch.labels(), batch.size())).mu()));
    }

    /** The mean of {@code p(x | z, y)}: pixel probabilities {@code sigmoid(logits)} for Bernoulli. */
    @Override
    public Tensor decode(Tensor z, int[] labels) {
        if (z.shape().rank() != 2 || z.shape().dim(1) != latent) {
            throw new IllegalArgumentException(typeName() + " decodes latent codes of width "
                    + latent + " (setting 'latent'), got " + z.shape());
        }
        return withoutGradient(() -> likelihood.mean(decoderOutput(Variable.constant(z),
                condition(labels, z.shape().dim(0)))));
    }

    /** The decoded posterior mean: {@code E[x | z = μ(x)]}, deterministic. */
    @Override
    public Tensor reconstruct(Batch batch) {
        arch.checkExamples(batch.x().shape());
        return withoutGradient(() -> {
            Variable y = condition(batch.labels(), batch.size());
            Variable mu = meanPath(posterior(Variable.constant(batch.x()), y).mu());
            return likelihood.mean(decoderOutput(mu, y));
        });
    }

    /** The decoded mean of {@code z ~ N(0, I)}, conditioned on {@code labels} for a cvae. */
    @Override
    public Tensor sample(int n, int[] labels, Rng rng) {
        if (n < 0) {
            throw new IllegalArgumentException(typeName() + ": cannot draw " + n + " samples");
        }
        return withoutGradient(() -> {
            Variable y = condition(labels, n);
            Variable z = Variable.constant(rng.normal(backend(), Shape.of(n, latent), 0, 1));
            return likelihood.mean(decoderOutput(z, y));
        });
    }

    /**
     * The importance-weighted estimate (Burda et al., 2016) with {@code K = samples} draws
     * {@code z_k ~ q(z | x)}:
     * {@code log p(x) ≈ log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x)}, computed as a log-sum-exp.
     * It is a lower bound that rises towards {@code log p(x)} as K grows; K = 1 is the ELBO.
     */
    @Override
    public Tensor logLikelihood(Batch batch, int samples, Rng rng) {
        arch.checkExamples(batch.x().shape());
        if (samples < 1) {
            throw new IllegalArgumentException(typeName() + ": the importance-weighted estimate"
                    + " needs at least 1 sample, got " + samples);
        }
        int n = batch.size();
        return withoutGradient(() -> {
            Variable x = Variable.constant(batch.x());
            Variable y = condition(batch.labels(), n);
            Posterior q = posterior(x, y);
            Variable std = q.std();
            Variable halfLogVarSum = q.logVar().sum(false, 1).mul(0.5f);
            List<Variable> logWeights = new ArrayList<>();
            for (int k = 0; k < samples; k++) {
                try (TensorScope scope = backend().newScope()) {
                    Variable eps = Variable.constant(rng.normal(backend(), q.mu().shape(), 0, 1));
                    Variable z = q.mu().add(std.mul(eps));
                    PosteriorFlow.Step flowed = flow == null ? null : flow.forward(z);
                    if (flowed != null) {
                        z = flowed.z();
                    }
                    Variable logPxGivenZ = likelihood.negLogLikelihoodPerExample(
                            decoderOutput(z, y), arch.rows(x)).neg();
                    // log p(z) = −½ Σ (z² + log 2π);  log q(z|x) = −½ Σ (ε² + log σ² + log 2π)
                    Variable logPz = z.square().add((float) LOG_2PI).sum(false, 1).mul(-0.5f);
                    Variable logQz = eps.square().add((float) LOG_2PI).sum(false, 1).mul(-0.5f)
                            .sub(halfLogVarSum);
                    if (flowed != null) {
                        logQz = logQz.sub(flowed.logDet());   // log q_K(z_K) = log q_0 − Σ log|det|
                    }
                    Variable logW = logPxGivenZ.add(logPz).sub(logQz).reshape(n, 1);
                    logWeights.add(Variable.constant(scope.keep(logW.value())));
                }
            }
            // log (1/K) Σ_k w_k = logsumexp_k(log w_k) − log K
            return Variable.concat(1, logWeights).logSumExp(1, false)
                    .sub((float) Math.log(samples));
        });
    }

    // ---------------------------------------------------------------- anomaly scores

    private static final List<String> SCORES = List.of(Scores.ELBO,
            Scores.RECONSTRUCTION_PROBABILITY, Scores.IW_NLL, Scores.RECONSTRUCTION_ERROR);

    /**
     * {@code elbo} (the default), {@code reconstruction-probability}, {@code iw-nll} and
     * {@code reconstruction-error}; all but the last in nats, each per example:
     *
     * <pre>
     * reconstruction-probability(x) = (1/L) Σ_l −log p(x | z_l, y),  z_l = μ + σ ⊙ ε_l   (An and Cho 2015)
     * elbo(x)                      = reconstruction-probability(x) + KL(q(z|x, y) ‖ N(0, I))   (analytic KL, β = 1)
     * iw-nll(x)                    = −log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x)               (see logLikelihood)
     * reconstruction-error(x)      = Σ_j (x_j − E[x_j | z = μ(x)])²                             (see reconstruct)
     * </pre>
     *
     * L and K are {@link ScoreOptions#samples()}; ε comes from {@link ScoreOptions#rng()}. An and
     * Cho score the mean probability {@code p(x|z_l)}; its negative log averaged over the draws
     * is used here, so the score is in nats and sums over the features like the loss. The
     * {@code elbo} score is the loss of one example with L draws instead of one and without a
     * β-VAE's weight on the KL: the bound on {@code −log p(x)} itself.
     */
    @Override
    public List<String> scoreNames() {
        return SCORES;
    }

    @Override
    public Tensor score(String name, Batch batch, ScoreOptions options) {
        arch.checkExamples(batch.x().shape());
        switch (name) {
            case Scores.RECONSTRUCTION_ERROR -> {
                try (TensorScope scope = backend().newScope()) {
                    return scope.keep(Scores.reconstructionError(backend(), this, batch));
                }
            }
            case Scores.IW_NLL -> {
                try (TensorScope scope = backend().newScope()) {
                    return scope.keep(backend().unary(UnaryOp.NEG,
                            logLikelihood(batch, options.samples(), options.rng())));
                }
            }
            case Scores.RECONSTRUCTION_PROBABILITY, Scores.ELBO -> {
                boolean withKl = name.equals(Scores.ELBO);
                return withoutGradient(() -> posteriorScore(batch, options, withKl));
            }
            default -> throw Scores.unknown(typeName(), name, SCORES);
        }
    }

    /** {@code (1/L) Σ_l −log p(x | z_l)}, plus the analytic KL when {@code withKl}. */
    private Variable posteriorScore(Batch batch, ScoreOptions options, boolean withKl) {
        int n = batch.size();
        int draws = options.samples();
        Variable x = Variable.constant(batch.x());
        Variable y = condition(batch.labels(), n);
        Posterior q = posterior(x, y);
        Variable sum = null;
        for (int l = 0; l < draws; l++) {
            if (flow != null) {
                // with a flow, each draw's −log p(x|z_K) plus its Monte-Carlo KL when withKl
                Variable eps = Variable.constant(options.rng().normal(backend(), q.mu().shape(),
                        0, 1));
                PosteriorFlow.Step flowed = flow.forward(q.mu().add(q.std().mul(eps)));
                Variable nll = likelihood.negLogLikelihoodPerExample(
                        decoderOutput(flowed.z(), y), arch.rows(x));
                if (withKl) {
                    nll = nll.add(monteCarloKl(q, eps, flowed));
                }
                sum = sum == null ? nll : sum.add(nll);
                continue;
            }
            Variable z = reparameterize(q, options.rng());
            Variable nll = likelihood.negLogLikelihoodPerExample(decoderOutput(z, y),
                    arch.rows(x));
            sum = sum == null ? nll : sum.add(nll);
        }
        Variable score = sum.mul(1f / draws);
        if (withKl && flow == null) {
            // KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ_d (1 + log σ² − μ² − σ²), per example
            Variable kl = q.logVar().add(1f).sub(q.mu().square()).sub(q.logVar().exp())
                    .sum(false, 1).mul(-0.5f);
            score = score.add(kl);
        }
        return score;
    }

    @Override
    public boolean hasContributions(String name) {
        return Scores.RECONSTRUCTION_ERROR.equals(name)
                || Scores.RECONSTRUCTION_PROBABILITY.equals(name) && likelihood.hasPerFeature();
    }

    /**
     * For {@code reconstruction-error}: {@code (x_j − x̂_j)²} of every feature; for
     * {@code reconstruction-probability} with a table likelihood: each feature's
     * {@code (1/L) Σ_l −log p(x_j | z_l)}, the same draws as the score given the same generator
     * state.
     */
    @Override
    public Tensor contributions(String name, Batch batch, ScoreOptions options) {
        if (!hasContributions(name)) {
            return AnomalyScorer.super.contributions(name, batch, options);
        }
        arch.checkExamples(batch.x().shape());
        if (Scores.RECONSTRUCTION_PROBABILITY.equals(name)) {
            return withoutGradient(() -> {
                Variable x = Variable.constant(batch.x());
                Variable y = condition(batch.labels(), batch.size());
                Posterior q = posterior(x, y);
                Variable sum = null;
                for (int l = 0; l < options.samples(); l++) {
                    Variable z = reparameterize(q, options.rng());
                    z = flow == null ? z : flow.forward(z).z();
                    Variable t = likelihood.negLogLikelihoodPerFeature(decoderOutput(z, y),
                            arch.rows(x));
                    sum = sum == null ? t : sum.add(t);
                }
                return sum.mul(1f / options.samples());
            });
        }
        try (TensorScope scope = backend().newScope()) {
            return scope.keep(Scores.squaredErrors(backend(), this, batch));
        }
    }

    private Tensor withoutGradient(Supplier<Variable> f) {
        try (TensorScope scope = backend().newScope(); NoGrad ignored = NoGrad.enter()) {
            return scope.keep(f.get().value());
        }
    }

    @Override
    public String toString() {
        return typeName() + "(" + arch + ", " + arch.inputSize() + " -> " + latent + (classes > 0 ? ", " + classes
                + " classes" : "") + ", " + likelihood + ", " + klPenalty
                + (flow == null ? "" : ", " + flow) + ")";
    }
}
