package org.vae4j.models;

import static org.vae4j.models.Options.ARCH;
import static org.vae4j.models.Options.CHANNELS;
import static org.vae4j.models.Options.IMAGE;
import static org.vae4j.models.Options.KERNEL;
import static org.vae4j.models.Options.NORM;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vae4j.autodiff.Variable;
import org.vae4j.model.ModelConfig;
import org.vae4j.nn.Activation;
import org.vae4j.nn.BatchNorm;
import org.vae4j.nn.Conv2d;
import org.vae4j.nn.ConvTranspose2d;
import org.vae4j.nn.Flatten;
import org.vae4j.nn.GroupNorm;
import org.vae4j.nn.Layer;
import org.vae4j.nn.Linear;
import org.vae4j.nn.Sequential;
import org.vae4j.nn.Unflatten;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ConvSpec;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.ShapeException;

/**
 * How a built-in model's encoder and decoder are built, from its settings: an MLP over flat
 * rows ({@code arch=mlp}, widths {@code hidden}), or for images ({@code arch=conv}) a stack of
 * stride-2 convolutions, each halving height and width, then a linear layer to the code; the
 * decoder mirrors it with a linear layer and transposed convolutions. The models are written
 * once against this: the encoder takes the batch as it comes (flat rows or images of the
 * model's shape) with an optional one-hot condition, the decoder returns flat rows
 * {@code (n x C·H·W)}, so likelihoods, losses and every command see the same data either way.
 *
 * <p>With the defaults ({@code image 1 28 28}, {@code channels 32 64}, {@code kernel 4}) the
 * conv networks are the reference conv VAE's: Conv(1→32, k4, s2, p1)–ReLU–Conv(32→64, k4, s2,
 * p1)–ReLU–Flatten–Linear(3136 → out), and Linear(in → 3136)–ReLU–Unflatten(64×7×7)–ConvT(64→32,
 * k4, s2, p1)–ReLU–ConvT(32→1, k4, s2, p1).
 */
final class Architecture {

    private final String model;
    private final int input;
    private final int[] hidden;
    private final Shape image;
    private final int[] channels;
    private final int kernel;
    private final String norm;
    /** The height and width after each encoder stage, from the image on: {@code [h0, w0, h1, w1, …]}. */
    private final int[] sizes;

    private Architecture(String model, int input, int[] hidden, Shape image, int[] channels,
            int kernel, String norm) {
        this.model = model;
        this.input = input;
        this.hidden = hidden;
        this.image = image;
        this.channels = channels;
        this.kernel = kernel;
        this.norm = norm;
        this.sizes = image == null ? null : stageSizes();
    }

    /** The architecture the settings describe; {@code hidden} are the MLP's widths. */
    static Architecture of(Settings s, int input, int[] hidden) {
        if (s.choice(ARCH, "mlp", "conv").equals("mlp")) {
            return new Architecture(s.model(), input, hidden, null, null, 0, null);
        }
        int[] dims = s.layerSizes(IMAGE);
        if (dims.length != 3) {
            throw new IllegalArgumentException(s.model() + ": setting 'image' must be channels,"
                    + " height and width (three numbers, e.g. 1 28 28), got "
                    + Arrays.toString(dims));
        }
        int[] channels = s.layerSizes(CHANNELS);
        if (channels.length == 0) {
            throw new IllegalArgumentException(s.model() + ": setting 'channels' must list at"
                    + " least one stage for arch conv");
        }
        return new Architecture(s.model(), input, hidden, Shape.of(dims), channels,
                s.positiveInt(KERNEL), s.choice(NORM, "none", "batch", "group", "layer"));
    }

    /**
     * {@code config} with the defaults that depend on the architecture: the VAE family's latent
     * is 16 for {@code arch=conv} (the reference conv VAE) unless given.
     */
    static ModelConfig withArchitectureDefaults(ModelConfig config, boolean vaeFamily) {
        boolean conv = "conv".equalsIgnoreCase(config.getString(ARCH.name(), "mlp").trim());
        if (!conv || !vaeFamily || config.has("latent")) {
            return config;
        }
        return config.with("latent", 16);
    }

    boolean conv() {
        return image != null;
    }

    /** The shape of one example: {@code (input)}, or the image {@code (C x H x W)}. */
    Shape inputShape() {
        return conv() ? image : Shape.of(input);
    }

    /** The number of values in one example. */
    int inputSize() {
        return inputShape().size();
    }

    // ---------------------------------------------------------------- the networks

