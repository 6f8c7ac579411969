package org.vae4j.spark;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
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
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * A test-only tanh autoencoder whose loss throws inside a Spark task at step {@code failAtStep}
 * on the task's first {@code failAttempts} attempts: a worker lost mid-step.
 */
final class FlakyAutoencoder extends Model {
    static final String TYPE = "flaky-ae";

    /** Failures thrown in this JVM (local mode runs the tasks here). */
    static final AtomicInteger FAILURES = new AtomicInteger();

    private final int input;
    private final long failAtStep;
    private final int failAttempts;
    private final Linear encoder;
    private final Linear decoder;

    private FlakyAutoencoder(ModelConfig config, Backend backend, Rng rng) {
        super(TYPE, config, backend);
        this.input = config.getInt("input", 6);
        this.failAtStep = config.getInt("failAtStep", -1);
        this.failAttempts = config.getInt("failAttempts", 1);
        int hidden = config.getInt("hidden", 4);
        this.encoder = addModule("encoder", new Linear(backend, input, hidden, rng));
        this.decoder = addModule("decoder", new Linear(backend, hidden, input, rng));
    }

    @Override
    public Shape inputShape() {
        return Shape.of(input);
    }

    @Override
    public Loss loss(Batch batch, StepContext context) {
        TaskContext task = TaskContext.get();
        if (task != null && context.step() == failAtStep && task.attemptNumber() < failAttempts) {
            FAILURES.incrementAndGet();
            throw new IllegalStateException("worker lost at step " + failAtStep + " (attempt "
                    + task.attemptNumber() + ")");
        }
        Variable x = Variable.constant(batch.x());
        Variable mse = Losses.mse(decoder.forward(encoder.forward(x).tanh()), x);
        return Loss.of(mse).with("reconstruction", mse);
    }

    /** Its provider, found by the executors through the service file. */
    public static final class Provider implements ModelProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "test-only autoencoder that fails inside a Spark task at a given step";
        }

        @Override
        public List<ModelOption> options() {
            return List.of(ModelOption.integer("input", 6, "input width"),
                    ModelOption.integer("hidden", 4, "hidden width"),
                    ModelOption.integer("failAtStep", -1, "step whose task fails"),
                    ModelOption.integer("failAttempts", 1, "attempts that fail"));
        }

        @Override
        public Model create(ModelConfig config, Backend backend, Rng rng) {
            return new FlakyAutoencoder(config, backend, rng);
        }
    }
}
