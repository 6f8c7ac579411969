package org.vae4j.consistency;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.Models;
import org.vae4j.model.MultiOptimizerModel;
import org.vae4j.model.StepContext;
import org.vae4j.models.VqVae;
import org.vae4j.nn.Parameter;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Shape;
import org.vae4j.tensor.Tensor;
import org.vae4j.tensor.TensorScope;
import org.vae4j.train.Optimizers;
import org.vae4j.train.StepEnvironment;
import org.vae4j.train.StepRandom;
import org.vae4j.train.TrainingStep;

/**
 * What one backend computed for one {@link ConsistencyCase}: the model is built with
 * {@code new Rng(seed)} (all randomness is on the host, so every backend starts from the same
 * weights), then trained with Adam on the same batch for the case's steps, step {@code s} drawing
 * its noise from {@link StepRandom#forStep}{@code (seed, s)} as the trainer does, through the
 * trainer's own step path ({@link StepEnvironment}: the loss in training mode), with the
 * gradients of step 0 read between the backward pass and the update. A model that trains its
 * parts with optimizers of their own (the aae) runs its own step with an Adam per group, its
 * step-0 gradients those of its loss. Everything is
 * downloaded to the host, so traces of different backends compare without either being open.
 *
 * @param losses      the loss and every named term at each step, before that step's update
 * @param gradients   every trainable parameter's gradient at step 0 (null if it got none)
 * @param initial     every parameter and buffer as built, before any step
 * @param parameters  every parameter and buffer after the last step
 * @param codes       VQ-VAE only: the code index each latent vector chose at each step
 * @param encodings   VQ-VAE only: the encoder outputs {@code z_e} at each step, {@code (n·M x D)}
 * @param codebooks   VQ-VAE only: the codebook at each step, {@code (K x D)}
 */
record TrainingTrace(String backend, List<Map<String, Double>> losses,
        Map<String, float[]> gradients, Map<String, float[]> initial,
        Map<String, float[]> parameters, Map<String, Shape> shapes,
        List<int[]> codes, List<float[]> encodings, List<float[]> codebooks, double seconds) {

    static final double LEARNING_RATE = 1e-3;

    static TrainingTrace record(Backend be, ConsistencyCase c, ConsistencyBatch data, long seed) {
        long start = System.nanoTime();
        List<Map<String, Double>> losses = new ArrayList<>();
        Map<String, float[]> gradients = new LinkedHashMap<>();
        Map<String, float[]> initial = new LinkedHashMap<>();
        Map<String, float[]> parameters = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        List<int[]> codes = new ArrayList<>();
        List<float[]> encodings = new ArrayList<>();
        List<float[]> codebooks = new ArrayList<>();
        try (Model model = Models.create(c.type(), c.config(), be, new Rng(seed));
                Optimizers optimizers = Optimizers.forModel(model, LEARNING_RATE, Adam::new)) {
            model.state().forEach((name, p) -> initial.put(name, p.toArray()));
            for (int s = 0; s < c.steps(); s++) {
                try (TensorScope scope = be.newScope()) {
                    Batch batch = data.on(be);
                    StepContext context = StepContext.training(s, StepRandom.forStep(seed, s));
                    if (model instanceof VqVae vq) {
                        codes.add(vq.codes(batch));
                        try (NoGrad ignored = NoGrad.enter()) {
                            encodings.add(vq.encodeVectors(Variable.constant(batch.x())).toArray());
                        }
                        codebooks.add(vq.codebook().embedding().toArray());
                    }
                    boolean first = s == 0;
                    // the standard step, with the gradients recorded before the update
                    TrainingStep recording = step -> {
                        Loss l = step.computeLoss();
                        l.total().backward();
                        if (first) {
                            record(model, gradients);
                        }
                        step.optimizers().only().step();
                        return l;
                    };
                    if (model instanceof MultiOptimizerModel parts) {
                        // its own phases; the gradients of its loss first, at step 0
                        recording = step -> {
                            if (first) {
                                step.computeLoss().total().backward();
                                record(model, gradients);
                                model.zeroGrad();
                            }
                            return parts.trainingStep().run(step);
                        };
                    }
                    Loss loss = recording.run(StepEnvironment.of(model, batch, context,
                            optimizers));
                    losses.add(loss.values());
                    model.afterStep(batch, loss, context);
                }
            }
            for (Map.Entry<String, Parameter> e : model.state().entrySet()) {
                parameters.put(e.getKey(), e.getValue().toArray());
                shapes.put(e.getKey(), e.getValue().shape());
            }
        }
        return new TrainingTrace(be.name(), losses, gradients, initial, parameters, shapes,
                codes.isEmpty() ? null : codes, encodings, codebooks,
                (System.nanoTime() - start) / 1e9);
    }

    private static void record(Model model, Map<String, float[]> gradients) {
        model.parameters().forEach((name, p) -> {
            Tensor g = p.grad();
            gradients.put(name, g == null ? null : g.toArray());
        });
    }

    boolean hasCodes() {
        return codes != null;
    }
}