    /**
     * The encoder from an example (with {@code classes} one-hot label values: appended to the
     * row, or as constant channels of the image) to {@code out} values.
     */
    Sequential encoder(Backend be, int classes, int out, Activation activation, Rng rng) {
        if (!conv()) {
            return Networks.encoder(be, input + classes, hidden, out, activation, rng);
        }
        List<Layer> layers = new ArrayList<>();
        int in = image.dim(0) + classes;
        for (int i = 0; i < channels.length; i++) {
            // a normalisation removes a bias again (its gradient is zero): none then, as PyTorch
            layers.add(new Conv2d(be, in, channels[i], kernel, stageSpec(), !normalised(), rng));
            addNorm(layers, be, channels[i]);
            layers.add(activation);
            in = channels[i];
        }
        layers.add(new Flatten());
        layers.add(new Linear(be, flatCode(), out, rng));
        return new Sequential(layers.toArray(new Layer[0]));
    }

    /**
     * The decoder from {@code in} values to flat rows {@code (n x inputSize)} of raw outputs
     * (logits, means); the model applies its output function.
     */
    Sequential decoder(Backend be, int in, Activation activation, Rng rng) {
        if (!conv()) {
            return Networks.decoder(be, in, hidden, input, activation, rng);
        }
        int last = channels.length - 1;
        List<Layer> layers = new ArrayList<>();
        layers.add(new Linear(be, in, flatCode(), rng));
        layers.add(activation);
        layers.add(new Unflatten(channels[last], sizes[2 * (last + 1)],
                sizes[2 * (last + 1) + 1]));
        for (int i = last; i >= 0; i--) {
            int to = i == 0 ? image.dim(0) : channels[i - 1];
            int[] extra = outputPadding(i);
            layers.add(new ConvTranspose2d(be, channels[i], to, kernel, stageSpec(), extra[0],
                    extra[1], i == 0 || !normalised(), rng));
            if (i > 0) {
                addNorm(layers, be, to);
                layers.add(activation);
            }
        }
        layers.add(new Flatten());
        return new Sequential(layers.toArray(new Layer[0]));
    }

    // ---------------------------------------------------------------- the code grid

    /**
     * The height and width of the code grid of {@link #gridEncoder}: the size after the last
     * stride-2 stage ({@code 7 x 7} for MNIST with the default two stages).
     */
    int[] grid() {
        int last = channels.length;
        return new int[] {sizes[2 * last], sizes[2 * last + 1]};
    }

    /**
     * A fully convolutional encoder from images to a {@code (n x out x H' x W')} grid (the
     * VQ-VAE's): the stride-2 stages of {@link #encoder}, then a 1x1 convolution to {@code out}
     * channels instead of the flatten and linear layer.
     */
    Sequential gridEncoder(Backend be, int out, Activation activation, Rng rng) {
        List<Layer> layers = new ArrayList<>();
        int in = image.dim(0);
        for (int i = 0; i < channels.length; i++) {
            layers.add(new Conv2d(be, in, channels[i], kernel, stageSpec(), !normalised(), rng));
            addNorm(layers, be, channels[i]);
            layers.add(activation);
            in = channels[i];
        }
        layers.add(new Conv2d(be, in, out, 1, ConvSpec.of(1, 0), rng));
        return new Sequential(layers.toArray(new Layer[0]));
    }

    /**
     * The decoder from a {@code (n x in x H' x W')} grid to flat rows {@code (n x inputSize)} of
     * raw outputs: a 1x1 convolution to the last stage's channels, then the transposed
     * convolutions of {@link #decoder}.
     */
    Sequential gridDecoder(Backend be, int in, Activation activation, Rng rng) {
        int last = channels.length - 1;
        List<Layer> layers = new ArrayList<>();
        layers.add(new Conv2d(be, in, channels[last], 1, ConvSpec.of(1, 0), rng));
        layers.add(activation);
        for (int i = last; i >= 0; i--) {
            int to = i == 0 ? image.dim(0) : channels[i - 1];
            int[] extra = outputPadding(i);
            layers.add(new ConvTranspose2d(be, channels[i], to, kernel, stageSpec(), extra[0],
                    extra[1], i == 0 || !normalised(), rng));
            if (i > 0) {
                addNorm(layers, be, to);
                layers.add(activation);
            }
        }
        layers.add(new Flatten());
        return new Sequential(layers.toArray(new Layer[0]));
    }

    private boolean normalised() {
        return !norm.equals("none");
    }

    private void addNorm(List<Layer> layers, Backend be, int c) {
        switch (norm) {
            case "batch" -> layers.add(new BatchNorm(be, c));
            case "group" -> layers.add(new GroupNorm(be, groups(c), c));
            case "layer" -> layers.add(new GroupNorm(be, 1, c));
            default -> { }
        }
    }

