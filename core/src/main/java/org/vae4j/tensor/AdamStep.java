package org.vae4j.tensor;

/**
 * The settings of one Adam update ({@link Backend#adamUpdate}), with the bias corrections of
 * step {@code t} folded in as PyTorch's {@code torch.optim.Adam} folds them:
 *
 * <pre>
 * m' = β1·m + (1 − β1)·g
 * v' = β2·v + (1 − β2)·g²
 * p' = p − stepSize · m' / (sqrt(v') / sqrt(1 − β2^t) + eps),   stepSize = lr / (1 − β1^t)
 * </pre>
 *
 * @param beta1           decay of the first moment
 * @param beta2           decay of the second moment
 * @param eps             added to the denominator
 * @param stepSize        {@code lr / (1 − β1^t)}
 * @param bias2Sqrt       {@code sqrt(1 − β2^t)}
 */
public record AdamStep(double beta1, double beta2, double eps, double stepSize,
        double bias2Sqrt) {

    /** Step {@code t} (1-based) of Adam with these settings. */
    public static AdamStep of(double learningRate, double beta1, double beta2, double eps,
            long t) {
        if (t < 1) {
            throw new IllegalArgumentException("Adam: the step number starts at 1, got " + t);
        }
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        return new AdamStep(beta1, beta2, eps, learningRate / bias1, Math.sqrt(bias2));
    }

    /** The new parameter and moments. */
    public record Result(Tensor param, Tensor m, Tensor v) {
    }
}
