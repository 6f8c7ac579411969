package org.vae4j.train;

import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.MultiOptimizerModel;

/**
 * What the {@link Trainer} does with each training batch, in the spirit of Keras' {@code
 * train_step}: compute the loss, differentiate it, update parameters. The trainer calls it once
 * per batch inside the step's scope, then calls the model's {@code afterStep} with the loss it
 * returns, logs the loss's values and checkpoints. A model or a user supplies another one
 * ({@link Trainer.Builder#optTrainingStep}) without touching the trainer: alternating
 * optimizers, several losses, extra terms.
 *
 * <pre>{@code
 * // an adversarial schedule: the autoencoder on even steps, the discriminator on odd ones
 * TrainingStep alternating = step -> {
 *     Loss loss = step.computeLoss();
 *     step.minimize(loss.total(), step.step() % 2 == 0 ? "autoencoder" : "discriminator");
 *     return loss;
 * };
 * }</pre>
 *
 * <p>{@link StepEnvironment#minimize} applies gradient accumulation; clipping and the learning
 * rate schedule are the optimizers' own settings, so a custom step gets all three.
 */
@FunctionalInterface
public interface TrainingStep {

    /**
     * Runs one batch: {@code step} gives the model, batch, step context and optimizers.
     *
     * @return the loss computed on the batch (its values are logged; its outputs go to {@code
     *         afterStep})
     */
    Loss run(StepEnvironment step);

    /**
     * The ordinary step: the model's loss, then one joint update of every optimizer ({@code
     * backwardAndStep} of the only one, which may update parameters beside the backward pass).
     */
    static TrainingStep standard() {
        return Standard.INSTANCE;
    }

    /**
     * The step {@code model} trains with: its own for a {@link MultiOptimizerModel} (with the
     * optimizers of {@link Optimizers#forModel}), else {@link #standard()}.
     */
    static TrainingStep forModel(Model model) {
        return model instanceof MultiOptimizerModel parts ? parts.trainingStep() : standard();
    }

    /** See {@link #standard()}. */
    enum Standard implements TrainingStep {
        INSTANCE;

        @Override
        public Loss run(StepEnvironment step) {
            Loss loss = step.computeLoss();
            step.minimize(loss.total(), step.optimizers().all());
            return loss;
        }
    }
}
