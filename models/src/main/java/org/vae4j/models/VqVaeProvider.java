package org.vae4j.models;

import static org.vae4j.models.Options.ACTIVATION;
import static org.vae4j.models.Options.ARCH;
import static org.vae4j.models.Options.CHANNELS;
import static org.vae4j.models.Options.IMAGE;
import static org.vae4j.models.Options.KERNEL;
import static org.vae4j.models.Options.NORM;
import static org.vae4j.models.Options.PRIOR;
import static org.vae4j.models.Options.PRIOR_EPOCHS;
import static org.vae4j.models.Options.PRIOR_LAYERS;
import static org.vae4j.models.Options.PRIOR_LEARNING_RATE;
import static org.vae4j.models.Options.PRIOR_WIDTH;
import static org.vae4j.models.Options.CODEBOOK_SIZE;
import static org.vae4j.models.Options.CODE_DIM;
import static org.vae4j.models.Options.COMMITMENT;
import static org.vae4j.models.Options.DEAD_CODE_STEPS;
import static org.vae4j.models.Options.DECAY;
import static org.vae4j.models.Options.EMA;
import static org.vae4j.models.Options.EPSILON;
import static org.vae4j.models.Options.HIDDEN;
import static org.vae4j.models.Options.INPUT;
import static org.vae4j.models.Options.OUTPUT;
import static org.vae4j.models.Options.POSITIONS;

import java.util.List;
import org.vae4j.model.Model;
import org.vae4j.model.ModelOption;
import org.vae4j.nn.Activation;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;

/**
 * {@code vq-vae}: the {@link VqVae}, with a gradient-trained or EMA codebook, MLP or conv
 * (a grid of codes), and an independent or (conv only) PixelCNN prior.
 */
public final class VqVaeProvider extends BuiltInProvider {

    /** The settings of {@code vq-vae}, in the order {@code vae4j models vq-vae} lists them. */
    public static final List<ModelOption> OPTIONS = List.of(INPUT, HIDDEN, ARCH, IMAGE,
            CHANNELS, KERNEL, NORM, ACTIVATION, OUTPUT, POSITIONS, CODE_DIM, CODEBOOK_SIZE,
            COMMITMENT, EMA, DECAY, EPSILON, DEAD_CODE_STEPS, PRIOR, PRIOR_EPOCHS, PRIOR_WIDTH,
            PRIOR_LAYERS, PRIOR_LEARNING_RATE);

    public VqVaeProvider() {
        super("vq-vae",
                "vector-quantised VAE: nearest-code latents, straight-through gradient,"
                        + " codebook and commitment losses or EMA codebook",
                OPTIONS);
    }

    @Override
    Model create(Settings s, Backend backend, Rng rng) {
        Architecture arch = Architecture.of(s, s.positiveInt(INPUT), s.layerSizes(HIDDEN));
        Activation activation = s.activation(ACTIVATION);
        Activation output = s.outputActivation(OUTPUT);
        int positions = s.positiveInt(POSITIONS);
        int codeDim = s.positiveInt(CODE_DIM);
        int codebookSize = s.positiveInt(CODEBOOK_SIZE);
        double commitment = s.nonNegative(COMMITMENT);
        boolean ema = s.bool(EMA);
        double decay = s.inOpenRange(DECAY, 0, 1);
        double epsilon = s.positive(EPSILON);
        int deadCodeSteps = s.nonNegativeInt(DEAD_CODE_STEPS);
        VqVae.PriorSettings prior = null;
        if (s.choice(PRIOR, "independent", "pixelcnn").equals("pixelcnn")) {
            if (!arch.conv()) {
                throw new IllegalArgumentException(s.model() + " (arch mlp) has no code grid for"
                        + " the PixelCNN prior (setting 'prior' = pixelcnn): it needs arch conv"
                        + " (--arch conv), or use --prior independent");
            }
            prior = new VqVae.PriorSettings(s.positiveInt(PRIOR_WIDTH),
                    s.nonNegativeInt(PRIOR_LAYERS), s.nonNegativeInt(PRIOR_EPOCHS),
                    s.positive(PRIOR_LEARNING_RATE));
        }
        return new VqVae(s.model(), s.config(), backend, arch, activation, output,
                positions, codeDim, codebookSize, commitment, ema, decay, epsilon, deadCodeSteps,
                prior, rng);
    }
}
