package org.vae4j.model;

import java.util.List;
import java.util.Objects;
import org.vae4j.train.TrainingStep;

/**
 * A model whose parts are trained by optimizers of their own under the model's own training
 * step, alternating or jointly: an adversarial autoencoder's autoencoder, discriminator and
 * generator. It names its parameter groups (each becomes one optimizer, named as the group) and
 * supplies the {@link TrainingStep} that uses them by those names. Whoever trains a model (the
 * {@code train}, {@code resume} and {@code compare} commands, a library user) builds the
 * optimizers with {@code Optimizers.forModel} and takes the step from {@code
 * TrainingStep.forModel}, so a plug-in model trains as a built-in one does; checkpoints keep
 * every group's optimizer.
 *
 * <p>Groups may share parameters (the encoder of an adversarial autoencoder is updated by the
 * reconstruction phase and by the generator phase, each with its own optimizer state), as long
 * as the step never updates two groups that share one from a single backward pass; every
 * parameter belongs to at least one group.
 */
public interface MultiOptimizerModel {

    /**
     * One part of the model that one optimizer trains.
     *
     * @param name         the optimizer's name (letters, digits, '_' and '-'), e.g. {@code
     *                     discriminator}
     * @param prefixes     the submodules whose parameters it updates ({@code encoder} selects
     *                     {@code encoder.0.weight}, ...)
     * @param learningRate the base learning rate the model's settings ask for this group, or
     *                     null for the run's
     */
    record ParameterGroup(String name, List<String> prefixes, Double learningRate) {

        public ParameterGroup {
            Objects.requireNonNull(name, "name");
            prefixes = List.copyOf(prefixes);
            if (prefixes.isEmpty()) {
                throw new IllegalArgumentException("parameter group '" + name + "' names no"
                        + " submodule");
            }
            if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
                throw new IllegalArgumentException("parameter group '" + name + "': the"
                        + " learning rate must be a positive number, got " + learningRate);
            }
        }

        /** A group trained at the run's learning rate. */
        public static ParameterGroup of(String name, String... prefixes) {
            return new ParameterGroup(name, List.of(prefixes), null);
        }

        /** This group at its own base learning rate. */
        public ParameterGroup withLearningRate(double rate) {
            return new ParameterGroup(name, prefixes, rate);
        }
    }

    /** The groups, in the order their optimizers are built and checkpointed. */
    List<ParameterGroup> parameterGroups();

    /** The step that trains the groups, picking their optimizers by name. */
    TrainingStep trainingStep();
}
