package org.vae4j.nn;

import org.vae4j.autodiff.Variable;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * A fully connected layer {@code y = x·W + b}.
 *
 * <p>The weight is stored as {@code (in x out)}, the transpose of PyTorch's {@code nn.Linear}
 * weight {@code (out x in)}, so the forward product needs no transpose. Initialised as PyTorch
 * does by default: weight and bias uniform in {@code [-1/sqrt(in), 1/sqrt(in))}, weight first,
 * drawn from {@link Rng}.
 */
public final class Linear extends Module implements Layer {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(Backend backend, int in, int out, Rng rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in
                    + " out=" + out);
        }
        this.in = in;
        this.out = out;
        double bound = 1.0 / Math.sqrt(in);
        this.weight = addParameter("weight", rng.uniform(backend, Shape.of(in, out), -bound, bound));
        this.bias = addParameter("bias", rng.uniform(backend, Shape.of(out), -bound, bound));
    }

    @Override
    public Variable forward(Variable x) {
        return Variable.linear(x, weight, bias);
    }

    /** {@code relu(x·W + b)} as one fused op: the same values as {@code relu(forward(x))}. */
    public Variable forwardRelu(Variable x) {
        return Variable.linearRelu(x, weight, bias);
    }

    /** Followed by {@link Activation#RELU}, the fused {@link #forwardRelu}. */
    @Override
    public Layer fuseWith(Layer next) {
        return next == Activation.RELU ? this::forwardRelu : null;
    }

    /** The {@code (in x out)} weight. */
    public Parameter weight() {
        return weight;
    }

    /** The {@code (out)} bias. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return "Linear(" + in + " -> " + out + ")";
    }
}
