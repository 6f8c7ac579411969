package org.vae4j.models;

import java.util.Arrays;
import java.util.List;
import org.vae4j.model.ModelOption;
import org.vae4j.nn.Activation;

/**
 * The settings of the built-in models, declared once with their types, defaults, admitted values
 * and flags. Public so that a model from another module reuses them (and their defaults and
 * bounds) instead of repeating them; the program derives its model flags from the flags declared
 * here.
 */
public final class Options {

    private Options() {
    }

    /** The largest layer width, latent width or codebook size a setting admits. */
    public static final int MAX_WIDTH = 1 << 16;

    /** The largest input width a setting admits. */
    public static final int MAX_INPUT = 1 << 24;

    private static final String[] ACTIVATIONS =
            Arrays.stream(Activation.values()).map(Activation::configName).toArray(String[]::new);

    // ---------------------------------------------------------------- every MLP model

    public static final ModelOption INPUT = ModelOption.integer("input", 784,
            "width of one input row (784 = 28x28 MNIST pixels)").between(1, MAX_INPUT);
    public static final ModelOption HIDDEN = ModelOption.integers("hidden", List.of(400),
            "hidden layer widths of the encoder MLP; the decoder mirrors them")
            .between(1, MAX_WIDTH).withFlag("--hidden");
    public static final ModelOption ACTIVATION = ModelOption.choice("activation", "relu",
            "nonlinearity after each hidden layer: relu, tanh, sigmoid, softplus, leaky_relu,"
                    + " gelu or identity",
            ACTIVATIONS);

    // ---------------------------------------------------------------- architectures

    public static final ModelOption ARCH = ModelOption.choice("arch", "mlp",
            "encoder and decoder: mlp (fully connected, widths 'hidden') or conv (convolutional,"
                    + " for images of shape 'image'; the VAE family's latent defaults to 16)",
            "mlp", "conv").withFlag("--arch");
    public static final ModelOption IMAGE = ModelOption.integers("image", List.of(1, 28, 28),
            "conv: the shape of one image, channels, height, width (MNIST: 1 28 28)")
            .between(1, MAX_WIDTH).withFlag("--image");
    public static final ModelOption CHANNELS = ModelOption.integers("channels", List.of(32, 64),
            "conv: channels of each encoder stage (a stride-2 convolution halving height and"
                    + " width); the decoder mirrors them with transposed convolutions")
            .between(1, 4096).withFlag("--conv-channels");
    public static final ModelOption KERNEL = ModelOption.integer("kernel", 4,
            "conv: kernel size of every stage, with padding (kernel - 1) / 2").between(2, 15);
    public static final ModelOption NORM = ModelOption.choice("norm", "none",
            "conv: normalisation after each convolution but the decoder's last: none, batch,"
                    + " group (up to 8 groups) or layer", "none", "batch", "group", "layer").withFlag("--norm");


    // ---------------------------------------------------------------- AE, DAE

    public static final ModelOption AE_LATENT = ModelOption.integer("latent", 32,
            "width of the code z").between(1, MAX_WIDTH).withFlag("--latent");
    public static final ModelOption OUTPUT = ModelOption.choice("output", "sigmoid",
            "decoder output: sigmoid (for data in [0, 1]) or identity", "sigmoid", "identity");
    public static final ModelOption AE_TABLE_COLUMNS = ModelOption.text("table-columns", "",
            "tables only: the columns of a row, n (numeric: squared error), b (binary: binary"
                    + " cross-entropy) or cK (categorical of K: softmax cross-entropy), e.g."
                    + " n,n,b,c3; set from a table's schema; replaces 'output'");
    public static final ModelOption NOISE = ModelOption.choice("noise", "mask",
            "input corruption in training: mask (zero a fraction of inputs), gaussian or none",
            "mask", "gaussian", "none").withFlag("--noise");
    public static final ModelOption NOISE_LEVEL = ModelOption.number("noise-level", 0.3,
            "masking: fraction of inputs zeroed, in [0, 1); gaussian: noise standard deviation")
            .atLeast(0).withFlag("--noise-level");

    // ---------------------------------------------------------------- VAE family