    /** The largest number of groups up to 8 that divides {@code c}. */
    private static int groups(int c) {
        for (int g = Math.min(8, c); g > 1; g--) {
            if (c % g == 0) {
                return g;
            }
        }
        return 1;
    }

    private ConvSpec stageSpec() {
        return ConvSpec.of(2, (kernel - 1) / 2);
    }

    private int flatCode() {
        int last = channels.length;
        return channels[last - 1] * sizes[2 * last] * sizes[2 * last + 1];
    }

    /**
     * The output padding, rows then columns, that makes decoder stage {@code i} give back the
     * size of encoder stage i's input (a stride-2 convolution maps two sizes to one).
     */
    private int[] outputPadding(int i) {
        int pad = (kernel - 1) / 2;
        int[] extra = new int[2];
        for (int a = 0; a < 2; a++) {
            int from = sizes[2 * (i + 1) + a];
            int target = sizes[2 * i + a];
            extra[a] = target - ((from - 1) * 2 - 2 * pad + kernel);
            if (extra[a] < 0 || extra[a] > 1) {
                throw new IllegalArgumentException(model + ": with kernel " + kernel + " the"
                        + " decoder cannot give back the " + sizes[2 * i] + "x"
                        + sizes[2 * i + 1] + " size of encoder stage " + i
                        + " (settings 'image', 'channels', 'kernel')");
            }
        }
        return extra;
    }

    private int[] stageSizes() {
        int[] s = new int[2 * (channels.length + 1)];
        s[0] = image.dim(1);
        s[1] = image.dim(2);
        Shape x = Shape.of(1, image.dim(0), image.dim(1), image.dim(2));
        for (int i = 0; i < channels.length; i++) {
            Shape w = Shape.of(channels[i], x.dim(1), kernel, kernel);
            try {
                x = stageSpec().outputShape(x, w);
            } catch (ShapeException e) {
                throw new IllegalArgumentException(model + ": the image " + image + " is too small"
                        + " for " + channels.length + " stride-2 stages of kernel " + kernel
                        + " (settings 'image', 'channels', 'kernel'): stage " + (i + 1) + ": "
                        + e.getMessage(), e);
            }
            s[2 * (i + 1)] = x.dim(2);
            s[2 * (i + 1) + 1] = x.dim(3);
        }
        return s;
    }

    // ---------------------------------------------------------------- the data

    /**
     * The encoder's input: the batch's examples (flat rows of the model's size, or examples of
     * its shape) with the condition: appended to rows, or broadcast to constant channels.
     */
    Variable encoderInput(Variable x, Variable condition) {
        Variable v = conv() ? images(x) : rows(x);
        if (condition == null) {
            return v;
        }
        if (!conv()) {
            return Variable.concat(1, v, condition);
        }
        int n = v.shape().dim(0);
        int classes = condition.shape().dim(1);
        Variable planes = condition.reshape(n, classes, 1, 1)
                .broadcastTo(Shape.of(n, classes, image.dim(1), image.dim(2)));
        return Variable.concat(1, v, planes);
    }

    /** The examples as flat rows {@code (n x inputSize)}, as the decoder gives them. */
    Variable rows(Variable x) {
        checkExamples(x.shape());
        return x.shape().rank() == 2 ? x : x.reshape(x.shape().dim(0), inputSize());
    }

    /** The examples as images {@code (n x C x H x W)}, from rows or images. */
    Variable images(Variable x) {
        checkExamples(x.shape());
        if (x.shape().rank() == 4) {
            return x;
        }
        return x.reshape(x.shape().dim(0), image.dim(0), image.dim(1), image.dim(2));
    }

    /** Throws unless {@code s} is a batch of flat rows of the model's size or of its examples. */
    void checkExamples(Shape s) {
        Shape example = inputShape();
        boolean rows = s.rank() == 2 && s.dim(1) == example.size();
        boolean shaped = s.rank() == example.rank() + 1 && Shape.of(Arrays.copyOfRange(s.dims(),
                1, s.rank())).equals(example);
        if (rows || shaped) {
            return;
        }
        if (!conv()) {
            throw new IllegalArgumentException(model + " expects inputs of width " + input
                    + " (setting 'input'), got batch " + s);
        }
        throw new IllegalArgumentException(model + " (arch conv) expects images of shape "
                + image + " (setting 'image'), or rows of " + image.size() + " values, got batch "
                + s);
    }

    @Override
    public String toString() {
        return conv() ? "conv " + image + " channels " + Arrays.toString(channels) + " kernel "
                + kernel + (norm.equals("none") ? "" : " " + norm + " norm") : "mlp";
    }
}
