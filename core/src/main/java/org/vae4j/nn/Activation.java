package org.vae4j.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.vae4j.autodiff.Variable;
import org.vae4j.tensor.UnaryOp;

/** The elementwise nonlinearities a network can be configured with, by name ("relu"). */
public enum Activation implements Layer {
    IDENTITY {
        @Override
        public Variable forward(Variable x) {
            return x;
        }
    },
    RELU {
        @Override
        public Variable forward(Variable x) {
            return x.relu();
        }
    },
    TANH {
        @Override
        public Variable forward(Variable x) {
            return x.tanh();
        }
    },
    SIGMOID {
        @Override
        public Variable forward(Variable x) {
            return x.sigmoid();
        }
    },
    SOFTPLUS {
        @Override
        public Variable forward(Variable x) {
            return x.softplus();
        }
    },
    /**
     * {@code x} where {@code x > 0}, else {@code 0.01·x} (PyTorch's default slope); the gradient
     * is 1 above zero and 0.01 at and below it, as in PyTorch.
     */
    LEAKY_RELU {
        @Override
        public Variable forward(Variable x) {
            // x · (slope + (1 − slope)·step(x)), the mask a constant
            Variable scale = x.step().mul(1 - LEAKY_SLOPE).add(LEAKY_SLOPE);
            return x.mul(scale);
        }
    },

    /**
     * GELU (Hendrycks and Gimpel), exactly as PyTorch's default:
     * {@code x · Φ(x) = ½ x (1 + erf(x / √2))}.
     */
    GELU {
        @Override
        public Variable forward(Variable x) {
            Variable cdf = x.mul((float) (1 / Math.sqrt(2))).unary(UnaryOp.ERF).add(1).mul(0.5f);
            return x.mul(cdf);
        }
    };

    /** The slope of {@link #LEAKY_RELU} below zero. */
    public static final float LEAKY_SLOPE = 0.01f;

    /** Applies the activation; the same as {@link #forward}. */
    public Variable apply(Variable x) {
        return forward(x);
    }

    /** The configuration name, e.g. {@code relu}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The activation called {@code name} (case-insensitive), or an error listing the names. */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.configName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Activation::configName)
                        .collect(Collectors.joining(", ")));
    }
}
