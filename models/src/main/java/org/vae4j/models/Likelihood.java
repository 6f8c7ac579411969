package org.vae4j.models;

import org.vae4j.autodiff.Variable;
import org.vae4j.loss.Losses;
import org.vae4j.nn.Module;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * The decoder's observation model {@code p(x | z)} of a VAE: how the decoder output is read and
 * scored against the data.
 *
 * <ul>
 *   <li>{@link #bernoulli()}: the decoder outputs logits {@code l};
 *       {@code −log p(x|z) = Σ_j softplus(l_j) − x_j·l_j} (stable for any logit).</li>
 *   <li>{@link #gaussian(double)}: the decoder outputs the mean {@code μ} with a fixed variance
 *       {@code σ²}; {@code −log p(x|z) = Σ_j (x_j − μ_j)²/(2σ²) + ½ log 2πσ²}.</li>
 *   <li>{@link #learnedGaussian(Backend)}: the same with one log-variance, shared by every
 *       feature, learned with the model (parameter {@code log_variance}). A variance per feature
 *       would run off to 0 on MNIST's constant border pixels and the likelihood to infinity.</li>
 * </ul>
 *
 * Every loss is summed over features; {@link #negLogLikelihood} then averages over the batch.
 */
public abstract class Likelihood extends Module {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    Likelihood() {
    }

    /**
     * The composite likelihood of a table whose encoded columns {@code layout} describes
     * ({@link TableLikelihood#parseLayout}); its numeric columns' log-variances are learned.
     */
    public static Likelihood table(Backend backend, String layout) {
        return new TableLikelihood(backend, TableLikelihood.parseLayout(layout));
    }

    /**
     * The parts of {@code −log p(x | z)} to log beside the total, each averaged over the batch
     * (a table's column groups); none for images.
     */
    public java.util.Map<String, Variable> terms(Variable decoderOutput, Variable x) {
        return java.util.Map.of();
    }

    /** A Bernoulli likelihood: the decoder outputs logits. */
    public static Likelihood bernoulli() {
        return new Bernoulli();
    }

    /** A Gaussian likelihood with fixed variance: the decoder outputs the mean. */
    public static Likelihood gaussian(double variance) {
        return new FixedGaussian(variance);
    }

    /** A Gaussian likelihood with one learned log-variance, initially 0 (variance 1). */
    public static Likelihood learnedGaussian(Backend backend) {
        return new LearnedGaussian(backend);
    }

    /** {@code −log p(x | z)} summed over features and averaged over the batch, in nats. */
    public abstract Variable negLogLikelihood(Variable decoderOutput, Variable x);

    /** {@code −log p(x_i | z_i)} of each example: an {@code (n)} vector in nats. */
    public abstract Variable negLogLikelihoodPerExample(Variable decoderOutput, Variable x);

    /**
     * Whether {@link #negLogLikelihoodPerFeature} is defined: the table likelihood, whose terms
     * name a table's columns.
     */
    public boolean hasPerFeature() {
        return false;
    }

    /**
     * {@code −log p(x | z)} split over the encoded features, {@code (n x features)}, each row
     * summing to {@link #negLogLikelihoodPerExample}; only where {@link #hasPerFeature}.
     */
    public Variable negLogLikelihoodPerFeature(Variable decoderOutput, Variable x) {
        throw new IllegalArgumentException(this + " is not split over features");
    }

    /** The mean of {@code p(x | z)} in data space (pixel probabilities for a Bernoulli). */
    public abstract Variable mean(Variable decoderOutput);

    /** The setting value that selects it: {@code bernoulli} or {@code gaussian}. */
    public abstract String configName();

    private static final class Bernoulli extends Likelihood {
        @Override
        public Variable negLogLikelihood(Variable logits, Variable x) {
            return Losses.bceWithLogitsSum(logits, x);
        }

        @Override
        public Variable negLogLikelihoodPerExample(Variable logits, Variable x) {
            return logits.softplus().sub(x.mul(logits)).sum(false, 1);
        }

        @Override
        public Variable mean(Variable logits) {
            return logits.sigmoid();
        }

        @Override
        public String configName() {
            return "bernoulli";
        }

        @Override
        public String toString() {
            return "Bernoulli";
        }
    }

    private static final class FixedGaussian extends Likelihood {
        private final double variance;

        FixedGaussian(double variance) {
            if (!(variance > 0) || Double.isInfinite(variance)) {
                throw new IllegalArgumentException("gaussian likelihood: the variance must be"
                        + " a positive number, got " + variance);
            }
            this.variance = variance;
        }

        @Override
        public Variable negLogLikelihood(Variable mean, Variable x) {
            return Losses.gaussianNllSum(mean, x, variance);
        }

        @Override
        public Variable negLogLikelihoodPerExample(Variable mean, Variable x) {
            float constant = (float) (0.5 * (LOG_2PI + Math.log(variance)));
            return x.sub(mean).square().mul((float) (0.5 / variance)).add(constant).sum(false, 1);
        }

        @Override
        public Variable mean(Variable mean) {
            return mean;
        }

        @Override
        public String configName() {
            return "gaussian";
        }

        @Override
        public String toString() {
            return "Gaussian(variance " + variance + ")";
        }
    }

    private static final class LearnedGaussian extends Likelihood {
        private final Parameter logVariance;

        LearnedGaussian(Backend backend) {
            this.logVariance = addParameter("log_variance", backend.zeros(Shape.of(1)));
        }

        @Override
        public Variable negLogLikelihood(Variable mean, Variable x) {
            return Losses.gaussianNllSum(mean, logVariance, x);
        }

        @Override
        public Variable negLogLikelihoodPerExample(Variable mean, Variable x) {
            return logVariance.add(x.sub(mean).square().div(logVariance.exp()))
                    .add((float) LOG_2PI).mul(0.5f).sum(false, 1);
        }

        @Override
        public Variable mean(Variable mean) {
            return mean;
        }

        @Override
        public String configName() {
            return "gaussian";
        }

        @Override
        public String toString() {
            return "Gaussian(learned variance)";
        }
    }
}
