package org.vae4j.optim;

import java.util.Map;
import org.vae4j.nn.Parameter;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, as PyTorch's {@code torch.optim.SGD}
 * (no dampening, not Nesterov): {@code buf = momentum·buf + g; p −= lr·buf}. The buffer starts
 * at zero, so the first step uses {@code g}, as in PyTorch. Without momentum no state is kept.
 */
public final class Sgd extends AbstractOptimizer {

    private final double momentum;

    /** Plain SGD: {@code p −= lr·g}. */
    public Sgd(Map<String, Parameter> params, double learningRate) {
        this(params, learningRate, 0);
    }

    public Sgd(Map<String, Parameter> params, double learningRate, double momentum) {
        super(params, learningRate, momentum == 0 ? new String[0]
                : new String[] {"momentum_buffer"});
        if (!(momentum >= 0)) {
            throw new IllegalArgumentException("Sgd: momentum must be >= 0, got " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    protected Tensor[] update(Backend be, Parameter p, Tensor g, Tensor[] state, long t) {
        Tensor direction = momentum == 0 ? g
                : be.add(be.mul(state[0], be.scalar((float) momentum)), g);
        assign(p, be.add(p.value(),
                be.mul(direction, be.scalar((float) -stepLearningRate()))));
        return momentum == 0 ? new Tensor[0] : new Tensor[] {direction};
    }
}
