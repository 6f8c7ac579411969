package org.vae4j.optim;

import java.util.Map;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.AdamStep;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Tensor;

/**
 * Adam (Kingma and Ba, 2015), computed as PyTorch's {@code torch.optim.Adam} does:
 *
 * <pre>
 * m = β1·m + (1 − β1)·g
 * v = β2·v + (1 − β2)·g²
 * p = p − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)
 * </pre>
 *
 * which is {@code p −= lr·m̂/(sqrt(v̂) + eps)} with the bias-corrected moments. State buffers are
 * named {@code exp_avg} and {@code exp_avg_sq}, as in PyTorch.
 *
 * <p>Each parameter's update is one {@link Backend#adamUpdate}: its definition is the formula
 * above in that order; a backend's fused kernel (in place, one pass) agrees with it to float
 * rounding, which the conformance kit checks.
 */
public final class Adam extends AbstractOptimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;

    /** Adam with PyTorch's defaults: β1 = 0.9, β2 = 0.999, eps = 1e-8. */
    public Adam(Map<String, Parameter> params, double learningRate) {
        this(params, learningRate, 0.9, 0.999, 1e-8);
    }

    public Adam(Map<String, Parameter> params, double learningRate, double beta1, double beta2,
            double eps) {
        super(params, learningRate, "exp_avg", "exp_avg_sq");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got beta1="
                    + beta1 + " beta2=" + beta2);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("Adam: eps must be >= 0, got " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /**
     * One fused {@link Backend#adamUpdate}; a backend may write the parameter and both moments
     * in place, since the parameter and this optimizer own them outside every scope.
     */
    @Override
    protected Tensor[] update(Backend be, Parameter p, Tensor g, Tensor[] state, long t) {
        AdamStep.Result r = be.adamUpdate(p.value(), g, state[0], state[1],
                AdamStep.of(stepLearningRate(), beta1, beta2, eps, t));
        assign(p, r.param());
        return new Tensor[] {r.m(), r.v()};
    }
}
