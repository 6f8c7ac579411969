package org.vae4j.models;

import java.util.List;
import org.vae4j.model.ModelOption;

/** The settings of the built-in models, declared once with their defaults and meanings. */
final class Options {

    private Options() {
    }

    // ---------------------------------------------------------------- every MLP model

    static final ModelOption INPUT = new ModelOption("input", 784,
            "width of one input row (784 = 28x28 MNIST pixels)");
    static final ModelOption HIDDEN = new ModelOption("hidden", List.of(400),
            "hidden layer widths of the encoder MLP; the decoder mirrors them");
    static final ModelOption ACTIVATION = new ModelOption("activation", "relu",
            "nonlinearity after each hidden layer: relu, tanh, sigmoid or softplus");

    // ---------------------------------------------------------------- AE, DAE

    static final ModelOption AE_LATENT = new ModelOption("latent", 32,
            "width of the code z");
    static final ModelOption OUTPUT = new ModelOption("output", "sigmoid",
            "decoder output: sigmoid (for data in [0, 1]) or identity");
    static final ModelOption NOISE = new ModelOption("noise", "mask",
            "input corruption in training: mask (zero a fraction of inputs), gaussian or none");
    static final ModelOption NOISE_LEVEL = new ModelOption("noise-level", 0.3,
            "masking: fraction of inputs zeroed, in [0, 1); gaussian: noise standard deviation");

    // ---------------------------------------------------------------- VAE family

    static final ModelOption VAE_LATENT = new ModelOption("latent", 20,
            "width of the latent z (the encoder outputs twice this: mean and log-variance)");
    static final ModelOption LIKELIHOOD = new ModelOption("likelihood", "bernoulli",
            "p(x|z): bernoulli (decoder gives logits) or gaussian (decoder gives the mean)");
    static final ModelOption VARIANCE = new ModelOption("variance", 1.0,
            "gaussian likelihood only: a fixed variance > 0, or 'learned' (one shared log-variance)");
    static final ModelOption CLASSES = new ModelOption("classes", 10,
            "number of label classes; the one-hot label is appended to the encoder input and to z");
    static final ModelOption OBJECTIVE = new ModelOption("objective", "beta",
            "beta: loss = rec + beta*KL (Higgins et al.); capacity: rec + gamma*|KL - C(t)| "
                    + "(Burgess et al.)");
    static final ModelOption BETA = new ModelOption("beta", 4.0,
            "weight of the KL term in the beta objective");
    static final ModelOption GAMMA = new ModelOption("gamma", 1000.0,
            "weight of |KL - C(t)| in the capacity objective (KL is the batch mean, in nats)");
    static final ModelOption CAPACITY_MAX = new ModelOption("capacity-max", 25.0,
            "capacity objective: the final KL target C_max, in nats");
    static final ModelOption CAPACITY_STEPS = new ModelOption("capacity-steps", 100000,
            "capacity objective: steps over which C(t) grows linearly from 0 to C_max");

    // ---------------------------------------------------------------- VQ-VAE

    static final ModelOption POSITIONS = new ModelOption("positions", 8,
            "M: latent vectors per example (the encoder outputs M*D values)");
    static final ModelOption CODE_DIM = new ModelOption("code-dim", 16,
            "D: width of each latent vector and codebook entry");
    static final ModelOption CODEBOOK_SIZE = new ModelOption("codebook-size", 512,
            "K: number of codebook vectors");
    static final ModelOption COMMITMENT = new ModelOption("commitment", 0.25,
            "beta: weight of the commitment loss |z_e - sg[e]|^2");
    static final ModelOption EMA = new ModelOption("ema", false,
            "update the codebook by exponential moving averages instead of the codebook loss");
    static final ModelOption DECAY = new ModelOption("decay", 0.99,
            "EMA decay of the codebook statistics, in (0, 1)");
    static final ModelOption EPSILON = new ModelOption("epsilon", 1e-5,
            "EMA Laplace smoothing of the code counts");
    static final ModelOption DEAD_CODE_STEPS = new ModelOption("dead-code-steps", 100,
            "re-initialise a code unused for this many training steps from a random encoder "
                    + "output of the batch (0: never)");
}
