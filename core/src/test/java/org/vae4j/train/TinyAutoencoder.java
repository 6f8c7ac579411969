package org.vae4j.train;

import java.util.List;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.loss.Losses;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOption;
import org.vae4j.model.ModelProvider;
import org.vae4j.model.StepContext;
import org.vae4j.nn.Linear;
import org.vae4j.nn.Parameter;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;

/**
 * A test-only model: a one-hidden-layer tanh autoencoder with MSE, whose input is corrupted with
 * Gaussian noise from the step's generator (so resumption must reproduce per-step randomness),
 * centred by a running mean of the inputs kept in a buffer and updated in {@link #afterStep} (so
 * checkpoints must hold buffers), and a small "kl" term that becomes NaN at step
 * {@code nanAtStep}.
 */
class TinyAutoencoder extends Model {

    static final String TYPE = "tiny-ae";

    private final int input;
    private final double noise;
    private final long nanAtStep;
    private final Linear encoder;
    private final Linear decoder;
    private final Parameter runningMean;

    TinyAutoencoder(String type, ModelConfig config, Backend backend, Rng rng) {
        super(type, config, backend);
        this.input = config.getInt("input", 6);
        int hidden = config.getInt("hidden", 3);
        this.noise = config.getDouble("noise", 0.1);
        this.nanAtStep = config.getInt("nanAtStep", -1);
        this.encoder = addModule("encoder", new Linear(backend, input, hidden, rng));
        this.decoder = addModule("decoder", new Linear(backend, hidden, input, rng));
        this.runningMean = addBuffer("running_mean", backend.zeros(Shape.of(input)));
    }

    TinyAutoencoder(ModelConfig config, Backend backend, Rng rng) {
        this(TYPE, config, backend, rng);
    }

    @Override
    public Shape inputShape() {
        return Shape.of(input);
    }

    @Override
    public Loss loss(Batch batch, StepContext context) {
        Variable x = Variable.constant(batch.x()).sub(runningMean);
        Variable in = x;
        if (context.training() && noise > 0) {
            in = x.add(Variable.constant(context.rng().normal(backend(), batch.x().shape(), 0,
                    noise)));
        }
        Variable h = encoder.forward(in).tanh();
        Variable reconstruction = Losses.mse(decoder.forward(h), x);
        Variable kl = h.square().mean().mul(0.01f);
        if (context.step() == nanAtStep) {
            kl = kl.mul(Float.NaN);
        }
        return Loss.of(reconstruction.add(kl)).with("reconstruction", reconstruction)
                .with("kl", kl);
    }

    /** An exponential moving average of the batch means: not a gradient step. */
    @Override
    public void afterStep(Batch batch, Loss loss, StepContext context) {
        Backend be = backend();
        Tensor batchMean = be.mean(batch.x(), false, 0);
        runningMean.assign(be.add(be.mul(runningMean.value(), be.scalar(0.9f)),
                be.mul(batchMean, be.scalar(0.1f))));
    }

    /** Its provider, for tests of loading through the registry. */
    public static final class Provider implements ModelProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "test-only tiny autoencoder";
        }

        @Override
        public List<ModelOption> options() {
            return List.of(new ModelOption("input", 6, "input width"),
                    new ModelOption("hidden", 3, "hidden width"),
                    new ModelOption("noise", 0.1, "input noise std"),
                    new ModelOption("nanAtStep", -1, "step whose kl is NaN"));
        }

        @Override
        public Model create(ModelConfig config, Backend backend, Rng rng) {
            return new TinyAutoencoder(config, backend, rng);
        }
    }
}