    public static final ModelOption VAE_LATENT = ModelOption.integer("latent", 20,
            "width of the latent z (the encoder outputs twice this: mean and log-variance)")
            .between(1, MAX_WIDTH).withFlag("--latent");
    public static final ModelOption LIKELIHOOD = ModelOption.choice("likelihood", "bernoulli",
            "p(x|z): bernoulli (decoder gives logits), gaussian (decoder gives the mean) or"
                    + " table (per column: Gaussian, Bernoulli, categorical; see table-columns)",
            "bernoulli", "gaussian", "table");
    public static final ModelOption TABLE_COLUMNS = ModelOption.text("table-columns", "",
            "table likelihood only: the columns of a row, n (numeric), b (binary) or cK"
                    + " (categorical, K categories), e.g. n,n,b,c3; set from a table's schema");
    public static final ModelOption VARIANCE = ModelOption.number("variance", 1.0,
            "gaussian likelihood only: a fixed variance > 0, or 'learned' (one shared"
                    + " log-variance)").above(0).withWords("learned");
    public static final ModelOption CLASSES = ModelOption.integer("classes", 10,
            "number of label classes; the one-hot label is appended to the encoder input and to z")
            .between(1, MAX_WIDTH);
    public static final ModelOption OBJECTIVE = ModelOption.choice("objective", "beta",
            "beta: loss = rec + beta*KL (Higgins et al.); capacity: rec + gamma*|KL - C(t)| "
                    + "(Burgess et al.)", "beta", "capacity");
    public static final ModelOption BETA = ModelOption.number("beta", 4.0,
            "weight of the KL term in the beta objective").atLeast(0).withFlag("--beta")
            .flagAlsoSets("objective", "beta");
    public static final ModelOption GAMMA = ModelOption.number("gamma", 1000.0,
            "weight of |KL - C(t)| in the capacity objective (KL is the batch mean, in nats)")
            .atLeast(0);
    public static final ModelOption CAPACITY_MAX = ModelOption.number("capacity-max", 25.0,
            "capacity objective: the final KL target C_max, in nats").atLeast(0)
            .withFlag("--capacity-max").flagAlsoSets("objective", "capacity");
    public static final ModelOption CAPACITY_STEPS = ModelOption.integer("capacity-steps", 100000,
            "capacity objective: steps over which C(t) grows linearly from 0 to C_max")
            .atLeast(0);

    // ---------------------------------------------------------------- VQ-VAE

    public static final ModelOption POSITIONS = ModelOption.integer("positions", 8,
            "M: latent vectors per example (the encoder outputs M*D values)")
            .between(1, MAX_WIDTH);
    public static final ModelOption CODE_DIM = ModelOption.integer("code-dim", 16,
            "D: width of each latent vector and codebook entry").between(1, MAX_WIDTH);
    public static final ModelOption CODEBOOK_SIZE = ModelOption.integer("codebook-size", 512,
            "K: number of codebook vectors").between(1, MAX_WIDTH).withFlag("--codebook-size");
    public static final ModelOption COMMITMENT = ModelOption.number("commitment", 0.25,
            "beta: weight of the commitment loss |z_e - sg[e]|^2").atLeast(0)
            .withFlag("--commitment");
    public static final ModelOption EMA = ModelOption.bool("ema", false,
            "update the codebook by exponential moving averages instead of the codebook loss")
            .withFlag("--ema");
    public static final ModelOption DECAY = ModelOption.number("decay", 0.99,
            "EMA decay of the codebook statistics, in (0, 1)").above(0).below(1);
    public static final ModelOption EPSILON = ModelOption.number("epsilon", 1e-5,
            "EMA Laplace smoothing of the code counts").above(0);
    public static final ModelOption PRIOR = ModelOption.choice("prior", "independent",
            "prior over codes for sampling: independent (per-position code frequencies) or"
                    + " pixelcnn (autoregressive over the code grid, trained after the"
                    + " autoencoder; needs arch conv)", "independent", "pixelcnn")
            .withFlag("--prior");
    public static final ModelOption PRIOR_EPOCHS = ModelOption.integer("prior-epochs", 10,
            "pixelcnn: epochs of the prior's training on the training set's code grids")
            .atLeast(0).withFlag("--prior-epochs");
    public static final ModelOption PRIOR_WIDTH = ModelOption.integer("prior-width", 64,
            "pixelcnn: channels of the code embedding and of every masked convolution")
            .between(1, 4096);
    public static final ModelOption PRIOR_LAYERS = ModelOption.integer("prior-layers", 4,
            "pixelcnn: 3x3 masked convolutions of type B after the first (type A)")
            .between(0, 64);
    public static final ModelOption PRIOR_LEARNING_RATE = ModelOption.number("prior-lr", 1e-3,
            "pixelcnn: Adam's learning rate for the prior").above(0);
    public static final ModelOption DEAD_CODE_STEPS = ModelOption.integer("dead-code-steps", 100,
            "re-initialise a code unused for this many training steps from a random encoder "
                    + "output of the batch (0: never)").atLeast(0);
}
