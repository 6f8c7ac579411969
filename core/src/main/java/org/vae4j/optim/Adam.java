package org.vae4j.optim;

import java.util.Map;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.UnaryOp;

/**
 * Adam (Kingma and Ba, 2015), computed as PyTorch's {@code torch.optim.Adam} does, in the same
 * order of float operations:
 *
 * <pre>
 * m = β1·m + (1 − β1)·g
 * v = β2·v + (1 − β2)·g²
 * p = p − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)
 * </pre>
 *
 * which is {@code p −= lr·m̂/(sqrt(v̂) + eps)} with the bias-corrected moments. State buffers are
 * named {@code exp_avg} and {@code exp_avg_sq}, as in PyTorch.
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

    @Override
    protected Tensor[] update(Backend be, Parameter p, Tensor g, Tensor[] state, long t) {
        Tensor m = be.add(be.mul(state[0], s(be, beta1)), be.mul(g, s(be, 1 - beta1)));
        Tensor v = be.add(be.mul(state[1], s(be, beta2)),
                be.mul(be.mul(g, g), s(be, 1 - beta2)));
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        double stepSize = learningRate() / bias1;
        Tensor denom = be.add(be.div(be.unary(UnaryOp.SQRT, v), s(be, Math.sqrt(bias2))),
                s(be, eps));
        assign(p, be.add(p.value(), be.mul(be.div(m, denom), s(be, -stepSize))));
        return new Tensor[] {m, v};
    }

    private static Tensor s(Backend be, double v) {
        return be.scalar((float) v);
    }
}
