package org.vae4j.models;

import org.vae4j.data.Batch;
import org.vae4j.model.Model;
import org.vae4j.model.StepContext;
import org.vae4j.optim.Adam;
import org.vae4j.random.Rng;
import org.vae4j.tensor.TensorScope;

/**
 * A few Adam steps of a model on one batch, step {@code s} drawing its noise from
 * {@code new Rng(s)}: the loss at the first step and at the last, for tests that check a
 * configuration builds and learns.
 */
record FewSteps(double first, double last) {

    static FewSteps train(Model m, Batch b, int steps, double learningRate) {
        double first = 0;
        double last = 0;
        try (Adam adam = new Adam(m.parameters(), learningRate)) {
            for (int step = 0; step < steps; step++) {
                try (TensorScope s = m.backend().newScope()) {
                    var loss = m.loss(b, StepContext.training(step, new Rng(step)));
                    double v = loss.values().get("loss");
                    adam.backwardAndStep(loss.total());
                    first = step == 0 ? v : first;
                    last = v;
                }
            }
        }
        return new FewSteps(first, last);
    }

    boolean lossFell() {
        return last < first;
    }

    @Override
    public String toString() {
        return "loss " + first + " -> " + last;
    }
}
