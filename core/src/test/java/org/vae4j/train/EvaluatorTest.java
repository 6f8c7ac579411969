package org.vae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.autodiff.NoGrad;
import org.vae4j.autodiff.Variable;
import org.vae4j.data.Batch;
import org.vae4j.data.Dataset;
import org.vae4j.model.Loss;
import org.vae4j.model.Model;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.StepContext;
import org.vae4j.random.Rng;
import org.vae4j.tensor.Backend;
import org.vae4j.tensor.ReferenceBackend;
import org.vae4j.tensor.Shape;

class EvaluatorTest {

    private final Backend backend = new ReferenceBackend();

    /** A parameterless model whose loss is the batch mean of x, and which records its mode. */
    private static final class MeanModel extends Model {
        boolean sawTraining;
        boolean sawGrad;

        MeanModel(Backend backend) {
            super("mean", ModelConfig.empty(), backend);
        }

        @Override
        public Shape inputShape() {
            return Shape.of(1);
        }

        @Override
        public Loss loss(Batch batch, StepContext context) {
            sawTraining |= context.training();
            sawGrad |= !NoGrad.isActive();
            Variable x = Variable.constant(batch.x());
            return Loss.of(x.mean()).with("squares", x.square().mean());
        }
    }

    @Test
    void averagesAreWeightedByBatchSizeSoAPartialLastBatchCountsForItsExamples() {
        // Rows 0..9 in batches of 4: batch means 1.5, 5.5 and 8.5 (two rows); their plain mean
        // would be 5.1667, the mean over the examples is 4.5.
        float[] x = new float[10];
        double squares = 0;
        for (int i = 0; i < 10; i++) {
            x[i] = i;
            squares += i * i;
        }
        Dataset data = Dataset.unlabelled("ramp", x, 1);
        MeanModel model = new MeanModel(backend);
        Map<String, Double> m = new Evaluator(0).evaluate(model, data, 4);
        assertEquals(4.5, m.get("loss"), 1e-6);
        assertEquals(squares / 10, m.get("squares"), 1e-5);
        assertEquals(java.util.List.of("loss", "squares"), java.util.List.copyOf(m.keySet()));
        assertEquals(false, model.sawTraining);
        assertEquals(false, model.sawGrad);
        assertEquals(0, backend.liveTensors());
    }

    @Test
    void evaluatingTheSameWeightsTwiceGivesTheSameNumbersEvenWithNoise() {
        // The tiny autoencoder draws noise only in training, so evaluate in a model that always
        // draws: the test checks that evaluation's generators are fixed per batch.
        try (Model m = new TinyAutoencoder(Fixtures.config(), backend, new Rng(3)) {
            @Override
            public Loss loss(Batch batch, StepContext context) {
                return super.loss(batch, StepContext.training(context.step(), context.rng()));
            }
        }) {
            Evaluator ev = new Evaluator(7);
            Map<String, Double> a = ev.evaluate(m, Fixtures.test(), 5);
            Map<String, Double> b = ev.evaluate(m, Fixtures.test(), 5);
            assertEquals(a, b);
        }
    }
}
