package org.vae4j.model;

import org.vae4j.data.Batch;
import org.vae4j.data.DataLoader;
import org.vae4j.data.Dataset;
import org.vae4j.nn.Module;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;

/**
 * A trainable model: an {@link Module} with parameters and a {@link #loss}. What else it can do
 * is said by the capability interfaces it implements: {@link Encoder}, {@link Decoder},
 * {@link Reconstructor}, {@link Generator}, {@link LikelihoodEstimator}.
 */
public abstract class Model extends Module {

    private final String typeName;
    private final ModelConfig config;
    private final Backend backend;

    protected Model(String typeName, ModelConfig config, Backend backend) {
        this.typeName = typeName;
        this.config = config;
        this.backend = backend;
    }

    /** The registry name of this model's type, e.g. {@code vae}. */
    public final String typeName() {
        return typeName;
    }

    /** The settings it was built with; with {@link #typeName()} they rebuild it. */
    public final ModelConfig config() {
        return config;
    }

    public final Backend backend() {
        return backend;
    }

    /**
     * The shape of one input example: {@code (784)} for an MLP on flat MNIST rows,
     * {@code (1x28x28)} for a model that reads images. Batches have shape
     * {@code (batch x inputShape())}.
     */
    public abstract Shape inputShape();

    /** The number of values in one input example: {@code inputShape().size()}. */
    public final int inputSize() {
        return inputShape().size();
    }

    /**
     * Throws, with a message naming the data set and both shapes, if this model cannot train on
     * or evaluate {@code data}: a trainer calls it once before the first batch, so a mismatch is
     * reported before any work and with the data set's name (a batch does not know it). The
     * default checks the data set's example shape against {@link #inputShape()}; a conditional
     * model also checks the labels.
     */
    public void checkData(Dataset data) {
        Shape expected = inputShape();
        Shape given = data.exampleShape();
        if (given.equals(expected)) {
            return;
        }
        String hint = given.size() == expected.size()
                ? "; the sizes agree, so data.withExampleShape(" + expected + ") presents the"
                        + " same rows in the expected shape"
                : "";
        throw new IllegalArgumentException(typeName + " expects examples of shape " + expected
                + " (setting 'input'), but the data set '" + data.name() + "' has rows of "
                + given.size() + " values as examples of shape " + given + hint);
    }

    /**
     * {@code data} as this model reads it: the same rows in {@link #inputShape()} when the sizes
     * agree (no copy, e.g. flat MNIST rows as {@code 1x28x28} images), else {@code data}
     * unchanged for {@link #checkData} to report.
     */
    public Dataset shaped(Dataset data) {
        Shape expected = inputShape();
        return data.exampleShape().equals(expected) || data.features() != expected.size()
                ? data : data.withExampleShape(expected);
    }

    /** The objective on one batch, averaged over its examples, with named terms for logging. */
    public abstract Loss loss(Batch batch, StepContext context);

    /**
     * Called after each training step, inside the step's scope, for updates that are not
     * gradient steps (e.g. VQ-VAE's EMA codebook and dead-code restarts). {@code loss} is what
     * {@link #loss} returned for {@code batch} in this step, with its {@linkplain Loss#output
     * outputs}. With gradient accumulation it is called after every batch. Does nothing by
     * default.
     */
    public void afterStep(Batch batch, Loss loss, StepContext context) {
    }

    /**
     * Called once when training ends, for what is fitted after the gradient steps rather than by
     * them (e.g. a VQ-VAE's prior over codes). {@code trainData} is the trainer's loader of the
     * training set; each of its epochs visits every example once. Does nothing by default.
     */
    public void afterTraining(DataLoader trainData) {
    }
}
