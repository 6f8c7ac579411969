package org.vae4j.loss;

import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;

/**
 * Loss functions returning scalar variables. Each name or Javadoc says how it reduces: the
 * {@code *Sum} losses sum over the features of each example and average over the batch (axis 0),
 * i.e. they are per-example totals in nats, as the VAE papers report them; the others average
 * over every element, as PyTorch's default {@code reduction='mean'}.
 */
public final class Losses {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private Losses() {
    }

    /** Mean squared error over every element: {@code mean((x - y)²)}. */
    public static Variable mse(Variable prediction, Variable target) {
        checkSameShape("mse", prediction, target);
        return prediction.sub(target).square().mean();
    }

    /** Squared error summed over features, averaged over the batch: {@code Σ(x - y)² / n}. */
    public static Variable mseSum(Variable prediction, Variable target) {
        checkSameShape("mseSum", prediction, target);
        return perExample(prediction.sub(target).square());
    }

    /** Mean absolute error over every element: {@code mean(|x - y|)}. */
    public static Variable l1(Variable prediction, Variable target) {
        checkSameShape("l1", prediction, target);
        return prediction.sub(target).abs().mean();
    }

    /**
     * Bernoulli negative log-likelihood of {@code target} (values in [0, 1]) under
     * {@code sigmoid(logits)}, summed over features and averaged over the batch (nats per
     * example). Computed stably as {@code softplus(l) - t·l} with
     * {@code softplus(l) = max(l, 0) + log1p(e^-|l|)}, in one fused op
     * ({@link Variable#bceWithLogitsSum}) whose gradient is {@code sigmoid(l) - t}.
     */
    public static Variable bceWithLogitsSum(Variable logits, Variable target) {
        checkSameShape("bceWithLogitsSum", logits, target);
        return perExampleOfSum(Variable.bceWithLogitsSum(logits, target), logits.shape());
    }

    /**
     * Gaussian negative log-likelihood of {@code target} under N(mean, e^logVar), with the
     * constant: {@code ½ Σ (log 2π + logVar + (t - mean)² / e^logVar)}, summed over features,
     * averaged over the batch. {@code logVar} broadcasts (e.g. one learned value per feature).
     */
    public static Variable gaussianNllSum(Variable mean, Variable logVar, Variable target) {
        checkSameShape("gaussianNllSum", mean, target);
        Variable perElement = logVar.add(target.sub(mean).square().div(logVar.exp()))
                .add((float) LOG_2PI).mul(0.5f);
        return perExample(perElement);
    }

    /** {@link #gaussianNllSum(Variable, Variable, Variable)} with a fixed variance. */
    public static Variable gaussianNllSum(Variable mean, Variable target, double variance) {
        checkSameShape("gaussianNllSum", mean, target);
        if (!(variance > 0)) {
            throw new IllegalArgumentException("gaussianNllSum: variance must be positive, got "
                    + variance);
        }
        float constant = (float) (0.5 * (LOG_2PI + Math.log(variance)));
        return perExample(target.sub(mean).square().mul((float) (0.5 / variance)).add(constant));
    }

    /**
     * KL(N(mu, e^logVar) ‖ N(0, I)) of a diagonal Gaussian posterior:
     * {@code -½ Σ (1 + logVar - mu² - e^logVar)}, summed over latent dimensions, averaged over
     * the batch; one fused op ({@link Variable#gaussianKl}).
     */
    public static Variable klToStandardNormal(Variable mu, Variable logVar) {
        checkSameShape("klToStandardNormal", mu, logVar);
        return perExampleOfSum(Variable.gaussianKl(mu, logVar), mu.shape());
    }

    /** The sum of every element divided by the batch size (axis 0; 1 for a scalar). */
    private static Variable perExample(Variable perElement) {
        return perExampleOfSum(perElement.sum(), perElement.shape());
    }

    /** A sum over a tensor of {@code shape}, divided by its batch size (1 for a scalar). */
    private static Variable perExampleOfSum(Variable sum, Shape shape) {
        int n = shape.rank() == 0 ? 1 : shape.dim(0);
        return sum.div(Math.max(n, 1));
    }

    private static void checkSameShape(String loss, Variable a, Variable b) {
        if (!a.shape().equals(b.shape())) {
            throw new ShapeException(loss + ": shapes " + a.shape() + " and " + b.shape()
                    + " differ; expected the same shape");
        }
    }
}
