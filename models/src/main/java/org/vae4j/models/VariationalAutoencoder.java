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
import org.vae4j.nn.Parameter;
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
 * β-VAE ({@code beta-vae}: a {@link KlPenalty} other than the standard one), the MMD-matched
 * models ({@code wae}, {@code info-vae}: a {@link MmdPenalty} adds {@code w · MMD²(q(z), p(z))}
 * and the term {@code mmd}), the importance-weighted autoencoder ({@code iwae}, Burda et al.,
 * 2016: {@link Variant#samples()} K ≥ 1, trained on the K-sample bound) and the VampPrior
 * ({@code vamp-vae}, Tomczak and Welling, 2018: {@link Variant#pseudoInputs()} N ≥ 1, the prior a
 * {@link VampPrior}). Each of them takes a normalizing flow on the posterior sample
 * ({@link PosteriorFlow}: planar, radial or IAF, {@code --flow}). The adversarial autoencoder
 * ({@code aae}) is a subclass: the KL replaced by a discriminator on z, trained in phases of its
 * own ({@link AdversarialAutoencoder}).
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
 * from the step's {@link Rng}, so a seed fixes the loss. With a VampPrior the KL is the one-sample
 * estimate {@code log q(z|x) − log p(z)}; an iwae's loss is {@code −(1/n) Σ_i log (1/K) Σ_k w_ik}
 * (see {@link #logLikelihood}) and its {@code reconstruction} and {@code kl} terms are the
 * averages over the K draws.
 *
 * <p>With a flow, {@code z_K = f_K ∘ … ∘ f_1(z_0)}, {@code z_0 = μ + σ ⊙ ε}, takes z's place
 * everywhere a draw is decoded, and the density of the draw is
 * {@code log q_K(z_K|x) = log q_0(z_0|x) − Σ_k log|det ∂f_k/∂z|}: the KL is then the one-sample
 * Monte-Carlo estimate {@code log q_0(z_0|x) − Σ_k log|det J_k| − log p(z_K)}, logged as
 * {@code kl} and {@code kl-monte-carlo}, with {@code log-det} the mean {@code Σ_k log|det J_k|};
 * the importance weights and scores use the same density. The flow composes with the β weight,
 * the MMD term (on z_K), the K-sample bound and the VampPrior alike.
 */
public sealed class VariationalAutoencoder extends Model
        implements Encoder, Decoder, Reconstructor, Generator, LikelihoodEstimator,
        AnomalyScorer permits AdversarialAutoencoder {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Architecture arch;
    private final int latent;
    private final int classes;
    private final Likelihood likelihood;
    private final KlPenalty klPenalty;
    private final MmdPenalty mmdPenalty;
    private final Sequential encoder;
    private final Sequential decoder;
    private final Variant variant;
    private final Parameter pseudoInputs;
    private final PosteriorFlow flow;

    /**
     * The objective and prior beyond the plain VAE: {@code samples} K ≥ 1 trains on the
     * importance-weighted bound with K draws (0: the ELBO); {@code pseudoInputs} N ≥ 1 makes the
     * prior a VampPrior over N learned pseudo-inputs (0: {@code N(0, I)}), which pass through a
     * sigmoid when {@code squashed} (pixel probabilities for a Bernoulli likelihood).
     */
    record Variant(int samples, int pseudoInputs, boolean squashed) {

        static final Variant PLAIN = new Variant(0, 0, false);
    }

    /**
     * The diagonal Gaussian posterior of each example: {@code (n x latent)} mean and log σ², and
     * the encoder's context h for an IAF flow that reads one (else null).
     */
    public record Posterior(Variable mu, Variable logVar, Variable context) {

        public Posterior(Variable mu, Variable logVar) {
            this(mu, logVar, null);
        }

        /** {@code σ = exp(½ log σ²)}. */
        public Variable std() {
            return logVar.mul(0.5f).exp();
        }
    }

    VariationalAutoencoder(String typeName, ModelConfig config, Backend backend, Architecture arch,
            int latent, int classes, Activation activation, Likelihood likelihood,
            KlPenalty klPenalty, MmdPenalty mmdPenalty, Variant variant, Rng rng) {
        this(typeName, config, backend, arch, latent, classes, activation, likelihood, klPenalty,
                mmdPenalty, variant, PosteriorFlow.Spec.NONE, rng);
    }

    /**
     * As above with the normalizing flow {@code flowSpec} on the posterior sample; its
     * parameters are drawn last, so the encoder and decoder start as without a flow.
     */
    VariationalAutoencoder(String typeName, ModelConfig config, Backend backend, Architecture arch,
            int latent, int classes, Activation activation, Likelihood likelihood,
            KlPenalty klPenalty, MmdPenalty mmdPenalty, Variant variant,
            PosteriorFlow.Spec flowSpec, Rng rng) {
        super(typeName, config, backend);
        this.arch = arch;
        this.mmdPenalty = mmdPenalty;
        this.latent = latent;
        this.classes = classes;
        this.klPenalty = klPenalty;
        this.encoder = addModule("encoder", arch.encoder(backend, classes,
                2 * latent + flowSpec.contextSize(), activation, rng));
        this.decoder = addModule("decoder",
                arch.decoder(backend, latent + classes, activation, rng));
        this.likelihood = addModule("likelihood", likelihood);
        this.variant = variant;
        if (variant.samples() < 0 || variant.pseudoInputs() < 0) {
            throw new IllegalArgumentException(typeName + ": " + variant + " is negative");
        }
        if (variant.pseudoInputs() > 0) {
            int[] dims = arch.inputShape().dims();
            int[] shape = new int[dims.length + 1];
            shape[0] = variant.pseudoInputs();
            System.arraycopy(dims, 0, shape, 1, dims.length);
            // u ~ N(0, 0.1²): σ(u) ≈ 0.5 ± 0.025 at the start when squashed, a grey image
            this.pseudoInputs = addParameter("pseudo-inputs",
                    rng.normal(backend, Shape.of(shape), 0, 0.1));
        } else {
            this.pseudoInputs = null;
        }
        PosteriorFlow f = PosteriorFlow.of(flowSpec, latent, backend, rng);
        this.flow = f == null ? null : addModule("flow", f);
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

    public MmdPenalty mmdPenalty() {
        return mmdPenalty;
    }

    /** The objective's draws per example: K ≥ 1 for an iwae, 0 for the ELBO. */
    public int importanceSamples() {
        return variant.samples();
    }

    /** The VampPrior's number of pseudo-inputs, 0 for the standard normal prior. */
    public int pseudoInputCount() {
        return variant.pseudoInputs();
    }

    /** Whether a normalizing flow transforms the posterior sample. */
    public boolean hasFlow() {
        return flow != null;
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
        LatentPrior prior = prior();
        if (variant.samples() > 0) {
            return importanceWeightedLoss(x, y, q, prior, context.rng());
        }
        Sample s = sample(q, context.rng());
        Variable z = s.z();
        // −log p(x | z, y), one sample of z per example
        Variable output = decoderOutput(z, y);
        Variable reconstruction = likelihood.negLogLikelihood(output, arch.rows(x));
        // KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²), or its estimate
        // log q(z|x) − log p(z) at the draw for another prior or a flow
        Variable kl = prior.isStandardNormal() && flow == null
                ? Losses.klToStandardNormal(q.mu(), q.logVar())
                : s.logRatio(q, prior).mean();
        Variable weightedKl = klPenalty.apply(kl, context.step());
        Variable objective = reconstruction.add(weightedKl);
        // w · MMD²(q(z), p(z)) on the batch's codes, against as many prior draws
        Variable mmd = mmdPenalty.isActive() ? mmdPenalty.divergence(z, context.rng()) : null;
        if (mmd != null) {
            objective = objective.add(mmdPenalty.apply(mmd));
        }
        Loss loss = Loss.of(objective)
                .with("reconstruction", reconstruction).with("kl", kl);
        if (mmd != null) {
            loss = loss.with("mmd", mmd);
        }
        if (flow != null) {
            loss = loss.with("kl-monte-carlo", kl).with("log-det", s.logDet().mean());
        }
        for (var term : likelihood.terms(output, arch.rows(x)).entrySet()) {
            loss = loss.with("reconstruction-" + term.getKey(), term.getValue());
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
     * {@code −(1/n) Σ_i log (1/K) Σ_k w_ik} with {@code w_ik = p(x_i|z_ik) p(z_ik) / q(z_ik|x_i)},
     * the K-sample bound of Burda et al.; its gradient weighs each draw by its normalised weight.
     */
    private Loss importanceWeightedLoss(Variable x, Variable y, Posterior q, LatentPrior prior,
            Rng rng) {
        int n = x.shape().dim(0);
        int k = variant.samples();
        // the K draws as one batch of K·n rows, draw k in rows [k·n, (k+1)·n): the same noise as
        // K draws of n in turn, as logLikelihood takes them
        Posterior repeated = new Posterior(repeat(q.mu(), k), repeat(q.logVar(), k),
                q.context() == null ? null : repeat(q.context(), k));
        Draw d = draw(repeat(arch.rows(x), k), y == null ? null : repeat(y, k), repeated, rng);
        Variable nll = d.nll().reshape(k, n);
        Variable logRatio = d.sample().logRatio(repeated, prior).reshape(k, n);
        // log (1/K) Σ_k w_k = logsumexp_k(log w_k) − log K
        Variable bound = nll.add(logRatio).neg().logSumExp(0, false).sub((float) Math.log(k));
        Loss loss = Loss.of(bound.mean().neg())
                .with("reconstruction", nll.mean())
                .with("kl", logRatio.mean());
        if (flow != null) {
            loss = loss.with("kl-monte-carlo", logRatio.mean())
                    .with("log-det", d.sample().logDet().mean());
        }
        return loss;
    }

    /** {@code v} stacked {@code times} times along the batch axis. */
    private static Variable repeat(Variable v, int times) {
        return times == 1 ? v : Variable.concat(0, java.util.Collections.nCopies(times, v));
    }

    /** The prior of this batch: {@code N(0, I)}, or the VampPrior at the current pseudo-inputs. */
    LatentPrior prior() {
        if (pseudoInputs == null) {
            return LatentPrior.standardNormal(backend(), latent);
        }
        Variable u = variant.squashed() ? pseudoInputs.sigmoid() : pseudoInputs;
        return new VampPrior(posterior(u, null));
    }

    /**
     * One posterior draw: its noise ε, the code z (z_0 = μ + σ ⊙ ε, or z_K = f(z_0) with a flow)
     * and the flow's {@code Σ_k log|det J_k|} per example (null without a flow).
     */
    private record Sample(Variable eps, Variable z, Variable logDet) {

        /**
         * {@code log q(z|x) − log p(z)} per example, with
         * {@code log q_K(z_K|x) = log q_0(z_0|x) − Σ_k log|det J_k|} for a flow.
         */
        Variable logRatio(Posterior q, LatentPrior prior) {
            Variable logQ = logPosterior(q, eps);
            return (logDet == null ? logQ : logQ.sub(logDet)).sub(prior.logDensity(z));
        }
    }

    /** One draw and its {@code −log p(x | z, y)} per example. */
    private record Draw(Sample sample, Variable nll) {

        Variable logRatio(Posterior q, LatentPrior prior) {
            return sample.logRatio(q, prior);
        }
    }

    private Sample sample(Posterior q, Rng rng) {
        Variable eps = noise(q, rng);
        Variable z = q.mu().add(q.std().mul(eps));
        if (flow == null) {
            return new Sample(eps, z, null);
        }
        PosteriorFlow.Step flowed = flow.forward(z, q.context());
        return new Sample(eps, flowed.z(), flowed.logDet());
    }

    private Draw draw(Variable x, Variable y, Posterior q, Rng rng) {
        Sample s = sample(q, rng);
        return new Draw(s,
                likelihood.negLogLikelihoodPerExample(decoderOutput(s.z(), y), arch.rows(x)));
    }

    /**
     * The code the decoder reads for the posterior mean: μ, or the mean path
     * {@code f_K ∘ … ∘ f_1(μ)} with a flow.
     */
    private Variable meanCode(Posterior q) {
        return flow == null ? q.mu() : flow.forward(q.mu(), q.context()).z();
    }

    /** {@code log q(z|x) = −½ Σ_d (ε_d² + log σ_d² + log 2π)} at {@code z = μ + σ ⊙ ε}, per example. */
    private static Variable logPosterior(Posterior q, Variable eps) {
        return eps.square().add(q.logVar()).add((float) LOG_2PI).sum(false, 1).mul(-0.5f);
    }

    private Variable noise(Posterior q, Rng rng) {
        return Variable.constant(rng.normal(backend(), q.mu().shape(), 0, 1));
    }

    /**
     * {@code [μ, log σ²] = enc([x, y])}: the encoder's {@code 2·latent} outputs split in two,
     * followed by the context h when an IAF flow reads one.
     */
    public Posterior posterior(Variable x, Variable y) {
        Variable h = encoder.forward(arch.encoderInput(x, y));
        int c = flow == null ? 0 : flow.contextSize();
        return new Posterior(h.slice(1, 0, latent), h.slice(1, latent, 2 * latent),
                c == 0 ? null : h.slice(1, 2 * latent, 2 * latent + c));
    }

    /**
     * {@code z = μ + σ ⊙ ε} with {@code ε ~ N(0, I)} drawn from {@code rng}, then through the
     * flow if there is one.
     */
    public Variable reparameterize(Posterior q, Rng rng) {
        return sample(q, rng).z();
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

    /**
     * The posterior mean μ of each example; with a flow, its mean path
     * {@code f_K ∘ … ∘ f_1(μ)}, the code the decoder reads for it.
     */
    @Override
    public Tensor encode(Batch batch) {
        arch.checkExamples(batch.x().shape());
        return withoutGradient(() -> meanCode(posterior(Variable.constant(batch.x()),
                condition(batch.labels(), batch.size()))));
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

    /** The decoded posterior mean: {@code E[x | z = μ(x)]} (the mean path with a flow), deterministic. */
    @Override
    public Tensor reconstruct(Batch batch) {
        arch.checkExamples(batch.x().shape());
        return withoutGradient(() -> {
            Variable y = condition(batch.labels(), batch.size());
            Variable mu = meanCode(posterior(Variable.constant(batch.x()), y));
            return likelihood.mean(decoderOutput(mu, y));
        });
    }

    /**
     * The decoded mean of {@code z ~ p(z)}, conditioned on {@code labels} for a cvae; a VampPrior
     * draws each z from a pseudo-input's posterior picked with {@code rng}.
     */
    @Override
    public Tensor sample(int n, int[] labels, Rng rng) {
        if (n < 0) {
            throw new IllegalArgumentException(typeName() + ": cannot draw " + n + " samples");
        }
        return withoutGradient(() -> {
            Variable y = condition(labels, n);
            Variable z = prior().sample(n, rng);
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
            LatentPrior prior = prior();
            List<Variable> logWeights = new ArrayList<>();
            for (int k = 0; k < samples; k++) {
                try (TensorScope scope = backend().newScope()) {
                    // log w = log p(x | z) + log p(z) − log q(z | x)
                    Draw d = draw(x, y, q, rng);
                    Variable logW = d.nll().add(d.logRatio(q, prior)).neg().reshape(n, 1);
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
     * elbo(x)                      = reconstruction-probability(x) + KL(q(z|x, y) ‖ p(z))      (β = 1; analytic for N(0, I))
     * iw-nll(x)                    = −log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x)               (see logLikelihood)
     * reconstruction-error(x)      = Σ_j (x_j − E[x_j | z = μ(x)])²                             (see reconstruct)
     * </pre>
     *
     * L and K are {@link ScoreOptions#samples()}; ε comes from {@link ScoreOptions#rng()}. An and
     * Cho score the mean probability {@code p(x|z_l)}; its negative log averaged over the draws
     * is used here, so the score is in nats and sums over the features like the loss. With a
 * VampPrior or a flow the KL is estimated at the same L draws
     * ({@code log q(z_l|x) − log p(z_l)}, with {@code log q_K} for a flow). The
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
        LatentPrior prior = withKl ? prior() : null;
        boolean estimatedKl = withKl && (!prior.isStandardNormal() || flow != null);
        Variable sum = null;
        for (int l = 0; l < draws; l++) {
            Draw d = draw(x, y, q, options.rng());
            // without an analytic KL: (1/L) Σ_l [−log p(x | z_l) + log q(z_l|x) − log p(z_l)]
            Variable term = estimatedKl ? d.nll().add(d.logRatio(q, prior)) : d.nll();
            sum = sum == null ? term : sum.add(term);
        }
        Variable score = sum.mul(1f / draws);
        if (withKl && !estimatedKl) {
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
                + (mmdPenalty.isActive() ? ", " + mmdPenalty : "")
                + (variant.samples() > 0 ? ", K = " + variant.samples() : "")
                + (variant.pseudoInputs() > 0 ? ", VampPrior of " + variant.pseudoInputs() : "")
                + ")";
    }
}
